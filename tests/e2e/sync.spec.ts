/**
 * DESIGN §5: every record reaches the server exactly once, and the guard ends the shift with
 * the server's receipt. Real Chromium against the real server (buildApp) over HTTP: the
 * committee makes a gate and a code with the admin API, the phone enrolls by the link, logs a
 * stretch of the shift with no network, syncs when it is back, loses the answer to a batch
 * to a reload, and closes the shift. Once on SQLite and once on PostgreSQL (DATABASE_URL; a
 * scratch schema per run, skipped with a message without it).
 */
import type { BrowserContext, Page } from '@playwright/test';
import { isFever, type Gate, type LogItem } from '../../src/shared';
import {
  countById,
  createEnrollmentCode,
  createGate,
  listDevices,
  listLogs,
  LOGS_PAGE_LIMIT,
} from './support/admin';
import {
  canReachServer,
  CATEGORY_LABELS,
  daysAgo,
  enrollByLink,
  logEntry,
  mobile,
  residentId,
  startShift,
  waitForServiceWorker,
  type EntryInput,
} from './support/app';
import { expectAccessible } from './support/axe';
import { expect, test } from './support/fixtures';
import { serverInZone } from './support/server-zone';
import { phoneIds, phoneRecords } from './support/phone';
import { DATABASES, type GateServer } from './support/server';
import { tapSync } from './support/sync-tap';

const OFFLINE_ENTRIES = 50;
const IN_FLIGHT_ENTRIES = 8;
const FEVER_AT = 6;
const RETURNEE_AT = 17;
const CATEGORIES = Object.keys(CATEGORY_LABELS) as (keyof typeof CATEGORY_LABELS)[];
/** Step 3: how long the phone may take to hand over the offline entries once back online. */
const SYNC_AFTER_ONLINE_MS = 30_000;
/** About 45 s on an idle 2-core machine; room for a busy one (CI neighbours, other suites). */
const TEST_TIMEOUT_MS = 150_000;

function entry(i: number): EntryInput {
  const direction = i % 3 === 2 ? 'out' : 'in';
  return {
    direction,
    name: `Guest ${String(i + 1).padStart(2, '0')}`,
    category: CATEGORIES[i % CATEGORIES.length],
    ...(i % 2 === 0 && { idNumber: residentId(i), phone: mobile(i) }),
    temperature:
      i === FEVER_AT ? '38.6' : direction === 'in' ? (36.1 + (i % 7) / 10).toFixed(1) : undefined,
    returnee:
      i === RETURNEE_AT ? { origin: 'Zhejiang Hangzhou', arrivedOn: daysAgo(3) } : undefined,
  };
}

/** The network goes (or comes back) for real: the browser's switch and the server's door. */
async function setNetwork(context: BrowserContext, server: GateServer, online: boolean) {
  await context.setOffline(!online);
  server.setOffline(!online);
}

const syncBar = (page: Page) => page.getByRole('group', { name: 'Sync status' });

/** The receipt's counts as the server computes them (src/server/routes/shifts.ts). */
function countsOf(items: readonly LogItem[], gate: Gate) {
  const count = (pred: (item: LogItem) => boolean) => items.filter(pred).length;
  return {
    In: count((r) => r.direction === 'in'),
    Out: count((r) => r.direction === 'out'),
    Fever: count((r) => isFever(r.temperatureC, gate.rules.feverThresholdC)),
    'Returned from outside the city': count((r) => r.returnee.status !== 'none'),
    Refused: count((r) => r.decision === 'refused'),
    ...Object.fromEntries(
      CATEGORIES.map((c) => [CATEGORY_LABELS[c], count((r) => r.person.category === c)]),
    ),
  };
}

