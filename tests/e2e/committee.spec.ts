/**
 * The committee's page in Chromium against the real server (buildApp serving the build) over
 * HTTP: a phone's batch arrives through the sync API, and the clerk signs in with the admin
 * token, reads the day's log with ID numbers masked and fevers marked, filters it, downloads
 * the CSV (full ID numbers, a BOM for Excel), sees which phone still holds records, makes an
 * enrollment code, revokes a phone, lowers a gate's fever threshold, and opens the passes and
 * the watchlist — in Chinese and in English, every screen passing axe. At 360 px each row is a
 * card whose values' lines all start at one x; the log read again after the page was hidden keeps
 * the pages loaded with "Show more" and the row the clerk was reading where it was; a row's pass
 * number, as printed, stays on one line inside its cell at 1280 and 390 px.
 * And a guard's phone, whose service worker serves the app for every page it knows, still
 * reaches the committee's page at /committee/.
 */
import { readFile } from 'node:fs/promises';
import { randomUUID } from 'node:crypto';
import { syncResponseSchema, type GateLog } from '../../src/shared';
import { makeGateLog, type GateLogOverrides } from '../server/factories';
import { createGate, enrollPhone } from './support/admin';
import { residentId, waitForServiceWorker } from './support/app';
import { expectAccessible } from './support/axe';
import type { Locator } from '@playwright/test';
import { expect, test } from './support/fixtures';
import type { GateServer } from './support/server';

test.use({ serverKind: 'app' });

const RECORDS = 30;
/** Every FEVER_EVERY-th record is a fever (referred to the committee). */
const FEVER_EVERY = 10;

/**
 * A phone enrolled at a new gate that has sent one batch and still holds 4 records: RECORDS of
 * visitors, and `more` after them.
 */
async function phoneWithABatch(server: GateServer, more: GateLogOverrides[] = []) {
  const gate = await createGate(server, 'North Gate / 北门');
  const enrolled = await enrollPhone(server, gate.id, 'North phone 1');
  const ours = { deviceId: enrolled.deviceId, gateId: gate.id };
  const records = Array.from({ length: RECORDS }, (_, i) =>
    makeGateLog({
      deviceId: enrolled.deviceId,
      gateId: gate.id,
      temperatureC: i % FEVER_EVERY === 0 ? 38.4 : 36.6,
      decision: i % FEVER_EVERY === 0 ? 'referred' : 'admitted',
      person: {
        category: 'visitor',
        name: `Guest ${String(i).padStart(2, '0')}`,
        idType: 'cn_resident_id',
        idNumber: residentId(i),
      },
    }),
  ).concat(more.map((r) => makeGateLog({ ...ours, ...r })));
  await sendBatch(server, enrolled.token, records);
  return { gate, records, enrolled, ours };
}

/** One sync batch of `records` from the phone with `token`, all of it accepted. */
async function sendBatch(server: GateServer, token: string, records: GateLog[]) {
  const res = await fetch(`${server.url}/api/v1/sync`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({
      batchId: randomUUID(),
      device: {
        appVersion: '0.1.0',
        pending: 4,
        oldestPendingAt: new Date(Date.now() - 3_600_000).toISOString(),
      },
      records,
    }),
  });
  expect(syncResponseSchema.parse(await res.json()).accepted).toHaveLength(records.length);
}

const WORDS = {
  'zh-CN': {
    token: '管理令牌',
    signIn: '登录',
    shown: (n: number) => `已显示 ${n} 条`,
    only: '只看',
    fever: '发热',
    show: '查询',
    csv: '下载 CSV（含完整证件号码）',
    csvHeader: '\uFEFF记录编号,服务器收到时间,登记时间,',
    csvName: /^门岗登记-\d{4}-\d{2}-\d{2}-发热\.csv$/,
    phones: '手机',
    waiting: '4 条，最早',
    enroll: '生成加入码',
    qr: '加入二维码：North Gate / 北门',
    revoke: '停用 North phone 1',
    revoked: '已停用',
    gates: '门岗',
    fevers: '发热标准（℃ 及以上）',
    saved: '已保存。各手机下次同步时获取。',
    passes: '出入证',
    watchlist: '居家隔离名单',
    addWatch: '加入名单',
  },
  en: {
    token: 'Admin token',
    signIn: 'Sign in',
    shown: (n: number) => `${n} shown`,
    only: 'Only',
    fever: 'Fever',
    show: 'Show',
    csv: 'Download CSV (full ID numbers)',
    csvHeader: '\uFEFFRecord ID,Received by the server,Logged at,',
    csvName: /^gatelog-\d{4}-\d{2}-\d{2}-fever\.csv$/,
    phones: 'Phones',
    waiting: '4, oldest',
    enroll: 'New enrollment code',
    qr: 'Enrollment QR code: North Gate / 北门',
    revoke: 'Revoke North phone 1',
    revoked: 'Revoked',
    gates: 'Gates',
    fevers: 'Fever at or above (°C)',
    saved: 'Saved. Phones take it at their next sync.',
    passes: 'Passes',
    watchlist: 'Watchlist',
    addWatch: 'Add to the watchlist',
  },
} as const;