/** The numbers of a `<dl>` of counts: label → number. */
function readCounts(page: Page, listName: string): Promise<Record<string, number>> {
  return page
    .getByRole('region', { name: 'Shift receipt' })
    .locator(`dl[aria-label="${listName}"]`)
    .evaluate((dl) => {
      const out: Record<string, number> = {};
      for (const row of Array.from(dl.children)) {
        const label = row.querySelector('dt')?.textContent?.trim();
        const n = row.querySelector('dd')?.textContent?.trim();
        if (label && n !== undefined) out[label] = Number(n);
      }
      return out;
    });
}

for (const { name: database, kind } of DATABASES) {
  test.describe(`sync with the real server on ${database}`, () => {
    test.use({ serverKind: kind });
    test.describe.configure({ timeout: TEST_TIMEOUT_MS });

    test('offline entries reach the server exactly once, a lost answer is resent as duplicates, and the receipt matches', async ({
      page,
      context,
      server,
    }) => {
      let gate!: Gate;

      await test.step('1. the committee makes a gate and a code; the phone enrolls by the link', async () => {
        gate = await createGate(server, `East Gate ${database}`);
        const { code, url } = await createEnrollmentCode(server, gate.id);
        expect(url).toBe(`${server.url}/?enroll=${encodeURIComponent(code)}`);

        await page.goto(`${url}&lang=en`);
        await expect(page.getByRole('textbox', { name: 'Enrollment code' })).toHaveValue(code);
        await page.getByRole('button', { name: 'Enroll', exact: true }).click();
        await expect(page.getByRole('status').filter({ hasText: 'Enrolled:' })).toHaveText(
          new RegExp(`Enrolled: ${gate.name}`),
        );
        const belongs = page.getByRole('heading', { name: 'This phone belongs to' }).locator('..');
        await expect(belongs).toContainText(gate.name);
        await expect(belongs).toContainText(server.url);
        // The code is single-use: it left the address bar.
        expect(page.url()).not.toContain(code);
        await waitForServiceWorker(page);
        await page.getByRole('button', { name: 'Start logging' }).click();
      });

      const entries = Array.from({ length: OFFLINE_ENTRIES }, (_, i) => entry(i));

      await test.step('2. offline: a shift starts and 50 entries are logged', async () => {
        await setNetwork(context, server, false);
        expect(await canReachServer(page)).toBe(false);
        // Not the browser's switch alone: the server itself answers nobody now.
        await expect(fetch(`${server.url}/healthz`)).rejects.toThrow();
        await expect(syncBar(page)).toContainText('Offline');

        await expect(page.getByText(`Gate (set by the committee): ${gate.name}`)).toBeVisible();
        await startShift(page, 'Chen Jie');
        for (const [i, e] of entries.entries()) await logEntry(page, e, { fever: i === FEVER_AT });

        const onPhone = await phoneRecords(page);
        expect(onPhone).toHaveLength(OFFLINE_ENTRIES);
        expect(onPhone.every((r) => r.syncState === 'pending')).toBe(true);
        await expect(syncBar(page)).toContainText(`${OFFLINE_ENTRIES} records not sent yet`);
      });

      await test.step('3. online: within 30 s the server holds those 50, once each', async () => {
        const tap = await tapSync(context);
        await setNetwork(context, server, true);
        await expect
          .poll(async () => (await listLogs(server, gate.id)).items.length, {
            timeout: SYNC_AFTER_ONLINE_MS,
          })
          .toBeGreaterThanOrEqual(OFFLINE_ENTRIES);

        const { items, pages } = await listLogs(server, gate.id);
        expect(pages).toBeGreaterThan(OFFLINE_ENTRIES / LOGS_PAGE_LIMIT);
        const onPhone = await phoneRecords(page);
        expect([...countById(items).entries()].sort()).toEqual(
          onPhone.map((r) => [r.id, 1] as const).sort(),
        );
        expect(items.map((r) => r.person.name).sort()).toEqual(entries.map((e) => e.name).sort());

        await expect(syncBar(page)).toContainText('Every record has been sent');
        await expect(syncBar(page)).toContainText('Online');
        expect(await phoneIds(page, 'pending')).toEqual([]);
        // The committee's list of phones says so too: this phone holds nothing to send.
        const phones = (await listDevices(server)).filter((d) => d.gateId === gate.id);
        expect(phones.map((d) => d.status?.pending)).toEqual([0]);
        expect(phones[0]?.status?.oldestPendingAt).toBeUndefined();
        // A batch this large goes gzip-compressed (the undo window may have split it).
        expect(tap.exchanges.flatMap((x) => x.ids)).toHaveLength(OFFLINE_ENTRIES);
        expect(tap.exchanges.some((x) => x.compressed && x.status === 200)).toBe(true);
        await tap.stop();
      });

      await test.step('4. a reload while a batch is in flight: the lost answer is resent, stored once', async () => {
        await setNetwork(context, server, false);
        const more = Array.from({ length: IN_FLIGHT_ENTRIES }, (_, i) =>
          entry(OFFLINE_ENTRIES + i),
        );
        for (const e of more) await logEntry(page, e);
        entries.push(...more);

        const tap = await tapSync(context);
        const heldBatch = tap.holdNext();
        await setNetwork(context, server, true);
        const held = await heldBatch;
        // The server stored the batch; the phone never heard so and still has it pending.
        expect(held.ids.length).toBeGreaterThan(0);
        expect(held.answer?.accepted.sort()).toEqual([...held.ids].sort());
        const pendingBeforeReload = await phoneIds(page, 'pending');
        expect(pendingBeforeReload).toEqual(expect.arrayContaining(held.ids));

        await page.reload();
        tap.release();

        // After the reload the same records go again and come back as duplicates.
        await expect
          .poll(async () => (await phoneIds(page, 'pending')).length, { timeout: 30_000 })
          .toBe(0);
        const resent = tap.exchanges.slice(tap.exchanges.indexOf(held) + 1);
        const duplicates = resent.flatMap((x) => x.answer?.duplicates ?? []);
        const acceptedAgain = resent.flatMap((x) => x.answer?.accepted ?? []);
        expect(duplicates.sort()).toEqual([...held.ids].sort());
        expect(acceptedAgain.filter((id) => held.ids.includes(id))).toEqual([]);
        expect(resent.flatMap((x) => x.answer?.rejected ?? [])).toEqual([]);
        await tap.stop();

        const { items } = await listLogs(server, gate.id);
        const onPhone = await phoneRecords(page);
        expect(onPhone).toHaveLength(OFFLINE_ENTRIES + IN_FLIGHT_ENTRIES);
        expect([...countById(items).entries()].sort()).toEqual(
          onPhone.map((r) => [r.id, 1] as const).sort(),
        );
        await expect(syncBar(page)).toContainText('Every record has been sent');
      });

      await test.step('5. the shift ends with a receipt that matches the server', async () => {
        await page.getByRole('link', { name: 'End shift' }).click();
        await page.getByRole('button', { name: 'End shift' }).click();
        await page.getByRole('button', { name: 'End shift' }).click();

        const total = OFFLINE_ENTRIES + IN_FLIGHT_ENTRIES;
        const receipt = page.getByRole('region', { name: 'Shift receipt' });
        await expect(receipt.getByRole('status')).toHaveText(`✓ All ${total} received`);

        const { items } = await listLogs(server, gate.id);
        const shiftIds = new Set((await phoneRecords(page)).map((r) => r.shiftId));
        expect(shiftIds.size).toBe(1);
        const ofShift = items.filter((r) => shiftIds.has(r.shiftId));
        expect(ofShift).toHaveLength(total);

        const expected = countsOf(ofShift, gate);
        expect(expected.Fever).toBe(1);
        expect(expected['Returned from outside the city']).toBe(1);
        expect(expected.Out).toBe(entries.filter((e) => e.direction === 'out').length);
        const shown = {
          ...(await readCounts(page, 'Direction')),
          ...(await readCounts(page, 'Category')),
        };
        expect(shown).toEqual(expected);
      });
    });

    test('a shift ended offline gets its receipt once the network is back, with the next shift on', async ({
      page,
      context,
      server,
    }) => {
      const gate = await enrollByLink(page, server);
      await setNetwork(context, server, false);
      await startShift(page, 'Chen Jie');
      const first = [0, 1, 2].map(entry);
      for (const e of first) await logEntry(page, e);
      await page.getByRole('link', { name: 'End shift' }).click();
      await page.getByRole('button', { name: 'End shift' }).click();
      await page.getByRole('button', { name: 'End shift' }).click();
      const receipt = page.getByRole('region', { name: 'Shift receipt' });
      await expect(receipt).toContainText('Cannot reach the server right now.');
      await expect(receipt).toContainText('3 still waiting on this phone');
      // The guard can still look back at the shift in the logbook.
      await page.getByRole('link', { name: 'Logbook' }).click();
      await expect(page.getByRole('list', { name: 'Entries' }).getByRole('listitem')).toHaveCount(
        3,
      );
      await page.getByRole('link', { name: 'End shift' }).click();

      // The next guard takes over before the network is back.
      await page.getByRole('link', { name: 'Start the next shift' }).click();
      await expect(page.getByText(/The receipt of the last shift \(Chen Jie\)/)).toBeVisible();
      await startShift(page, 'Lin Na');
      await logEntry(page, entry(3));

      await setNetwork(context, server, true);
      await expect
        .poll(async () => (await listLogs(server, gate.id)).items.length, { timeout: 30_000 })
        .toBe(4);
      // The runner asked for the ended shift's receipt by itself: it is on the End shift tab.
      await page.getByRole('link', { name: 'End shift' }).click();
      const earlier = page.getByRole('region', { name: 'Earlier shifts' });
      const chen = earlier.getByRole('button', { name: /^Chen Jie .* 3 entries/ });
      await expect(chen).toContainText('✓ receipt in', { timeout: 30_000 });
      await chen.click();
      await expect(
        earlier.getByRole('region', { name: 'Shift receipt' }).getByRole('status'),
      ).toHaveText('✓ All 3 received');
    });
  });
}