for (const lang of ['zh-CN', 'en'] as const) {
  test(`the committee reads, exports and manages its phones from its page (${lang})`, async ({
    page,
    server,
  }) => {
    const w = WORDS[lang];
    const { records } = await phoneWithABatch(server);
    await page.goto(`/committee/?lang=${lang}`);
    await expect(page.getByLabel(w.token)).toBeVisible();
    await expectAccessible(page, 'sign-in');

    await page.getByLabel(w.token).fill(server.adminToken!);
    await page.getByRole('button', { name: w.signIn, exact: true }).click();
    await expect(page.getByText(w.shown(RECORDS))).toBeVisible();
    const table = page.getByRole('table');
    await expect(table.getByRole('row')).toHaveCount(RECORDS + 1);
    // The newest received first: row 2 (after the header) is the batch's last but one.
    const id = records.at(-2)!.person.idNumber!;
    await expect(table.getByRole('row').nth(2)).toContainText(`${id.slice(0, 3)}***********`);
    await expect(table).not.toContainText(id);
    await expectAccessible(page, 'logs');

    await page.getByLabel(w.only).selectOption({ label: w.fever });
    await page.getByRole('button', { name: w.show, exact: true }).click();
    await expect(page.getByText(w.shown(RECORDS / FEVER_EVERY))).toBeVisible();
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: w.csv }).click(),
    ]);
    // The page names it by the clerk's local day (today, shown) and the flag, in its language.
    expect(download.suggestedFilename()).toMatch(w.csvName);
    const csv = await readFile((await download.path())!);
    expect([...csv.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = csv.toString('utf8');
    // In the page's language, for the clerk's spreadsheet.
    expect(text.startsWith(w.csvHeader), text.slice(0, 80)).toBe(true);
    expect(text.trim().split(/\r?\n/)).toHaveLength(1 + RECORDS / FEVER_EVERY);
    for (const [i, r] of records.entries()) {
      expect(text.includes(r.person.idNumber!), `record ${i} in the fever CSV`).toBe(
        i % FEVER_EVERY === 0,
      );
    }

    await page.getByRole('button', { name: w.phones, exact: true }).click();
    const row = page.getByRole('row', { name: /North phone 1/ });
    await expect(row).toContainText(w.waiting);
    await page.getByRole('button', { name: w.enroll }).click();
    await expect(page.getByRole('img', { name: w.qr })).toBeVisible();
    await expect(page.getByRole('link', { name: /\?enroll=/ })).toBeVisible();
    await expectAccessible(page, 'phones');

    page.once('dialog', (d) => void d.accept());
    await row.getByRole('button', { name: w.revoke }).click();
    await expect(row).toContainText(w.revoked);

    await page.getByRole('button', { name: w.gates, exact: true }).click();
    const gateForm = page.getByRole('form', { name: 'North Gate / 北门' });
    await gateForm.getByLabel(w.fevers).fill('37.0');
    await gateForm.getByRole('button').click();
    await expect(gateForm.getByRole('status')).toHaveText(w.saved);
    await expectAccessible(page, 'gates');

    await page.getByRole('button', { name: w.passes, exact: true }).click();
    await expect(page.getByRole('form')).toBeVisible();
    await expectAccessible(page, 'passes');
    await page.getByRole('button', { name: w.watchlist, exact: true }).click();
    const watchForm = page.getByRole('form', { name: w.addWatch });
    // Sent empty: the form says what is missing, on its fields.
    await watchForm.getByRole('button').click();
    await expect(watchForm.getByRole('alert').first()).toBeVisible();
    await expectAccessible(page, 'watchlist with its errors');
  });
}

const LATE_WORDS = {
  'zh-CN': {
    late: '今天收到 2 条以前日期的记录（其中发热 1 条），点此查看',
    heading: '今天收到的以前日期的记录',
    back: '返回登记记录',
  },
  en: {
    late: '2 records from earlier days arrived today (1 with fever): show them',
    heading: 'Records from earlier days that arrived today',
    back: 'Back to the log',
  },
} as const;

for (const lang of ['zh-CN', 'en'] as const) {
  test(`today's log says what arrived today from earlier days, and lists it (${lang})`, async ({
    page,
    server,
  }) => {
    const w = { ...WORDS[lang], ...LATE_WORDS[lang] };
    const gate = await createGate(server, 'West Gate / 西门');
    const phone = await enrollPhone(server, gate.id, 'West phone 1');
    const ago = (hours: number) => new Date(Date.now() - hours * 3_600_000).toISOString();
    const record = (hoursAgo: number, name: string, fever = false) =>
      makeGateLog({
        deviceId: phone.deviceId,
        gateId: gate.id,
        occurredAt: ago(hoursAgo),
        temperatureC: fever ? 38.4 : 36.6,
        decision: fever ? 'referred' : 'admitted',
        person: { category: 'resident', name },
      });
    const records = [record(0.1, 'Today'), record(30, 'Last night', true), record(50, 'Before')];
    const res = await fetch(`${server.url}/api/v1/sync`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${phone.token}` },
      body: JSON.stringify({
        batchId: randomUUID(),
        device: { appVersion: '0.1.0', pending: 0 },
        records,
      }),
    });
    expect(syncResponseSchema.parse(await res.json()).accepted).toHaveLength(3);

    await page.goto(`/committee/?lang=${lang}`);
    await page.getByLabel(w.token).fill(server.adminToken!);
    await page.getByRole('button', { name: w.signIn, exact: true }).click();
    await expect(page.getByText(w.shown(1))).toBeVisible();
    await page.getByRole('button', { name: w.late }).click();
    await expect(page.getByText(w.shown(2))).toBeVisible();
    await expect(page.getByText(w.heading)).toBeVisible();
    await expect(page.getByRole('table')).toContainText('Last night');
    await expect(page.getByRole('table')).toContainText('Before');
    await expectAccessible(page, 'records from earlier days');
    await page.getByRole('button', { name: w.back }).click();
    await expect(page.getByText(w.shown(1))).toBeVisible();
  });
}

const NARROW_WORDS = {
  'zh-CN': { gate: '门岗', person: '人员', logs: '登记记录' },
  en: { gate: 'Gate', person: 'Person', logs: 'Logs' },
} as const;

/**
 * Where each line of a card's values starts (x, px), cell by cell: every line box of the cell's
 * seen text, its heading (`::before`, no text node) left out. A line's start is its leftmost
 * piece of text.
 */
function lineStarts(row: Locator) {
  return row.evaluate((tr) =>
    [...tr.children].map((cell) => {
      const lines: { top: number; bottom: number; left: number }[] = [];
      const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
      for (let n = walker.nextNode(); n; n = walker.nextNode()) {
        if (!n.textContent?.trim() || n.parentElement?.closest('.sr-only')) continue;
        const range = document.createRange();
        range.selectNodeContents(n);
        for (const r of range.getClientRects()) {
          if (r.width === 0) continue;
          const line = lines.find((l) => r.top < l.bottom - 2 && r.bottom > l.top + 2);
          if (line) line.left = Math.min(line.left, r.left);
          else lines.push({ top: r.top, bottom: r.bottom, left: r.left });
        }
      }
      return {
        label: cell.getAttribute('data-label'),
        starts: lines.map((l) => l.left),
        lineHeight: Math.max(0, ...lines.map((l) => l.bottom - l.top)),
        height: cell.getBoundingClientRect().height,
        // A button is taller than a line of text.
        button: cell.querySelector('button') !== null,
      };
    }),
  );
}

/** Every line of every value in `row` starts at one x, right of the headings' column. */
async function expectValuesAligned(row: Locator, where: string) {
  const cells = await lineStarts(row);
  const starts = cells.flatMap((c) => c.starts);
  const x = starts[0]!;
  for (const c of cells) {
    for (const start of c.starts) {
      expect(
        Math.abs(start - x),
        `${where}: a line of ${c.label} at ${start}, not ${x}`,
      ).toBeLessThan(1);
    }
  }
  // A heading of one word is whole on its line: beside a value of one line, the cell is one line.
  for (const c of cells.filter(
    (c) => c.label && !c.label.includes(' ') && c.starts.length === 1 && !c.button,
  )) {
    expect(c.height, `${where}: the heading ${c.label} broken`).toBeLessThan(
      1.6 * c.lineHeight + 4,
    );
  }
  const rowBox = (await row.boundingBox())!;
  // Past the headings, and room left for the value.
  expect(x - rowBox.x, where).toBeGreaterThan(60);
  expect(rowBox.x + rowBox.width - x, where).toBeGreaterThan(150);
  return cells;
}

for (const lang of ['zh-CN', 'en'] as const) {
  test(`at 360 px the committee reads each row as a card, the page never scrolling sideways (${lang})`, async ({
    page,
    server,
  }) => {
    const w = { ...WORDS[lang], ...NARROW_WORDS[lang] };
    const arrivedOn = new Date(Date.now() - 3 * 86_400_000).toISOString().slice(0, 10);
    await phoneWithABatch(server, [
      {
        person: {
          category: 'visitor',
          name: 'Returnee Li 李',
          address: 'Building 12, Unit 3, Room 1502 (visiting the Zhangs)',
        },
        returnee: {
          status: 'domestic',
          origin: 'Wuhan, Hubei 湖北武汉',
          arrivedOn,
          quarantineUntil: '2099-12-31',
          registered: false,
        },
        note: 'Came back by the night train with two suitcases; the committee called ahead.',
      },
    ]);
    await page.setViewportSize({ width: 360, height: 740 });
    await page.goto(`/committee/?lang=${lang}`);
    await page.getByLabel(w.token).fill(server.adminToken!);
    await page.getByRole('button', { name: w.signIn, exact: true }).click();
    await expect(page.getByText(w.shown(RECORDS + 1))).toBeVisible();

    /** Neither the page nor any table's frame scrolls sideways. */
    const expectNothingSideways = async (where: string) => {
      const wide = await page.evaluate(() => ({
        page: document.scrollingElement!.scrollWidth - window.innerWidth,
        frames: [...document.querySelectorAll('.committee-table-wrap')].map(
          (el) => el.scrollWidth - el.clientWidth,
        ),
      }));
      expect(wide.page, `${where}: the page`).toBeLessThanOrEqual(0);
      for (const f of wide.frames) expect(f, `${where}: a table`).toBeLessThanOrEqual(0);
    };
    await expectNothingSideways('logs');
    // A row reads "heading value" line by line: its gate under the Gate heading, and so on.
    const row = page.getByRole('row').filter({ hasText: 'Guest 00' });
    const gateCell = row.locator(`[data-label="${w.gate}"]`);
    await expect(gateCell).toHaveText('North Gate / 北门');
    const label = await gateCell.evaluate((el) => getComputedStyle(el, '::before').content);
    expect(label).toBe(`"${w.gate}"`);
    const personBox = (await row.locator(`[data-label="${w.person}"]`).boundingBox())!;
    const gateBox = (await gateCell.boundingBox())!;
    expect(personBox.y).toBeGreaterThan(gateBox.y);
    expect(personBox.x + personBox.width).toBeLessThanOrEqual(360);
    // Each value's lines, a person's phone and address under the name, start where every other
    // value starts: past the headings' column, never back under a heading.
    const cells = await expectValuesAligned(row, 'a visitor');
    expect(cells.find((c) => c.label === w.person)!.starts.length).toBeGreaterThanOrEqual(3);
    const returnee = await expectValuesAligned(
      page.getByRole('row').filter({ hasText: 'Returnee Li' }),
      'a returnee',
    );
    expect(returnee.filter((c) => c.starts.length > 1).length).toBeGreaterThanOrEqual(3);

    await page.getByRole('button', { name: w.phones, exact: true }).click();
    await expect(page.getByRole('row', { name: /North phone 1/ })).toBeVisible();
    await expectNothingSideways('phones');
    await expectValuesAligned(page.getByRole('row', { name: /North phone 1/ }), 'a phone');

    // A wide screen keeps the table: its column headings seen, a row's cells side by side.
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.getByRole('button', { name: w.logs, exact: true }).click();
    const heading = page.getByRole('columnheader', { name: w.person, exact: true });
    await expect(heading).toBeVisible();
    const wideRow = page.getByRole('row').filter({ hasText: 'Guest 00' });
    const a = (await wideRow.getByRole('cell').nth(0).boundingBox())!;
    const b = (await wideRow.getByRole('cell').nth(1).boundingBox())!;
    expect(b.x).toBeGreaterThan(a.x);
    expect(Math.abs(b.y - a.y)).toBeLessThan(2);
  });
}

test('the log read again when the page is shown again keeps the rows loaded, and the clerk’s place in them', async ({
  page,
  server,
}) => {
  const visitor = (name: string) => ({ person: { category: 'visitor' as const, name } });
  const { enrolled, ours } = await phoneWithABatch(
    server,
    Array.from({ length: 200 }, (_, i) => visitor(`Visitor ${String(i).padStart(3, '0')}`)),
  );
  await page.goto('/committee/?lang=en');
  await page.getByLabel('Admin token').fill(server.adminToken!);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await expect(page.getByText('100 shown')).toBeVisible();
  await page.getByRole('button', { name: 'Show 100 more' }).click();
  await expect(page.getByText('200 shown')).toBeVisible();
  // The clerk reads a row of the second page, then leaves the page for a while.
  const reading = page.getByRole('row').filter({ hasText: 'Visitor 050' });
  await reading.scrollIntoViewIfNeeded();
  const before = (await reading.boundingBox())!;
  const scrolled = await page.evaluate(() => window.scrollY);
  expect(scrolled).toBeGreaterThan(1000);
  await sendBatch(
    server,
    enrolled.token,
    ['Late 1', 'Late 2', 'Late 3'].map((name) => makeGateLog({ ...ours, ...visitor(name) })),
  );
  await page.evaluate(() => {
    for (const state of ['hidden', 'visible']) {
      Object.defineProperty(document, 'visibilityState', { configurable: true, value: state });
      document.dispatchEvent(new Event('visibilitychange'));
    }
  });
  // Read again: what came meanwhile on top, still the 200 rows loaded.
  await expect(page.getByRole('table').getByRole('row').nth(1)).toContainText('Late 3');
  await expect(page.getByText('200 shown')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Show 33 more' })).toBeVisible();
  // The row the clerk was reading is where it was on the screen: the page did not jump.
  const after = (await reading.boundingBox())!;
  expect(Math.abs(after.y - before.y)).toBeLessThan(2);
});

test("a guard's phone with the app installed still opens the committee's page", async ({
  page,
  server,
}) => {
  await page.goto('/?lang=en');
  await waitForServiceWorker(page);
  await page.goto('/committee/?lang=en');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Committee · GateLog');
  await expect(page.getByLabel('Admin token')).toBeVisible();
  expect(server.requests).toContain('/committee/?lang=en');
});

test('a temperature reads on one line in the wide log table, its unit never under its number (zh-CN)', async ({
  page,
  server,
}) => {
  // One person's rows, as a search for her shows them: in and out, a misread fever corrected.
  const zhu = {
    category: 'resident' as const,
    name: '朱红',
    address: '5号楼 1单元 502',
    phone: '13800138013',
    idType: 'cn_resident_id' as const,
    idNumber: residentId(133),
  };
  const misreadId = makeGateLog().id;
  await phoneWithABatch(server, [
    { person: { ...zhu, category: 'visitor' }, temperatureC: 36.7 },
    { person: { ...zhu, category: 'courier' }, temperatureC: 36.5 },
    { person: zhu, direction: 'out' },
    {
      id: misreadId,
      person: zhu,
      temperatureC: 37.7,
      decision: 'refused',
      note: '体温异常，复测仍高',
    },
    { person: zhu, temperatureC: 36.6, amends: misreadId, note: '复测36.6，前次测温误读' },
  ]);
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.goto('/committee/?lang=zh-CN');
  await page.getByLabel('管理令牌').fill(server.adminToken!);
  await page.getByRole('button', { name: '登录', exact: true }).click();
  await page.getByLabel('查找').fill('朱红');
  await page.getByRole('button', { name: '查询', exact: true }).click();
  await expect(page.getByText('已显示 5 条')).toBeVisible();
  const readings = await page.locator('.committee-table tbody').evaluate((tbody) => {
    const out: { text: string; lines: number }[] = [];
    const walker = document.createTreeWalker(tbody, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      if (!n.textContent?.includes('℃')) continue;
      const range = document.createRange();
      range.selectNodeContents(n);
      const tops = new Set(
        [...range.getClientRects()].filter((r) => r.width > 0).map((r) => Math.round(r.top)),
      );
      out.push({ text: n.textContent, lines: tops.size });
    }
    return out;
  });
  expect(readings).toHaveLength(5);
  for (const r of readings) expect(r, r.text).toEqual({ text: r.text, lines: 1 });
});

for (const lang of ['zh-CN', 'en'] as const) {
  test(`a row's pass number reads as printed, on one line inside its cell, at 1280 and 390 px (${lang})`, async ({
    page,
    server,
  }) => {
    const w = WORDS[lang];
    const resident = (i: number, passId: string) => ({
      person: {
        category: 'resident' as const,
        name: `Resident ${i} 住户`,
        address: 'Building 12, Unit 3, Room 1502',
        phone: '13800138013',
        idType: 'cn_resident_id' as const,
        idNumber: residentId(200 + i),
        passId,
      },
      temperatureC: 36.6,
      note: 'Showed the pass card at the gate.',
    });
    // Scanned (stored as 7K3M9QX2), and typed by hand as read off the card.
    await phoneWithABatch(server, [resident(1, '7K3M9QX2'), resident(2, '7k3m 9qx3')]);
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.goto(`/committee/?lang=${lang}`);
    await page.getByLabel(w.token).fill(server.adminToken!);
    await page.getByRole('button', { name: w.signIn, exact: true }).click();
    await expect(page.getByText(w.shown(RECORDS + 2))).toBeVisible();

    /** Each pass number: its lines, and how far it sticks out of its cell and of the screen. */
    const passNumbers = () =>
      page.locator('.committee-pass').evaluateAll((spans) =>
        spans.map((span) => {
          const box = span.getBoundingClientRect();
          const cell = span.closest('td')!.getBoundingClientRect();
          const tops = new Set(
            [...span.getClientRects()].filter((r) => r.width > 0).map((r) => Math.round(r.top)),
          );
          return {
            text: span.textContent,
            lines: tops.size,
            outOfCell: Math.max(0, box.right - cell.right, cell.left - box.left),
            outOfScreen: Math.max(0, box.right - window.innerWidth),
          };
        }),
      );
    const expectFits = async (width: number) => {
      await expect(page.getByText('7K3M-9QX3')).toBeVisible();
      const numbers = await passNumbers();
      expect(numbers.map((n) => n.text).sort(), `${width} px`).toEqual(['7K3M-9QX2', '7K3M-9QX3']);
      for (const n of numbers) {
        expect(n, `${width} px`).toEqual({ text: n.text, lines: 1, outOfCell: 0, outOfScreen: 0 });
      }
      const sideways = await page.evaluate(() => ({
        page: document.scrollingElement!.scrollWidth - window.innerWidth,
        frames: [...document.querySelectorAll('.committee-table-wrap')].map(
          (el) => el.scrollWidth - el.clientWidth,
        ),
      }));
      expect(sideways.page, `${width} px: the page`).toBeLessThanOrEqual(0);
      for (const f of sideways.frames) expect(f, `${width} px: a table`).toBeLessThanOrEqual(0);
    };
    await expectFits(1280);
    // Under the ID number, in the ID column, named as on the card.
    const row = page.getByRole('row').filter({ hasText: 'Resident 1 住户' });
    await expect(row.getByRole('cell').nth(4)).toHaveText(
      new RegExp(`\\*{11}\\d{3}[\\dX]${lang === 'en' ? 'Pass number' : '出入证号'} 7K3M-9QX2$`),
    );

    await page.setViewportSize({ width: 390, height: 844 });
    await expectFits(390);
  });
}