test.describe('a phone set to another time zone than the server', () => {
  // The phone in Tokyo's zone, its clock right; the server (this process) in China's.
  test.use({ serverKind: 'app', timezoneId: 'Asia/Tokyo' });
  serverInZone('Asia/Shanghai');

  test('is told at its first sync, and how to set it; hidden until the app starts again', async ({
    page,
    server,
  }) => {
    const gate = await enrollByLink(page, server);
    await startShift(page, 'Chen Jie');
    await logEntry(page, entry(1));
    const bar = page.getByRole('group', { name: 'Sync status' });
    await bar.getByRole('button', { name: 'Sync now' }).click();
    // Under the header, in the page's flow: in the sticky header it covered the form.
    const notice = page.getByRole('alert').filter({ hasText: 'time zone' });
    await expect(notice).toContainText(
      'This phone’s time zone is UTC+09:00, the server’s is UTC+08:00',
      { timeout: 30_000 },
    );
    await expect(notice).toContainText('“Set time zone automatically”');
    // The sync line and the notice alone: the form beneath is checked elsewhere.
    await expectAccessible(page, 'the time zone notice', '.app-header, .app-notices');
    // The entry keeps the time the phone gave it, in the phone's zone. (The notice comes with
    // the device config's answer, before the batch: the entry is waited for.)
    await expect
      .poll(async () => (await listLogs(server, gate.id)).items[0]?.occurredAt ?? '', {
        timeout: 15_000,
      })
      .toMatch(/\+09:00$/);

    await notice.getByRole('button', { name: 'Hide for now' }).click();
    await expect(notice).toBeHidden();
    await expect(bar).toBeFocused();

    await page.reload();
    await expect(notice).toContainText('UTC+09:00', { timeout: 10_000 });
  });
});
