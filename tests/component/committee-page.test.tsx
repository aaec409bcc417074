/**
 * The committee's page against a real server over HTTP (Fastify on a SQLite file, listening on
 * a port): signing in, the logs and their filters, pages, the CSV export, the phones, revoking
 * one, and a new enrollment code.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { act, render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  DEFAULT_GATE_NAME,
  DEFAULT_GATE_RULES,
  type GateLog,
  type SyncResponse,
} from '../../src/shared';
import { CommitteePage } from '../../src/app/features/committee/committee-app';
import { loopbackHost, plainHttpHost } from '../../src/app/features/committee/phones-view';
import { passSheetFileName } from '../../src/app/features/committee/passes-view';
import {
  countsOfEveryGate,
  csvFileName,
  dayStartIso,
  lateQueryOf,
  localDay,
  queryOf,
  readRows,
  rolledOver,
  rowsToReadAgain,
} from '../../src/app/features/committee/logs-view';
import type { AdminApi } from '../../src/app/features/committee/admin-api';
import { makeGateLog, type GateLogOverrides } from '../server/factories';
import type { Command, Started } from './support/committee-server';

let child: ChildProcess;
let server: Started;
let base: string;
let childLines: AsyncIterator<string>;

/** Has the test server do what the API cannot, and waits until it has. */
async function command(c: Command): Promise<void> {
  child.stdin!.write(JSON.stringify(c) + '\n');
  const answer = await childLines.next();
  expect(answer.value).toBe('done');
}

const record = (overrides: GateLogOverrides = {}) =>
  makeGateLog({ deviceId: server.phone.deviceId, gateId: server.phone.gateId, ...overrides });

/** One sync batch from the enrolled phone, over HTTP. */
async function sync(
  records: GateLog[],
  device: Record<string, unknown> = { appVersion: '0.1.0', pending: 0 },
): Promise<Response> {
  return fetch(`${base}/api/v1/sync`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${server.phone.token}` },
    body: JSON.stringify({ batchId: randomUUID(), device, records }),
  });
}

const page = () => render(<CommitteePage base={base} />);

async function signIn(token = server.adminToken) {
  const user = userEvent.setup();
  await user.type(await screen.findByLabelText('管理令牌'), token);
  await user.click(screen.getByRole('button', { name: '登录' }));
  return user;
}

/**
 * The enrolled phone says it still holds 7 records (the oldest 2 h old); the clerk, signed in with
 * revoking confirmed, opens Phones: its row.
 */
async function phonesWithSevenWaiting() {
  const oldest = new Date(Date.now() - 2 * 3600_000).toISOString();
  expect(
    (await sync([], { appVersion: '0.1.0', pending: 7, oldestPendingAt: oldest })).status,
  ).toBe(200);
  vi.spyOn(window, 'confirm').mockReturnValue(true);
  page();
  const user = await signIn();
  await user.click(await screen.findByRole('button', { name: '手机' }));
  const row = (await screen.findByRole('rowheader', { name: '北门手机 1' })).closest('tr')!;
  return { user, row };
}

/** `n` records of today, every 10th a fever (referred), in the order they are sent. */
async function seed(n: number) {
  const records = Array.from({ length: n }, (_, i) =>
    record(
      i % 10 === 0
        ? {
            temperatureC: 38.2,
            decision: 'referred',
            person: { name: `发热${i}`, category: 'resident' },
          }
        : { person: { name: `住户${i}`, category: 'resident' } },
    ),
  );
  const res = await sync(records);
  expect(res.status).toBe(200);
  expect(((await res.json()) as SyncResponse).accepted).toHaveLength(n);
  return records;
}

/** The page said that the gate `name` is gone, read the gates again, and `select` chose none. */
async function expectGateGone(select: HTMLElement, name: string) {
  expect(await screen.findByRole('alert')).toHaveTextContent(
    '这个门岗已不存在，门岗列表已重新读取。请重新选择门岗。',
  );
  await vi.waitFor(() =>
    expect(within(select).queryByRole('option', { name })).not.toBeInTheDocument(),
  );
  expect(select).toHaveValue('');
}

/** Starts the test server (`env` added to its environment), as `server` at `base`. */
async function startTestServer(env: Record<string, string> = {}) {
  child = spawn(
    process.execPath,
    // From the project's root, where vitest runs: this file's own URL is a browser's here.
    ['--import', 'tsx', resolve('tests/component/support/committee-server.ts')],
    { stdio: ['pipe', 'pipe', 'inherit'], env: { ...process.env, ...env } },
  );
  const lines = createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
  childLines = lines;
  const first = await lines.next();
  if (first.done) throw new Error('the test server stopped before it started');
  server = JSON.parse(first.value as string) as Started;
  base = server.url;
}

async function stopTestServer() {
  const exited = new Promise((done) => child.once('exit', done));
  child.stdin!.end();
  await exited;
}

describe('committee page', () => {
  beforeEach(async () => {
    sessionStorage.clear();
    // Chinese, as a committee's browser has it (jsdom's says en-US).
    localStorage.setItem('gatelog.locale', 'zh-CN');
    await startTestServer();
  });

  afterEach(async () => {
    vi.restoreAllMocks();
    await stopTestServer();
  });

  it('signs in with the admin token only, and keeps it in this tab', async () => {
    await seed(3);
    const first = page();
    const user = userEvent.setup();
    await user.click(await screen.findByRole('button', { name: '登录' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('必填');
    await signIn('not-the-admin-token-0000');
    expect(await screen.findByRole('alert')).toHaveTextContent('服务器不认这个令牌');
    expect(sessionStorage.getItem('gatelog.adminToken')).toBeNull();

    await user.clear(screen.getByLabelText('管理令牌'));
    await signIn();
    expect(await screen.findByText('已显示 3 条')).toBeInTheDocument();
    first.unmount();

    // A reload of the tab: signed in again without asking.
    page();
    expect(await screen.findByText('已显示 3 条')).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: '退出登录' }));
    expect(await screen.findByLabelText('管理令牌')).toBeInTheDocument();
    expect(sessionStorage.getItem('gatelog.adminToken')).toBeNull();
  });

  it('shows today’s logs with ID numbers masked and fevers marked, a page at a time', async () => {
    const records = await seed(130);
    page();
    await signIn();
    expect(await screen.findByText('已显示 100 条')).toBeInTheDocument();
    // What all the pages add up to, every flag counted.
    expect(
      await screen.findByText('共 130 条 · 发热 13 · 外地返回 0 · 劝返 0'),
    ).toBeInTheDocument();
    // The newest received first: the batch's last record on top.
    let table = screen.getByRole('table', { name: '登记记录，最新收到的在前' });
    expect(within(table).getAllByRole('row').slice(1)[0]).toHaveTextContent('住户129');

    // In the order received: the batch's order.
    const user = userEvent.setup();
    await user.selectOptions(screen.getByLabelText('顺序'), '最早收到的在前');
    await user.click(screen.getByRole('button', { name: '查询' }));
    table = await screen.findByRole('table', { name: '登记记录，按服务器收到的先后排列' });
    const rows = within(table).getAllByRole('row').slice(1);
    expect(rows).toHaveLength(100);
    expect(rows[0]).toHaveTextContent('发热0');
    expect(rows[0]).toHaveTextContent('38.2 ℃ 发热');
    expect(rows[0]).toHaveTextContent('转居委会');
    const id = records[1]!.person.idNumber!;
    expect(rows[1]).toHaveTextContent(`${id.slice(0, 3)}***********${id.slice(-4)}`);
    expect(rows[1]).not.toHaveTextContent(id);

    // What is left, not a whole page.
    // The count in its name comes with the totals, which may answer after the page.
    await user.click(await screen.findByRole('button', { name: '再显示 30 条' }));
    expect(await screen.findByText('已显示 130 条')).toBeInTheDocument();
    expect(screen.getByText('已全部显示')).toBeInTheDocument();
    expect(within(table).getAllByRole('row')).toHaveLength(131);
    // Another language keeps what was loaded.
    await user.click(screen.getByRole('button', { name: 'Switch to English' }));
    expect(await screen.findByText('130 shown')).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: '切换到中文' }));

    // Only the fevers.
    await user.selectOptions(screen.getByLabelText('只看'), '发热');
    await user.click(screen.getByRole('button', { name: '查询' }));
    expect(await screen.findByText('已显示 13 条')).toBeInTheDocument();
    // The totals stay those of the days and gates chosen: the flag picks among them.
    expect(
      await screen.findByText('共 130 条 · 发热 13 · 外地返回 0 · 劝返 0'),
    ).toBeInTheDocument();
    // Another gate: none.
    await user.clear(screen.getByLabelText('从（含）'));
    await user.type(screen.getByLabelText('从（含）'), '2020-01-01');
    await user.clear(screen.getByLabelText('到（含）'));
    await user.type(screen.getByLabelText('到（含）'), '2020-01-02');
    await user.click(screen.getByRole('button', { name: '查询' }));
    expect(await screen.findByText('没有符合条件的记录')).toBeInTheDocument();
  });

  it('says how many the next page brings: a hundred, or what is left of the list', async () => {
    await seed(130);
    const fevers = Array.from({ length: 95 }, (_, i) =>
      record({
        temperatureC: 38.5,
        decision: 'referred',
        person: { name: `高烧${i}`, category: 'resident' },
      }),
    );
    expect((await sync(fevers)).status).toBe(200);
    page();
    const user = await signIn();
    expect(
      await screen.findByText('共 225 条 · 发热 108 · 外地返回 0 · 劝返 0'),
    ).toBeInTheDocument();
    await user.click(await screen.findByRole('button', { name: '再显示 100 条' }));
    expect(await screen.findByText('已显示 200 条')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: '再显示 25 条' })).toBeInTheDocument();

    // Only the fevers: what is left of them.
    await user.selectOptions(screen.getByLabelText('只看'), '发热');
    await user.click(screen.getByRole('button', { name: '查询' }));
    expect(await screen.findByText('已显示 100 条')).toBeInTheDocument();
    expect(await screen.findByRole('button', { name: '再显示 8 条' })).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: '再显示 8 条' }));
    expect(await screen.findByText('已显示 108 条')).toBeInTheDocument();
    expect(screen.getByText('已全部显示')).toBeInTheDocument();
  });

  it('says whether a returnee has registered with the committee: the clerk’s follow-up', async () => {
    const returnee = (name: string, registered: boolean) =>
      record({
        person: { name, category: 'resident' },
        returnee: {
          status: 'domestic',
          origin: '湖北武汉',
          arrivedOn: '2020-01-20',
          quarantineUntil: '2020-02-03',
          registered,
        },
      });
    expect((await sync([returnee('周到', true), returnee('吴缺', false)])).status).toBe(200);
    page();
    await signIn();
    expect(await screen.findByText('已显示 2 条')).toBeInTheDocument();
    const rowOf = (name: string) =>
      within(screen.getByRole('table', { name: '登记记录，最新收到的在前' }))
        .getAllByRole('row')
        .find((r) => r.textContent!.includes(name))!;
    expect(rowOf('周到')).toHaveTextContent('已向居委会登记');
    expect(rowOf('吴缺')).toHaveTextContent('未向居委会登记');
  });

  it('shows the pass number a person passed with, as printed on the card, beside the ID', async () => {
    const scanned = record({
      person: { name: '王芳', category: 'resident', passId: '7K3M9QX2' },
    });
    // Typed by hand on the phone, as read off the card.
    const typed = record({ person: { name: '李雷', category: 'resident', passId: '7k3m 9oxa' } });
    const none = record({ person: { name: '韩梅', category: 'visitor' } });
    expect((await sync([scanned, typed, none])).status).toBe(200);
    page();
    const user = await signIn();
    expect(await screen.findByText('已显示 3 条')).toBeInTheDocument();
    const table = screen.getByRole('table', { name: '登记记录，最新收到的在前' });
    const idCell = (name: string) => {
      const row = within(table)
        .getAllByRole('row')
        .find((r) => r.textContent!.includes(name))!;
      // Time, gate, direction, person, ID…
      return within(row).getAllByRole('cell')[4]!;
    };
    const id = scanned.person.idNumber!;
    expect(idCell('王芳')).toHaveTextContent(
      `${id.slice(0, 3)}***********${id.slice(-4)}出入证号 7K3M-9QX2`,
    );
    expect(idCell('李雷')).toHaveTextContent(/出入证号 7K3M-90XA$/);
    expect(idCell('韩梅')).not.toHaveTextContent('出入证号');

    await user.click(screen.getByRole('button', { name: 'Switch to English' }));
    expect(await screen.findByText('3 shown')).toBeInTheDocument();
    expect(idCell('王芳')).toHaveTextContent(/Pass number 7K3M-9QX2$/);
  });

  it('shows a corrected record as corrected, and counts and flags its correction instead', async () => {
    const fever = record({
      temperatureC: 38.6,
      decision: 'referred',
      person: { name: '钱多多', category: 'resident' },
    });
    const fixed = record({
      temperatureC: 36.6,
      decision: 'admitted',
      note: '复测正常：额温枪误读',
      amends: fever.id,
      person: { name: '钱多多', category: 'resident' },
    });
    const other = record({
      temperatureC: 38.1,
      decision: 'referred',
      person: { name: '孙立', category: 'resident' },
    });
    expect((await sync([fever, fixed, other])).status).toBe(200);
    page();
    const user = await signIn();
    expect(await screen.findByText('已显示 3 条')).toBeInTheDocument();
    // Two people passed: the corrected reading is listed, not counted, and no fever any more.
    expect(
      await screen.findByText(/^共 2 条 · 发热 1 · .* · 另有 1 条已被更正（不计入）$/),
    ).toBeInTheDocument();
    const rows = within(screen.getByRole('table', { name: '登记记录，最新收到的在前' }))
      .getAllByRole('row')
      .filter((r) => r.textContent!.includes('钱多多'));
    const corrected = rows.find((r) => r.textContent!.includes('38.6'))!;
    expect(corrected).toHaveTextContent('已被更正：以更正后的记录为准');
    expect(corrected).not.toHaveTextContent('发热');
    expect(rows.find((r) => r.textContent!.includes('36.6'))).toHaveTextContent('更正');

    await user.selectOptions(screen.getByLabelText('只看'), 'fever');
    await user.click(screen.getByRole('button', { name: '查询' }));
    expect(await screen.findByText('已显示 1 条')).toBeInTheDocument();
    expect(screen.getByRole('table', { name: '登记记录，最新收到的在前' })).toHaveTextContent(
      '孙立',
    );
  });

  it('says how many records of earlier days arrived today, fevers too, and lists them', async () => {
    const ago = (hours: number) => new Date(Date.now() - hours * 3600_000).toISOString();
    await seed(2);
    const lateOnes = [
      record({
        occurredAt: ago(30),
        temperatureC: 38.6,
        decision: 'referred',
        person: { name: '昨夜发热', category: 'resident' },
      }),
      record({ occurredAt: ago(50), person: { name: '前天', category: 'visitor' } }),
      record({ occurredAt: ago(26), person: { name: '昨天', category: 'courier' } }),
    ];
    expect((await sync(lateOnes)).status).toBe(200);
    page();
    const user = await signIn();
    expect(await screen.findByText('已显示 2 条')).toBeInTheDocument();
    const line = await screen.findByRole('button', {
      name: '今天收到 3 条以前日期的记录（其中发热 1 条），点此查看',
    });
    await user.click(line);
    expect(await screen.findByText('已显示 3 条')).toBeInTheDocument();
    expect(screen.getByText('今天收到的以前日期的记录')).toBeInTheDocument();
    const table = screen.getByRole('table', { name: '登记记录，最新收到的在前' });
    for (const r of lateOnes) expect(table).toHaveTextContent(r.person.name);
    expect(table).not.toHaveTextContent('住户1');
    await user.click(screen.getByRole('button', { name: '返回登记记录' }));
    expect(await screen.findByText('已显示 2 条')).toBeInTheDocument();
    expect(screen.queryByText('今天收到的以前日期的记录')).not.toBeInTheDocument();
  });

  describe('left open past midnight', () => {
    /** The clerk's local midnight that began today (the server's clock stays real). */
    const midnight = () => new Date(new Date().setHours(0, 0, 0, 0)).getTime();
    const realNow = () => new Date(Date.now()).toISOString();
    const people = (...names: string[]) =>
      names.map((name) =>
        record({ occurredAt: realNow(), person: { name, category: 'resident' } }),
      );
    const showAgain = () => {
      for (const state of ['hidden', 'visible']) {
        Object.defineProperty(document, 'visibilityState', { configurable: true, value: state });
        document.dispatchEvent(new Event('visibilitychange'));
      }
    };

    afterEach(() => {
      vi.useRealTimers();
      Reflect.deleteProperty(document, 'visibilityState');
    });

    /** Opens the page at 23:59:55 of the day before the real today, signed in. */
    async function openBeforeMidnight() {
      expect((await sync(people('甲', '乙'))).status).toBe(200);
      const today = localDay();
      const turn = midnight();
      vi.useFakeTimers({ shouldAdvanceTime: true, toFake: ['Date', 'setTimeout', 'clearTimeout'] });
      vi.setSystemTime(turn - 5_000);
      const yesterday = localDay();
      page();
      const user = await signIn();
      expect(await screen.findByText('没有符合条件的记录')).toBeInTheDocument();
      expect(screen.getByLabelText('从（含）')).toHaveValue(yesterday);
      return { user, today, yesterday, midnight: turn };
    }

    it('shows the new day as today from the clerk’s midnight on', async () => {
      const { today } = await openBeforeMidnight();
      await vi.advanceTimersByTimeAsync(6_000);
      expect(await screen.findByText('已显示 2 条')).toBeInTheDocument();
      expect(screen.getByLabelText('从（含）')).toHaveValue(today);
      expect(screen.getByLabelText('到（含）')).toHaveValue(today);
    });

    it('looks at the day again, and reads the log again, when shown after being hidden', async () => {
      const { today, midnight: turn } = await openBeforeMidnight();
      // A laptop asleep over midnight: no timer fired, the clock moved on.
      vi.setSystemTime(turn + 60_000);
      showAgain();
      expect(await screen.findByText('已显示 2 条')).toBeInTheDocument();
      expect(screen.getByLabelText('从（含）')).toHaveValue(today);
      // What came while the page was hidden is there when it is shown again.
      expect((await sync(people('丙'))).status).toBe(200);
      showAgain();
      expect(await screen.findByText('已显示 3 条')).toBeInTheDocument();
    });

    it('keeps the days the clerk chose', async () => {
      const { user, yesterday } = await openBeforeMidnight();
      const earlier = localDay(new Date(Date.now() - 3 * 86_400_000));
      await user.clear(screen.getByLabelText('从（含）'));
      await user.type(screen.getByLabelText('从（含）'), earlier);
      await user.click(screen.getByRole('button', { name: '查询' }));
      await vi.advanceTimersByTimeAsync(6_000);
      await screen.findByText('没有符合条件的记录');
      expect(screen.getByLabelText('从（含）')).toHaveValue(earlier);
      expect(screen.getByLabelText('到（含）')).toHaveValue(yesterday);
      expect(screen.queryByText(/已显示/)).not.toBeInTheDocument();
    });

    it('keeps the log pages the clerk loaded when it reads the log again, in place', async () => {
      await seed(130);
      page();
      const user = await signIn();
      const summary = '共 130 条 · 发热 13 · 外地返回 0 · 劝返 0';
      expect(await screen.findByText(summary)).toBeInTheDocument();
      await user.click(await screen.findByRole('button', { name: '再显示 30 条' }));
      expect(await screen.findByText('已显示 130 条')).toBeInTheDocument();
      const table = screen.getByRole('table', { name: '登记记录，最新收到的在前' });
      const rows = () => within(table).getAllByRole('row').length - 1;
      expect((await sync(people('丙', '丁', '戊'))).status).toBe(200);
      // The log and its totals are held on their way from the server while the test looks.
      const realFetch = globalThis.fetch;
      const asked: string[] = [];
      let answer!: () => void;
      const held = new Promise<void>((go) => (answer = go));
      vi.spyOn(globalThis, 'fetch').mockImplementation(async (input, init) => {
        const url = input instanceof Request ? input.url : String(input);
        if (url.includes('/api/v1/logs')) {
          asked.push(url);
          await held;
        }
        return realFetch(input, init);
      });
      showAgain();
      await vi.waitFor(() => expect(asked).toHaveLength(3)); // the list, its totals, the late ones
      await act(() => new Promise((done) => setTimeout(done, 100)));
      // While it is read again: the same table with every row, and the totals above it, so
      // nothing moves the rows the clerk is reading.
      expect(table).toBeInTheDocument();
      expect(rows()).toBe(130);
      expect(screen.getByText(summary)).toBeInTheDocument();
      // The list had been read to its end: 130 rows again, and a page more for what came since.
      expect(asked.find((u) => /\/logs\?/.test(u))).toContain('limit=230');
      answer();
      expect(await screen.findByText('已显示 133 条')).toBeInTheDocument();
      expect(table).toBeInTheDocument();
      expect(within(table).getAllByRole('row')[1]).toHaveTextContent('戊');
      expect(
        await screen.findByText('共 133 条 · 发热 13 · 外地返回 0 · 劝返 0'),
      ).toBeInTheDocument();
      expect(screen.getByText('已全部显示')).toBeInTheDocument();
    });

    it('reads again as many rows as were loaded when more are left to show', async () => {
      await seed(230);
      page();
      const user = await signIn();
      await user.click(await screen.findByRole('button', { name: '再显示 100 条' }));
      expect(await screen.findByText('已显示 200 条')).toBeInTheDocument();
      expect((await sync(people('丙'))).status).toBe(200);
      showAgain();
      expect(
        await screen.findByText('共 231 条 · 发热 23 · 外地返回 0 · 劝返 0'),
      ).toBeInTheDocument();
      const table = screen.getByRole('table', { name: '登记记录，最新收到的在前' });
      await vi.waitFor(() => expect(within(table).getAllByRole('row')[1]).toHaveTextContent('丙'));
      expect(screen.getByText('已显示 200 条')).toBeInTheDocument();
      await user.click(await screen.findByRole('button', { name: '再显示 31 条' }));
      expect(await screen.findByText('已显示 231 条')).toBeInTheDocument();
    });

    /** What another clerk (or the command line) does meanwhile, behind the page's back. */
    const adminPost = async (path: string, body: unknown) => {
      const res = await fetch(`${base}/api/v1/${path}`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${server.adminToken}`,
          'content-type': 'application/json',
        },
        body: JSON.stringify(body),
      });
      expect(res.status).toBe(201);
    };
    const inDays = (n: number) => localDay(new Date(Date.now() + n * 86_400_000));

    it('reads the phones again when shown again, the list kept on screen meanwhile', async () => {
      page();
      const user = await signIn();
      await user.click(await screen.findByRole('button', { name: '手机' }));
      const row = (await screen.findByRole('rowheader', { name: '北门手机 1' })).closest('tr')!;
      expect(row).toHaveTextContent('从未');
      // The phone syncs while the page is hidden.
      expect((await sync([], { appVersion: '0.2.0', pending: 3 })).status).toBe(200);
      showAgain();
      // Not emptied while it is read again: the row the clerk was reading is still there.
      expect(row).toBeInTheDocument();
      await vi.waitFor(() => expect(row).toHaveTextContent('0.2.0'));
      expect(row).not.toHaveTextContent('从未');
    });

    it('reads the passes again when shown again, keeping what the clerk typed', async () => {
      await adminPost('passes', { name: '韩梅梅', address: '1号楼 101', validUntil: inDays(90) });
      page();
      const user = await signIn();
      await user.click(await screen.findByRole('button', { name: '出入证' }));
      const first = await screen.findByRole('rowheader', { name: '韩梅梅' });
      const form = screen.getByRole('form', { name: '办理出入证' });
      await user.type(within(form).getByLabelText('姓名'), '王小明');
      await user.type(within(form).getByLabelText('住址'), '3号楼 502');
      await adminPost('passes', { name: '李雷', address: '2号楼 202', validUntil: inDays(30) });
      showAgain();
      expect(first).toBeInTheDocument();
      expect(await screen.findByRole('rowheader', { name: '李雷' })).toBeInTheDocument();
      expect(first).toBeInTheDocument();
      expect(within(form).getByLabelText('姓名')).toHaveValue('王小明');
      expect(within(form).getByLabelText('住址')).toHaveValue('3号楼 502');
    });

    it('reads the gates again when shown again, for every tab, keeping what the clerk typed', async () => {
      await adminPost('gates', { name: '西门' });
      page();
      const user = await signIn();
      await user.click(await screen.findByRole('button', { name: '门岗' }));
      const fever = (gate: string) =>
        within(screen.getByRole('form', { name: gate })).getByLabelText('发热标准（℃ 及以上）');
      expect(fever(server.gate.name)).toHaveValue('37.3');
      await user.clear(fever('西门'));
      await user.type(fever('西门'), '37.5');
      // Meanwhile another clerk (or the command line) changes a gate and adds one.
      const changed = await fetch(`${base}/api/v1/gates/${server.gate.id}`, {
        method: 'PATCH',
        headers: {
          authorization: `Bearer ${server.adminToken}`,
          'content-type': 'application/json',
        },
        body: JSON.stringify({ rules: { feverThresholdC: 37 } }),
      });
      expect(changed.status).toBe(200);
      await adminPost('gates', { name: '东门' });
      showAgain();
      expect(await screen.findByRole('form', { name: '东门' })).toBeInTheDocument();
      await vi.waitFor(() => expect(fever(server.gate.name)).toHaveValue('37.0'));
      expect(fever('西门')).toHaveValue('37.5');
      // The page's gates: the log's gate filter has the new one too.
      await user.click(screen.getByRole('button', { name: '登记记录' }));
      expect(screen.getByRole('option', { name: '东门' })).toBeInTheDocument();
    });

    it('reads the watchlist again at the clerk’s midnight, keeping what the clerk typed', async () => {
      const { user } = await openBeforeMidnight();
      await user.click(screen.getByRole('button', { name: '居家隔离名单' }));
      expect(await screen.findByText('名单为空')).toBeInTheDocument();
      const form = screen.getByRole('form', { name: '加入名单' });
      await user.type(within(form).getByLabelText('姓名'), '李四');
      await adminPost('watchlist', { name: '王五', until: inDays(10), phone: '13800138000' });
      await vi.advanceTimersByTimeAsync(6_000);
      expect(await screen.findByRole('rowheader', { name: '王五' })).toBeInTheDocument();
      expect(within(form).getByLabelText('姓名')).toHaveValue('李四');
    });

    it('tells a pass past its last day and a quarantine that has ended from those in force', async () => {
      await adminPost('passes', { name: '韩梅梅', address: '1号楼 101', validUntil: inDays(30) });
      await adminPost('passes', { name: '李雷', address: '2号楼 202', validUntil: inDays(90) });
      await adminPost('watchlist', { name: '王五', until: inDays(10), phone: '13800138000' });
      await adminPost('watchlist', { name: '赵六', until: inDays(60), phone: '13900139000' });
      // The clerk opens the page 40 days on (the server's clock stays real; it lists them all).
      vi.useFakeTimers({ shouldAdvanceTime: true, toFake: ['Date'] });
      vi.setSystemTime(Date.now() + 40 * 86_400_000);
      page();
      const user = await signIn();
      await user.click(await screen.findByRole('button', { name: '出入证' }));
      const passes = await screen.findByRole('table', { name: '未停用的出入证' });
      const rowOf = (name: string) =>
        within(document.body).getByRole('rowheader', { name }).closest('tr')!;
      await within(passes).findByRole('rowheader', { name: '韩梅梅' });
      expect(rowOf('韩梅梅')).toHaveTextContent('已过期：门岗不再放行');
      expect(rowOf('韩梅梅')).toHaveClass('revoked');
      expect(rowOf('李雷')).not.toHaveTextContent('已过期');
      expect(rowOf('李雷')).not.toHaveClass('revoked');

      await user.click(screen.getByRole('button', { name: '居家隔离名单' }));
      await screen.findByRole('rowheader', { name: '王五' });
      expect(rowOf('王五')).toHaveTextContent('已期满：门岗不再提醒');
      expect(rowOf('王五')).toHaveClass('revoked');
      expect(rowOf('赵六')).not.toHaveTextContent('已期满');

      await user.click(screen.getByRole('button', { name: 'Switch to English' }));
      expect(rowOf('王五')).toHaveTextContent('Ended: the gates no longer alert');
      // A button's name says what it shows (WCAG 2.5.3: a voice user says what is seen).
      const remove = within(rowOf('王五')).getByRole('button');
      expect(remove).toHaveAccessibleName(expect.stringContaining(remove.textContent!));
      expect(remove).toHaveAccessibleName('Remove 王五 from the watchlist');
      await user.click(screen.getByRole('button', { name: 'Passes' }));
      await screen.findByRole('rowheader', { name: '韩梅梅' });
      expect(rowOf('韩梅梅')).toHaveTextContent('Expired: the gates refuse it');
    });
  });

  it('says when a record came, under its time, when it came more than 15 minutes late', async () => {
    const ago = (ms: number) => new Date(Date.now() - ms).toISOString();
    const late = record({
      occurredAt: ago(20 * 60_000),
      person: { name: '晚到', category: 'resident' },
    });
    const days = record({
      occurredAt: ago(50 * 3600_000),
      person: { name: '隔天', category: 'resident' },
    });
    const onTime = record({
      occurredAt: ago(5 * 60_000),
      person: { name: '准时', category: 'resident' },
    });
    expect((await sync([late, days, onTime])).status).toBe(200);
    page();
    const user = await signIn();
    await screen.findByText(/已显示/);
    await user.clear(screen.getByLabelText('从（含）'));
    await user.type(
      screen.getByLabelText('从（含）'),
      localDay(new Date(Date.now() - 3 * 86_400_000)),
    );
    await user.click(screen.getByRole('button', { name: '查询' }));
    expect(await screen.findByText('已显示 3 条')).toBeInTheDocument();
    const table = screen.getByRole('table', { name: '登记记录，最新收到的在前' });
    const timeOf = (name: string) =>
      within(table)
        .getAllByRole('row')
        .find((r) => r.textContent!.includes(name))!
        .querySelector('td')!;
    // The same day: the time it came; another day: its date too.
    const sameDay = localDay(new Date(late.occurredAt)) === localDay();
    expect(timeOf('晚到')).toHaveTextContent(
      sameDay ? /收到 \d{2}:\d{2}$/ : /收到 \d{1,2}月\d{1,2}日 \d{2}:\d{2}$/,
    );
    expect(timeOf('隔天')).toHaveTextContent(/收到 \d{1,2}月\d{1,2}日 \d{2}:\d{2}$/);
    expect(timeOf('准时')).not.toHaveTextContent('收到');

    await user.click(screen.getByRole('button', { name: 'Switch to English' }));
    expect(timeOf('隔天')).toHaveTextContent(/received [A-Z][a-z]{2} \d{1,2}, \d{2}:\d{2}$/);
  });

  it('counts each gate’s records when every gate is shown', async () => {
    await seed(12);
    const admin = { authorization: `Bearer ${server.adminToken}` };
    const south = (await (
      await fetch(`${base}/api/v1/gates`, {
        method: 'POST',
        headers: { ...admin, 'content-type': 'application/json' },
        body: JSON.stringify({ name: '南门' }),
      })
    ).json()) as { id: string };
    const { code } = (await (
      await fetch(`${base}/api/v1/gates/${south.id}/enrollment-codes`, {
        method: 'POST',
        headers: admin,
      })
    ).json()) as { code: string };
    const phone = (await (
      await fetch(`${base}/api/v1/enroll`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ code, deviceName: '南门手机' }),
      })
    ).json()) as { deviceId: string; token: string };
    const fever = makeGateLog({
      deviceId: phone.deviceId,
      gateId: south.id,
      temperatureC: 38.4,
      decision: 'referred',
    });
    const sent = await fetch(`${base}/api/v1/sync`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${phone.token}` },
      body: JSON.stringify({
        batchId: randomUUID(),
        device: { appVersion: '0.1.0', pending: 0 },
        records: [fever],
      }),
    });
    expect(sent.status).toBe(200);
    // A gate whose phones sent nothing: what the clerk must see.
    const west = await fetch(`${base}/api/v1/gates`, {
      method: 'POST',
      headers: { ...admin, 'content-type': 'application/json' },
      body: JSON.stringify({ name: '西门' }),
    });
    expect(west.status).toBe(201);
    // Made last, listed by its name.
    const east = await fetch(`${base}/api/v1/gates`, {
      method: 'POST',
      headers: { ...admin, 'content-type': 'application/json' },
      body: JSON.stringify({ name: '东门' }),
    });
    expect(east.status).toBe(201);

    page();
    await signIn();
    expect(await screen.findByText('共 13 条 · 发热 3 · 外地返回 0 · 劝返 0')).toBeInTheDocument();
    const byGate = screen.getByRole('table', { name: '各门岗合计' });
    const rows = within(byGate)
      .getAllByRole('row')
      .slice(1)
      .map((r) => [...r.children].map((c) => c.textContent));
    // Gate, all, fevers, returnees, refused: every gate, as the gate filter lists them.
    const counts: Record<string, string[]> = {
      [server.gate.name]: ['12', '2', '0', '0'],
      南门: ['1', '1', '0', '0'],
      西门: ['0', '0', '0', '0'],
      东门: ['0', '0', '0', '0'],
    };
    const listed = within(screen.getByLabelText('门岗'))
      .getAllByRole('option')
      .slice(1)
      .map((o) => o.textContent!);
    // By name as a Chinese clerk looks for them (pinyin: dong, nan, xi), not as they were made.
    expect(listed).toEqual(['东门', '南门', '西门', server.gate.name]);
    expect(rows).toEqual(listed.map((name) => [name, ...counts[name]!]));

    // In English, by the English order of names.
    const user = userEvent.setup();
    await user.click(screen.getByRole('button', { name: 'Switch to English' }));
    const english = within(screen.getByRole('table', { name: 'By gate' }))
      .getAllByRole('rowheader')
      .map((h) => h.textContent);
    expect(english).toEqual([server.gate.name, '东门', '南门', '西门']);
    await user.click(screen.getByRole('button', { name: '切换到中文' }));

    // One gate chosen: its totals are the line above the list.
    await user.selectOptions(screen.getByLabelText('门岗'), '西门');
    await user.click(screen.getByRole('button', { name: '查询' }));
    expect(await screen.findByText('共 0 条 · 发热 0 · 外地返回 0 · 劝返 0')).toBeInTheDocument();
    expect(screen.queryByRole('table', { name: '各门岗合计' })).toBeNull();
  });

  it('finds a person by a part of the name, or by the whole ID number', async () => {
    const records = await seed(30);
    page();
    const user = await signIn();
    await screen.findByText('已显示 30 条');
    const search = screen.getByLabelText('查找');
    expect(search).toHaveAccessibleDescription(
      '姓名、住址或电话的一部分，或完整的证件号码、出入证号',
    );
    await user.type(search, '住户2');
    await user.click(screen.getByRole('button', { name: '查询' }));
    // 住户2 and 住户21–29 but 住户20 (every tenth is a fever, named 发热…).
    expect(await screen.findByText('已显示 10 条')).toBeInTheDocument();
    await user.clear(search);
    const id = records[7]!.person.idNumber!;
    await user.type(search, id);
    await user.click(screen.getByRole('button', { name: '查询' }));
    // The factory's ID numbers may repeat: every record with that number, and no other.
    const holders = records.filter((r) => r.person.idNumber === id).map((r) => r.person.name);
    const table = await screen.findByRole('table');
    await vi.waitFor(() =>
      expect(within(table).getAllByRole('row')).toHaveLength(holders.length + 1),
    );
    expect(within(table).getByRole('cell', { name: /^住户7/ })).toBeInTheDocument();
  });

  it('refuses an end date before the start date, on the form', async () => {
    page();
    const user = await signIn();
    await screen.findByText(/已显示|没有符合条件的记录/);
    await user.clear(screen.getByLabelText('到（含）'));
    await user.type(screen.getByLabelText('到（含）'), '2020-01-01');
    expect(screen.getByLabelText('到（含）')).toHaveAccessibleDescription(
      '结束日期不能早于开始日期',
    );
    expect(screen.getByRole('button', { name: '查询' })).toBeDisabled();
  });

  it('downloads the CSV of what the filter says, shown too, with full ID numbers', async () => {
    const records = await seed(12);
    const blobs: Blob[] = [];
    const names: string[] = [];
    URL.createObjectURL = vi.fn((b: Blob) => {
      blobs.push(b);
      return 'blob:committee-test';
    });
    URL.revokeObjectURL = vi.fn();
    vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (
      this: HTMLAnchorElement,
    ) {
      names.push(this.download);
    });
    const lines = async (blob: Blob) => {
      const bytes = new Uint8Array(await blob.arrayBuffer());
      expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
      return new TextDecoder().decode(bytes).trim().split(/\r?\n/);
    };
    page();
    const user = await signIn();
    await screen.findByText('已显示 12 条');
    const download = screen.getByRole('button', { name: '下载 CSV（含完整证件号码）' });
    await user.click(download);
    await vi.waitFor(() => expect(blobs).toHaveLength(1));
    // Named by the clerk's own day, not the server's UTC date, in the page's language.
    const today = localDay();
    expect(names[0]).toBe(`门岗登记-${today}.csv`);
    const first = await lines(blobs[0]!);
    expect(first).toHaveLength(13);
    // In the page's language: Chinese headers and choices, the name as typed.
    expect(first[0]).toMatch(/^记录编号,服务器收到时间,登记时间,/);
    expect(first[1]).toMatch(/,进,居民,(住户|发热)\d+,居民身份证,/);

    // The filter changed, Show not pressed: the download goes by the form, and shows it too.
    const yesterday = localDay(new Date(Date.now() - 86_400_000));
    await user.selectOptions(screen.getByLabelText('只看'), '发热');
    await user.clear(screen.getByLabelText('从（含）'));
    await user.type(screen.getByLabelText('从（含）'), yesterday);
    await user.click(download);
    await vi.waitFor(() => expect(blobs).toHaveLength(2));
    expect(names[1]).toBe(`门岗登记-${yesterday}至${today}-发热.csv`);
    const text = await lines(blobs[1]!);
    // A header and the two fevers, full ID numbers.
    expect(text).toHaveLength(3);
    expect(text.join('\n')).toContain(records[0]!.person.idNumber!);
    expect(text.join('\n')).toContain(records[10]!.person.idNumber!);
    expect(text.join('\n')).not.toContain(records[1]!.person.idNumber!);
    expect(await screen.findByText('已显示 2 条')).toBeInTheDocument();

    // The clerk switches the page to English: the next file is in English too.
    await user.click(screen.getByRole('button', { name: 'Switch to English' }));
    await user.click(screen.getByRole('button', { name: 'Download CSV (full ID numbers)' }));
    await vi.waitFor(() => expect(blobs).toHaveLength(3));
    expect(names[2]).toBe(`gatelog-${yesterday}_${today}-fever.csv`);
    const english = await lines(blobs[2]!);
    expect(english[0]).toMatch(/^Record ID,Received by the server,Logged at,/);
    expect(english[1]).toMatch(/,In,Resident,发热\d+,Resident ID card,/);
  });

  it('says a phone that never synced holds what nobody knows yet, not 0', async () => {
    page();
    const user = await signIn();
    await user.click(await screen.findByRole('button', { name: '手机' }));
    const row = (await screen.findByRole('rowheader', { name: '北门手机 1' })).closest('tr')!;
    // Phone, gate, last sync, waiting, version, status.
    const waiting = within(row).getAllByRole('cell')[2]!;
    expect(row).toHaveTextContent('从未');
    expect(waiting).toHaveTextContent('—');
    expect(waiting).toHaveTextContent('不详：从未同步');
    expect(waiting).not.toHaveTextContent('0');

    // Once it has synced, what it says it holds.
    expect((await sync([])).status).toBe(200);
    await user.click(screen.getByRole('button', { name: '登记记录' }));
    await user.click(screen.getByRole('button', { name: '手机' }));
    const synced = (await screen.findByRole('rowheader', { name: '北门手机 1' })).closest('tr')!;
    await vi.waitFor(() => expect(within(synced).getAllByRole('cell')[2]).toHaveTextContent(/^0$/));

    // A count as the clerk's language writes it.
    expect((await sync([], { appVersion: '0.1.0', pending: 12480 })).status).toBe(200);
    await user.click(screen.getByRole('button', { name: '登记记录' }));
    await user.click(screen.getByRole('button', { name: '手机' }));
    const holding = (await screen.findByRole('rowheader', { name: '北门手机 1' })).closest('tr')!;
    await vi.waitFor(() =>
      expect(within(holding).getAllByRole('cell')[2]).toHaveTextContent(/^12,480$/),
    );
  });

  it('lists the phones with what they still hold, revokes one, and makes an enrollment code', async () => {
    const { user, row } = await phonesWithSevenWaiting();
    expect(row).toHaveTextContent(server.gate.name);
    expect(row).toHaveTextContent(/7 条，最早/);
    expect(row).toHaveTextContent('0.1.0');

    await user.click(within(row).getByRole('button', { name: '停用 北门手机 1' }));
    expect(window.confirm).toHaveBeenCalledWith(expect.stringContaining('北门手机 1'));
    await vi.waitFor(() => expect(row).toHaveTextContent('已停用'));
    expect((await sync([record()])).status).toBe(403);

    await user.click(screen.getByRole('button', { name: '生成加入码' }));
    const link = await screen.findByRole('link', { name: /enroll=/ });
    const code = new URL(link.getAttribute('href')!).searchParams.get('enroll')!;
    expect(
      await screen.findByRole('img', { name: `加入二维码：${server.gate.name}` }),
    ).toHaveAttribute('src', expect.stringMatching(/^data:image\/svg\+xml/));
    // The page was opened at 127.0.0.1, and so is the link: no phone reaches it there.
    expect(link.getAttribute('href')).toMatch(/^http:\/\/127\.0\.0\.1:/);
    expect(
      screen.getByText(/^手机用不了这个链接：127\.0\.0\.1 在手机上指的是手机自己/),
    ).toHaveTextContent('GATELOG_PUBLIC_URL');
    // Not the plain-http note as well: no phone opens it at all.
    expect(screen.queryByText(/^这是 http:\/\/ 链接/)).not.toBeInTheDocument();
    // The code works, for this gate: the revoked phone enrolled again with it.
    const enrolled = await fetch(`${base}/api/v1/enroll`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        code,
        deviceName: '北门手机 1（新）',
        formerToken: server.phone.token,
      }),
    });
    expect(enrolled.status).toBe(201);
    expect(((await enrolled.json()) as { gate: { id: string } }).gate.id).toBe(server.gate.id);
    // Its earlier enrollment is listed as replaced, with nothing left to send.
    await user.click(screen.getByRole('button', { name: '登记记录' }));
    await user.click(screen.getByRole('button', { name: '手机' }));
    const replaced = (await screen.findByRole('rowheader', { name: '北门手机 1' })).closest('tr')!;
    await vi.waitFor(() =>
      expect(replaced).toHaveTextContent(`已重新加入：北门手机 1（新）（${server.gate.name}）`),
    );
    expect(replaced).not.toHaveTextContent(/7 条/);
  });

  it('says beside a plain-http link to a LAN address that phones will not install or work offline', async () => {
    // The server run with GATELOG_PUBLIC_URL naming its LAN address over plain http.
    await stopTestServer();
    await startTestServer({ COMMITTEE_PUBLIC_URL: 'http://192.168.1.5:8080' });
    page();
    const user = await signIn();
    await user.click(await screen.findByRole('button', { name: '手机' }));
    await user.click(await screen.findByRole('button', { name: '生成加入码' }));
    const link = await screen.findByRole('link', { name: /enroll=/ });
    expect(link.getAttribute('href')).toMatch(/^http:\/\/192\.168\.1\.5:8080\/\?enroll=/);
    const enrollment = link.closest('.committee-enrollment') as HTMLElement;
    const note = within(enrollment).getByText(/^这是 http:\/\/ 链接，不是 https:\/\//);
    expect(note).toHaveTextContent('不能安装本应用，也不能离线使用');
    expect(note).toHaveTextContent('GATELOG_PUBLIC_URL 设为它的 https:// 地址');
    // Not said to be this computer's own: a phone does reach it.
    expect(within(enrollment).queryByText(/手机用不了这个链接/)).not.toBeInTheDocument();

    await user.click(screen.getByRole('button', { name: 'Switch to English' }));
    expect(
      within(enrollment).getByText(/^This is a plain http:\/\/ link, not https:\/\//),
    ).toHaveTextContent('can neither install the app nor work offline');
  });

  it('greys what a revoked phone still held as not received, not as waiting in red', async () => {
    const { user, row } = await phonesWithSevenWaiting();
    // Phone, gate, last sync, waiting, version, status.
    const waiting = () => within(row).getAllByRole('cell')[2]!;
    expect(waiting()).toHaveTextContent(/^7 条，最早/);
    expect(waiting()).toHaveClass('committee-waiting');

    await user.click(within(row).getByRole('button', { name: '停用 北门手机 1' }));
    await vi.waitFor(() => expect(row).toHaveTextContent('已停用'));
    expect(waiting()).toHaveTextContent(/^7 条未收到（最早 .+）：手机已停用，不会再上传$/);
    expect(waiting()).not.toHaveClass('committee-waiting');
    expect(row).toHaveClass('revoked');

    await user.click(screen.getByRole('button', { name: 'Switch to English' }));
    await vi.waitFor(() =>
      expect(waiting()).toHaveTextContent(
        /^7 not received \(oldest .+\) — phone revoked, it will not send them$/,
      ),
    );
  });

  it('tells apart phones of the same name by the start of their ids', async () => {
    const enroll = async () => {
      const made = await fetch(`${base}/api/v1/gates/${server.gate.id}/enrollment-codes`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          authorization: `Bearer ${server.adminToken}`,
        },
        body: '{}',
      });
      const { code } = (await made.json()) as { code: string };
      const res = await fetch(`${base}/api/v1/enroll`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ code, deviceName: 'Android 2026-12-07' }),
      });
      expect(res.status).toBe(201);
      return ((await res.json()) as { deviceId: string }).deviceId;
    };
    const [one, two] = [await enroll(), await enroll()];
    vi.spyOn(window, 'confirm').mockReturnValue(false);
    page();
    const user = await signIn();
    await user.click(await screen.findByRole('button', { name: '手机' }));
    // A name only one phone has is shown as it is.
    expect(await screen.findByRole('rowheader', { name: '北门手机 1' })).toBeInTheDocument();
    for (const id of [one, two]) {
      const name = `Android 2026-12-07 · ${id.slice(0, 8)}`;
      const row = screen.getByRole('rowheader', { name }).closest('tr')!;
      await user.click(within(row).getByRole('button', { name: `停用 ${name}` }));
      expect(window.confirm).toHaveBeenLastCalledWith(expect.stringContaining(`“${name}”`));
    }
  });

  it('changes a gate’s rules as Settings checks them, and adds a gate', async () => {
    page();
    const user = await signIn();
    await user.click(await screen.findByRole('button', { name: '门岗' }));
    const form = screen.getByRole('form', { name: server.gate.name });
    const fever = within(form).getByLabelText('发热标准（℃ 及以上）');
    expect(fever).toHaveValue('37.3');

    // Out of range: said on the field, nothing sent.
    await user.clear(fever);
    await user.type(fever, '41');
    await user.click(within(form).getByRole('button', { name: `保存 ${server.gate.name}` }));
    expect(fever).toHaveAccessibleDescription(expect.stringContaining('35.0–40.0'));
    const config = async () =>
      (await (
        await fetch(`${base}/api/v1/device/config`, {
          headers: { authorization: `Bearer ${server.phone.token}` },
        })
      ).json()) as {
        gate: { name: string; rules: { feverThresholdC: number; keyRegions: string[] } };
      };
    expect((await config()).gate.rules.feverThresholdC).toBe(37.3);

    await user.clear(fever);
    await user.type(fever, '37,0');
    const regions = within(form).getByLabelText('重点地区');
    await user.clear(regions);
    await user.type(regions, '湖北，温州、 湖北');
    await user.click(within(form).getByRole('button', { name: `保存 ${server.gate.name}` }));
    expect(await within(form).findByText('已保存。各手机下次同步时获取。')).toBeInTheDocument();
    // What the gate's phones take at their next sync.
    expect((await config()).gate.rules).toMatchObject({
      feverThresholdC: 37,
      keyRegions: ['湖北', '温州'],
    });
    expect(regions).toHaveValue('湖北\n温州');

    const name = within(screen.getByRole('form', { name: '新增门岗' })).getByLabelText('门岗名称');
    await user.type(name, '南门 South');
    await user.click(screen.getByRole('button', { name: '新增门岗' }));
    expect(await screen.findByRole('form', { name: '南门 South' })).toBeInTheDocument();
    // The log's gate filter has it too.
    await user.click(screen.getByRole('button', { name: '登记记录' }));
    expect(screen.getByRole('option', { name: '南门 South' })).toBeInTheDocument();
  });

  it('asks before saving a fever threshold that flags nearly everyone, or hardly anyone', async () => {
    const confirm = vi.spyOn(window, 'confirm').mockReturnValue(false);
    page();
    const user = await signIn();
    await user.click(await screen.findByRole('button', { name: '门岗' }));
    const form = screen.getByRole('form', { name: server.gate.name });
    const fever = within(form).getByLabelText('发热标准（℃ 及以上）');
    const save = within(form).getByRole('button', { name: `保存 ${server.gate.name}` });
    const threshold = async () =>
      (
        (await (
          await fetch(`${base}/api/v1/device/config`, {
            headers: { authorization: `Bearer ${server.phone.token}` },
          })
        ).json()) as { gate: { rules: { feverThresholdC: number } } }
      ).gate.rules.feverThresholdC;

    // 35.0, which the schema takes: asked, and not saved when the clerk says no.
    await user.clear(fever);
    await user.type(fever, '35');
    await user.click(save);
    expect(confirm).toHaveBeenCalledTimes(1);
    expect(confirm).toHaveBeenLastCalledWith(
      '把发热标准设为 35.0 ℃？通常在 37.0–38.5 ℃ 之间（默认 37.3 ℃）。这么低，几乎每个人都会被判为发热、不予放行。确定保存吗？',
    );
    expect(within(form).queryByText('已保存。各手机下次同步时获取。')).not.toBeInTheDocument();
    expect(fever).toHaveValue('35');
    expect(await threshold()).toBe(37.3);

    // Confirmed, it is saved; the gate's other rules saved later are not asked about again.
    confirm.mockReturnValue(true);
    await user.click(save);
    expect(await within(form).findByText('已保存。各手机下次同步时获取。')).toBeInTheDocument();
    expect(await threshold()).toBe(35);
    const days = within(form).getByLabelText('居家隔离天数');
    await user.clear(days);
    await user.type(days, '21');
    await user.click(save);
    expect(await within(form).findByText('已保存。各手机下次同步时获取。')).toBeInTheDocument();
    expect(confirm).toHaveBeenCalledTimes(2);

    // Above the usual, in English.
    await user.click(screen.getByRole('button', { name: 'Switch to English' }));
    confirm.mockReturnValue(false);
    await user.clear(fever);
    await user.type(fever, '38.6');
    await user.click(within(form).getByRole('button', { name: `Save ${server.gate.name}` }));
    expect(confirm).toHaveBeenLastCalledWith(
      'Set the fever threshold to 38.6 °C? It is usually from 37.0 to 38.5 °C (37.3 °C by default). This high, people with a fever are not flagged and are let in. Save it anyway?',
    );
    expect(await threshold()).toBe(35);

    // The usual range's ends are saved without a question.
    for (const value of ['38.5', '37.0']) {
      await user.clear(fever);
      await user.type(fever, value);
      await user.click(within(form).getByRole('button', { name: `Save ${server.gate.name}` }));
      await vi.waitFor(async () => expect(await threshold()).toBe(Number(value)));
    }
    expect(confirm).toHaveBeenCalledTimes(3);
  });

  it('shows the first start’s gate, “Main gate / 正门”, in the page’s language; its form keeps the name as stored', async () => {
    page();
    const user = await signIn();
    await user.click(await screen.findByRole('button', { name: '门岗' }));
    const name = within(screen.getByRole('form', { name: '新增门岗' })).getByLabelText('门岗名称');
    await user.type(name, DEFAULT_GATE_NAME);
    await user.click(screen.getByRole('button', { name: '新增门岗' }));
    const form = await screen.findByRole('form', { name: '正门' });
    expect(screen.getByText('已新增“正门”，规则为默认值，可在上面修改。')).toBeInTheDocument();
    const stored = within(form).getByLabelText('门岗名称');
    expect(stored).toHaveValue(DEFAULT_GATE_NAME);
    expect(stored).toHaveAccessibleDescription('手机和本页按各自的语言显示为“正门”或“Main gate”。');
    expect(within(form).getByRole('button', { name: '保存 正门' })).toBeInTheDocument();
    // Any other name is shown as named, with no such hint.
    const other = screen.getByRole('form', { name: server.gate.name });
    expect(within(other).getByLabelText('门岗名称')).not.toHaveAccessibleDescription();
    // The log's gate filter says it so too, in either language.
    await user.click(screen.getByRole('button', { name: '登记记录' }));
    expect(screen.getByRole('option', { name: '正门' })).toBeInTheDocument();
    expect(screen.queryByRole('option', { name: DEFAULT_GATE_NAME })).toBeNull();
    await user.click(screen.getByRole('button', { name: 'Switch to English' }));
    expect(await screen.findByRole('option', { name: 'Main gate' })).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Gates' }));
    expect(await screen.findByRole('form', { name: 'Main gate' })).toBeInTheDocument();
  });

  it('puts someone on the home quarantine watchlist, which the gate’s phones pull, and takes them off', async () => {
    vi.spyOn(window, 'confirm').mockReturnValue(true);
    page();
    const user = await signIn();
    await user.click(await screen.findByRole('button', { name: '居家隔离名单' }));
    expect(await screen.findByText('名单为空')).toBeInTheDocument();
    const form = screen.getByRole('form', { name: '加入名单' });
    await user.click(within(form).getByRole('button', { name: '加入名单' }));
    expect(within(form).getByLabelText('姓名')).toHaveAccessibleDescription('必填');
    expect(within(form).getByLabelText('隔离至')).toHaveAccessibleDescription('请选择日期');
    expect(within(form).getByLabelText('出入证号')).toHaveAccessibleDescription(
      expect.stringContaining('至少填一项'),
    );

    const until = localDay(new Date(Date.now() + 10 * 86_400_000));
    const idNumber = record().person.idNumber!;
    await user.type(within(form).getByLabelText('姓名'), '李四');
    await user.type(within(form).getByLabelText('隔离至'), until);
    await user.click(within(form).getByRole('button', { name: '加入名单' }));
    expect(within(form).getByLabelText('出入证号')).toHaveAccessibleDescription(
      expect.stringContaining('至少填一项'),
    );
    await user.type(within(form).getByLabelText('证件号码'), idNumber);
    await user.click(within(form).getByRole('button', { name: '加入名单' }));
    expect(await within(form).findByText('已将“李四”加入名单。')).toBeInTheDocument();
    const row = (await screen.findByRole('rowheader', { name: '李四' })).closest('tr')!;
    expect(row).toHaveTextContent(`${idNumber.slice(0, 3)}***********${idNumber.slice(-4)}`);
    expect(within(form).getByLabelText('姓名')).toHaveValue('');

    const changes = async () =>
      (await (
        await fetch(`${base}/api/v1/device/changes`, {
          headers: { authorization: `Bearer ${server.phone.token}` },
        })
      ).json()) as { changes: { kind: string; watch?: { name: string; until: string } }[] };
    expect((await changes()).changes).toContainEqual(
      expect.objectContaining({
        kind: 'watch',
        watch: expect.objectContaining({ name: '李四', until }),
      }),
    );

    await user.click(within(row).getByRole('button', { name: '将 李四 移出名单' }));
    expect(await screen.findByText('名单为空')).toBeInTheDocument();
    expect((await changes()).changes.filter((c) => c.kind === 'watch')).toEqual([]);
  });

  it('says at the field, in the clerk’s language, that a watchlist pass number is not one', async () => {
    page();
    const user = await signIn();
    await user.click(await screen.findByRole('button', { name: '居家隔离名单' }));
    expect(await screen.findByText('名单为空')).toBeInTheDocument();
    const form = screen.getByRole('form', { name: '加入名单' });
    const pass = within(form).getByLabelText('出入证号');
    await user.type(within(form).getByLabelText('姓名'), '李四');
    await user.type(
      within(form).getByLabelText('隔离至'),
      localDay(new Date(Date.now() + 10 * 86_400_000)),
    );
    // A resident's room number typed where the pass goes: the server would refuse it.
    await user.type(pass, '502');
    await user.click(within(form).getByRole('button', { name: '加入名单' }));
    expect(pass).toHaveAccessibleDescription(expect.stringContaining('出入证号有误'));
    expect(pass).toHaveAttribute('aria-invalid', 'true');
    expect(screen.queryByRole('alert', { name: /400/ })).not.toBeInTheDocument();
    expect(screen.queryByText(/not a pass number/)).not.toBeInTheDocument();
    expect(screen.getByText('名单为空')).toBeInTheDocument();
    // As printed on the card, in lower case: taken.
    await user.clear(pass);
    await user.type(pass, '7k3m-9qx2');
    await user.click(within(form).getByRole('button', { name: '加入名单' }));
    expect(await within(form).findByText('已将“李四”加入名单。')).toBeInTheDocument();
    const row = (await screen.findByRole('rowheader', { name: '李四' })).closest('tr')!;
    // Kept in its canonical form, shown as printed on the card.
    expect(row).toHaveTextContent('7K3M-9QX2');
  });

  it('says at the form, not above the list, that a watchlist entry or a pass was not made', async () => {
    page();
    const user = await signIn();
    const realFetch = globalThis.fetch;
    /** The network gone for the form's POST only: the list is still read. */
    const cutPosts = () =>
      vi
        .spyOn(globalThis, 'fetch')
        .mockImplementation((input, init) =>
          init?.method === 'POST'
            ? Promise.reject(new TypeError('Failed to fetch'))
            : realFetch(input, init),
        );
    const offline = '连不上服务器，请检查网络后重试。';

    await user.click(await screen.findByRole('button', { name: '居家隔离名单' }));
    expect(await screen.findByText('名单为空')).toBeInTheDocument();
    const watchForm = screen.getByRole('form', { name: '加入名单' });
    await user.type(within(watchForm).getByLabelText('姓名'), '李四');
    await user.type(
      within(watchForm).getByLabelText('隔离至'),
      localDay(new Date(Date.now() + 10 * 86_400_000)),
    );
    await user.type(within(watchForm).getByLabelText('手机号'), '13800138000');
    let cut = cutPosts();
    await user.click(within(watchForm).getByRole('button', { name: '加入名单' }));
    await vi.waitFor(() =>
      expect(within(watchForm).getByRole('status')).toHaveTextContent(offline),
    );
    // Not above the list, where a clerk at the form does not see it, with a "Try again" that
    // would only read the list.
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
    expect(within(watchForm).getByLabelText('姓名')).toHaveValue('李四');
    cut.mockRestore();
    await user.click(within(watchForm).getByRole('button', { name: '加入名单' }));
    expect(await within(watchForm).findByText('已将“李四”加入名单。')).toBeInTheDocument();
    expect(await screen.findByRole('rowheader', { name: '李四' })).toBeInTheDocument();

    await user.click(screen.getByRole('button', { name: '出入证' }));
    expect(await screen.findByText('还没有出入证')).toBeInTheDocument();
    const passForm = screen.getByRole('form', { name: '办理出入证' });
    await user.type(within(passForm).getByLabelText('姓名'), '王小明');
    await user.type(within(passForm).getByLabelText('住址'), '3号楼 502');
    await user.type(
      within(passForm).getByLabelText('有效期至'),
      localDay(new Date(Date.now() + 90 * 86_400_000)),
    );
    cut = cutPosts();
    await user.click(within(passForm).getByRole('button', { name: '办理' }));
    await vi.waitFor(() => expect(within(passForm).getByRole('status')).toHaveTextContent(offline));
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
    cut.mockRestore();
    await user.click(within(passForm).getByRole('button', { name: '办理' }));
    expect(await within(passForm).findByText('已为“王小明”办理出入证。')).toBeInTheDocument();
    expect(await screen.findByRole('rowheader', { name: '王小明' })).toBeInTheDocument();
  });

  it('says at the enrollment form, not above the phones, that no code was made', async () => {
    page();
    const user = await signIn();
    await user.click(await screen.findByRole('button', { name: '手机' }));
    await screen.findByRole('rowheader', { name: '北门手机 1' });
    const create = screen.getByRole('button', { name: '生成加入码' });
    const form = create.closest('form')!;
    const realFetch = globalThis.fetch;
    const cut = vi
      .spyOn(globalThis, 'fetch')
      .mockImplementation((input, init) =>
        init?.method === 'POST'
          ? Promise.reject(new TypeError('Failed to fetch'))
          : realFetch(input, init),
      );
    await user.click(create);
    await vi.waitFor(() =>
      expect(within(form).getByRole('status')).toHaveTextContent(
        '连不上服务器，请检查网络后重试。',
      ),
    );
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
    cut.mockRestore();
    await user.click(create);
    expect(await within(form).findByText('加入码')).toBeInTheDocument();
    expect(within(form).queryByText(/连不上服务器/)).not.toBeInTheDocument();
  });

  it('says in the clerk’s language that an entry was removed meanwhile, and reads the list again', async () => {
    vi.spyOn(window, 'confirm').mockReturnValue(true);
    const admin = {
      authorization: `Bearer ${server.adminToken}`,
      'content-type': 'application/json',
    };
    const until = localDay(new Date(Date.now() + 10 * 86_400_000));
    const added = (await (
      await fetch(`${base}/api/v1/watchlist`, {
        method: 'POST',
        headers: admin,
        body: JSON.stringify({ name: '王五', until, phone: '13800138000' }),
      })
    ).json()) as { id: string };
    page();
    const user = await signIn();
    await user.click(await screen.findByRole('button', { name: '居家隔离名单' }));
    const row = (await screen.findByRole('rowheader', { name: '王五' })).closest('tr')!;
    // Another clerk takes them off first.
    const gone = await fetch(`${base}/api/v1/watchlist/${added.id}`, {
      method: 'DELETE',
      headers: { authorization: admin.authorization },
    });
    expect(gone.status).toBe(204);
    await user.click(within(row).getByRole('button', { name: '将 王五 移出名单' }));
    expect(await screen.findByRole('alert')).toHaveTextContent(
      '找不到了：可能已被别人改动或删除。列表已重新读取。',
    );
    expect(await screen.findByText('名单为空')).toBeInTheDocument();
  });

  it('says a gate removed while the page was open is no longer there, and reads the gates again', async () => {
    const admin = { authorization: `Bearer ${server.adminToken}` };
    const created = await fetch(`${base}/api/v1/gates`, {
      method: 'POST',
      headers: { ...admin, 'content-type': 'application/json' },
      body: JSON.stringify({ name: '西门' }),
    });
    const west = (await created.json()) as { id: string };
    await seed(2);
    page();
    const user = await signIn();
    expect(await screen.findByText('已显示 2 条')).toBeInTheDocument();
    const gate = screen.getByRole('combobox', { name: '门岗' });
    await user.selectOptions(gate, '西门');
    await command({ removeGate: west.id });
    await user.click(screen.getByRole('button', { name: '查询' }));
    // The gate list as the server has it now: 西门 gone, every gate chosen again.
    await expectGateGone(gate, '西门');
    await user.click(screen.getByRole('button', { name: '查询' }));
    expect(await screen.findByText('已显示 2 条')).toBeInTheDocument();
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
  });

  it('says a gate removed meanwhile is gone where the clerk saves it or prints its passes, and reads the gates again', async () => {
    const admin = { authorization: `Bearer ${server.adminToken}` };
    const addGate = async (name: string) => {
      const res = await fetch(`${base}/api/v1/gates`, {
        method: 'POST',
        headers: { ...admin, 'content-type': 'application/json' },
        body: JSON.stringify({ name }),
      });
      return ((await res.json()) as { id: string }).id;
    };
    const west = await addGate('西门');
    const south = await addGate('南门');
    // A pass for every gate, so that 南门's sheet is offered (a removed gate has no passes).
    const until = localDay(new Date(Date.now() + 30 * 86_400_000));
    await fetch(`${base}/api/v1/passes`, {
      method: 'POST',
      headers: { ...admin, 'content-type': 'application/json' },
      body: JSON.stringify({
        name: '韩梅梅',
        address: '1号楼 101',
        validUntil: until,
      }),
    });
    page();
    const user = await signIn();
    await user.click(await screen.findByRole('button', { name: '门岗' }));
    const form = screen.getByRole('form', { name: '西门' });
    await command({ removeGate: west });
    await user.click(within(form).getByRole('button', { name: '保存 西门' }));
    // Its form goes with the gates read again; what happened stays said.
    expect(await screen.findByRole('alert')).toHaveTextContent(
      '“西门”已不存在（可能已被别人删除），没有保存；门岗列表已重新读取。',
    );
    await vi.waitFor(() => expect(screen.queryByRole('form', { name: '西门' })).toBeNull());
    expect(screen.getByRole('form', { name: server.gate.name })).toBeInTheDocument();

    // The passes of a gate removed since it was chosen: no card, the gates read again.
    await user.click(screen.getByRole('button', { name: '出入证' }));
    const filter = screen.getByRole('combobox', { name: '门岗' });
    await user.selectOptions(filter, '南门');
    await screen.findByRole('rowheader', { name: '韩梅梅' });
    await command({ removeGate: south });
    await user.click(screen.getByRole('button', { name: '下载出入证卡片（A4，可打印）' }));
    await expectGateGone(filter, '南门');
  });

  it('issues a pass, prints the cards, and revokes it', async () => {
    vi.spyOn(window, 'confirm').mockReturnValue(true);
    const blobs: Blob[] = [];
    URL.createObjectURL = vi.fn((b: Blob) => {
      blobs.push(b);
      return 'blob:committee-test';
    });
    URL.revokeObjectURL = vi.fn();
    const saved: string[] = [];
    vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (
      this: HTMLAnchorElement,
    ) {
      saved.push(this.download);
    });
    page();
    const user = await signIn();
    await user.click(await screen.findByRole('button', { name: '出入证' }));
    expect(await screen.findByText('还没有出入证')).toBeInTheDocument();
    // No card to print: the sheet is not offered, and the page says why.
    const sheet = screen.getByRole('button', { name: '下载出入证卡片（A4，可打印）' });
    expect(sheet).toBeDisabled();
    expect(sheet).toHaveAccessibleDescription('没有有效的出入证可打印：请先在下面办理。');
    const form = screen.getByRole('form', { name: '办理出入证' });
    await user.type(within(form).getByLabelText('姓名'), '王小明');
    await user.type(within(form).getByLabelText('住址'), '3号楼 502');
    await user.type(
      within(form).getByLabelText('有效期至'),
      localDay(new Date(Date.now() + 90 * 86_400_000)),
    );
    await user.click(within(form).getByRole('button', { name: '办理' }));
    const row = (await screen.findByRole('rowheader', { name: '王小明' })).closest('tr')!;
    expect(row).toHaveTextContent('所有门岗通用');
    // The pass number as printed on the card, here and on the watchlist.
    const admin = { authorization: `Bearer ${server.adminToken}` };
    const [pass] = (
      (await (await fetch(`${base}/api/v1/passes`, { headers: admin })).json()) as {
        passes: { id: string }[];
      }
    ).passes;
    const printed = `${pass!.id.slice(0, 4)}-${pass!.id.slice(4)}`;
    expect(within(row).getByText(printed)).toBeInTheDocument();
    // Under the word the watchlist's form, the CSV and the command line use.
    expect(screen.getByRole('columnheader', { name: '出入证号' })).toBeInTheDocument();

    expect(sheet).toBeEnabled();
    expect(sheet).not.toHaveAccessibleDescription();
    expect(screen.queryByText('没有有效的出入证可打印：请先在下面办理。')).toBeNull();
    const asked = vi.spyOn(globalThis, 'fetch');
    await user.click(sheet);
    await vi.waitFor(() => expect(blobs).toHaveLength(1));
    // Named in the page's language by its day, as the CSV is.
    expect(saved).toEqual([`出入证卡片-${localDay()}.html`]);
    // Made at the clerk's UTC offset, which the server says its time in (a server in UTC said
    // its own clock).
    const offset = -new Date().getTimezoneOffset() || 0;
    const [sheetUrl] = asked.mock.calls.map(([url]) => new URL(String(url)));
    expect(sheetUrl?.pathname).toBe('/api/v1/passes/sheet.html');
    expect(sheetUrl?.searchParams.get('utcOffsetMinutes')).toBe(String(offset));
    const html = await blobs[0]!.text();
    expect(html).toContain('王小明');
    // The passes a gate takes on the clerk's day, as the table greys the others.
    expect(html).toContain(`1 张 — ${localDay()} 有效`);
    expect(html).toContain('<svg');

    const until = localDay(new Date(Date.now() + 10 * 86_400_000));
    const watched = await fetch(`${base}/api/v1/watchlist`, {
      method: 'POST',
      headers: { ...admin, 'content-type': 'application/json' },
      body: JSON.stringify({ name: '王小明', until, passId: pass!.id }),
    });
    expect(watched.status).toBe(201);
    await user.click(screen.getByRole('button', { name: '居家隔离名单' }));
    const watchRow = (await screen.findByRole('rowheader', { name: '王小明' })).closest('tr')!;
    expect(within(watchRow).getByText(printed)).toBeInTheDocument();
    expect(screen.getByRole('columnheader', { name: '出入证号' })).toBeInTheDocument();

    await user.click(screen.getByRole('button', { name: '出入证' }));
    const again = (await screen.findByRole('rowheader', { name: '王小明' })).closest('tr')!;
    await user.click(within(again).getByRole('button', { name: '停用 王小明 的出入证' }));
    expect(await screen.findByText('还没有出入证')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: '下载出入证卡片（A4，可打印）' })).toBeDisabled();
  });

  it('says a pass issued or a person added no longer once it is revoked or taken off', async () => {
    vi.spyOn(window, 'confirm').mockReturnValue(true);
    const until = localDay(new Date(Date.now() + 30 * 86_400_000));
    page();
    const user = await signIn();
    await user.click(await screen.findByRole('button', { name: '出入证' }));
    const passForm = await screen.findByRole('form', { name: '办理出入证' });
    for (const [name, address] of [
      ['韩梅梅', '1号楼 101'],
      ['李雷', '2号楼 202'],
    ]) {
      await user.type(within(passForm).getByLabelText('姓名'), name!);
      await user.type(within(passForm).getByLabelText('住址'), address!);
      await user.type(within(passForm).getByLabelText('有效期至'), until);
      await user.click(within(passForm).getByRole('button', { name: '办理' }));
      await screen.findByRole('rowheader', { name: name });
    }
    expect(within(passForm).getByText('已为“李雷”办理出入证。')).toBeInTheDocument();
    // Another pass revoked: the one just issued is still issued.
    await user.click(screen.getByRole('button', { name: '停用 韩梅梅 的出入证' }));
    await vi.waitFor(() => expect(screen.queryByRole('rowheader', { name: '韩梅梅' })).toBeNull());
    expect(within(passForm).getByText('已为“李雷”办理出入证。')).toBeInTheDocument();
    // The one just issued revoked: the form no longer says it was issued.
    await user.click(screen.getByRole('button', { name: '停用 李雷 的出入证' }));
    expect(await screen.findByText('还没有出入证')).toBeInTheDocument();
    expect(within(passForm).queryByText('已为“李雷”办理出入证。')).toBeNull();

    await user.click(screen.getByRole('button', { name: '居家隔离名单' }));
    const watchForm = await screen.findByRole('form', { name: '加入名单' });
    await user.type(within(watchForm).getByLabelText('姓名'), '王小明');
    await user.type(within(watchForm).getByLabelText('隔离至'), until);
    await user.type(within(watchForm).getByLabelText('手机号'), '13800138000');
    await user.click(within(watchForm).getByRole('button', { name: '加入名单' }));
    await screen.findByRole('rowheader', { name: '王小明' });
    expect(within(watchForm).getByText('已将“王小明”加入名单。')).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: '将 王小明 移出名单' }));
    expect(await screen.findByText('名单为空')).toBeInTheDocument();
    expect(within(watchForm).queryByText('已将“王小明”加入名单。')).toBeNull();
  });

  it('asks for the token again when the one kept in this tab is refused', async () => {
    // As after the committee changed GATELOG_ADMIN_TOKEN and the clerk reloaded the page.
    sessionStorage.setItem('gatelog.adminToken', 'an-older-admin-token-000000');
    page();
    expect(await screen.findByRole('alert')).toHaveTextContent('服务器不认这个令牌');
    expect(screen.getByLabelText('管理令牌')).toHaveValue('');
    expect(sessionStorage.getItem('gatelog.adminToken')).toBeNull();
    await signIn();
    expect(await screen.findByText('没有符合条件的记录')).toBeInTheDocument();
  });

  it('asks for the token again when a request is refused mid-session', async () => {
    page();
    const user = await signIn();
    await screen.findByText(/已显示|没有符合条件的记录/);
    // The committee changed GATELOG_ADMIN_TOKEN meanwhile: the server's answer to the old one.
    const realFetch = globalThis.fetch;
    vi.spyOn(globalThis, 'fetch').mockImplementation((input, init) =>
      String(input).includes('/api/v1/devices')
        ? Promise.resolve(
            Response.json({ error: 'unauthorized', message: 'Unknown token' }, { status: 401 }),
          )
        : realFetch(input, init),
    );
    await user.click(screen.getByRole('button', { name: '手机' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('服务器不认这个令牌');
    expect(screen.getByLabelText('管理令牌')).toHaveValue('');
    expect(sessionStorage.getItem('gatelog.adminToken')).toBeNull();
  });

  it('speaks English too', async () => {
    await seed(1);
    page();
    const user = userEvent.setup();
    await user.click(screen.getByRole('button', { name: 'Switch to English' }));
    await user.type(screen.getByLabelText('Admin token'), server.adminToken);
    await user.click(screen.getByRole('button', { name: 'Sign in' }));
    expect(await screen.findByText('1 shown')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Download CSV (full ID numbers)' })).toBeEnabled();

    // A pass number is called so wherever the page shows or asks for one, as in the CSV's header.
    const issued = await fetch(`${base}/api/v1/passes`, {
      method: 'POST',
      headers: { authorization: `Bearer ${server.adminToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Wang', address: '3-502', validUntil: localDay() }),
    });
    expect(issued.status).toBe(201);
    await user.click(screen.getByRole('button', { name: 'Passes' }));
    expect(await screen.findByRole('columnheader', { name: 'Pass number' })).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Watchlist' }));
    const form = await screen.findByRole('form', { name: 'Add to the watchlist' });
    await user.click(within(form).getByRole('button', { name: 'Add' }));
    expect(within(form).getByLabelText('Pass number')).toHaveAccessibleDescription(
      'Give a pass number, an ID number or a phone: the gate knows the person by it',
    );
  });
});

describe('the pass sheet’s file name', () => {
  it('says the day and the gate chosen in the page’s language, a slash in a gate’s name made _', () => {
    expect(passSheetFileName('2026-12-07', undefined, 'zh-CN')).toBe('出入证卡片-2026-12-07.html');
    expect(passSheetFileName('2026-12-07', '东门', 'zh-CN')).toBe(
      '出入证卡片-东门-2026-12-07.html',
    );
    expect(passSheetFileName('2026-12-07', undefined, 'en')).toBe('gatelog-passes-2026-12-07.html');
    expect(passSheetFileName('2026-12-07', 'North / 北门', 'en')).toBe(
      'gatelog-passes-North _ 北门-2026-12-07.html',
    );
  });
});

describe('an enrollment link a phone cannot open', () => {
  it('is one whose host is this computer’s own', () => {
    const link = (host: string) => `http://${host}:8080/?enroll=abc`;
    for (const host of ['localhost', 'LOCALHOST', 'gate.localhost', '127.0.0.1', '127.1.2.3'])
      expect(loopbackHost(link(host)), host).not.toBeNull();
    expect(loopbackHost(link('[::1]'))).toBe('[::1]');
    expect(loopbackHost(link('[::ffff:127.0.0.1]'))).not.toBeNull();
    for (const host of ['192.168.1.5', '10.0.0.127', '127.example.org', 'gatelog.example.org'])
      expect(loopbackHost(link(host)), host).toBeNull();
    expect(loopbackHost('https://gatelog.example.org/?enroll=abc')).toBeNull();
    expect(loopbackHost('not a url')).toBeNull();
  });

  it('is, for offline and install, one over plain http to another computer', () => {
    expect(plainHttpHost('http://192.168.1.5:8080/?enroll=abc')).toBe('192.168.1.5:8080');
    expect(plainHttpHost('http://gatelog.lan/?enroll=abc')).toBe('gatelog.lan');
    for (const url of [
      'https://gatelog.example.org/?enroll=abc',
      'http://127.0.0.1:8080/?enroll=abc',
      'http://localhost:8080/?enroll=abc',
      'not a url',
    ])
      expect(plainHttpHost(url), url).toBeNull();
  });
});

describe('the totals gate by gate', () => {
  it('lists every gate as the gate filter does, a silent one with zeros', () => {
    const gate = (id: string, name: string) => ({ id, name, rules: DEFAULT_GATE_RULES });
    const counts = (gateId: string, total: number) => ({
      gateId,
      total,
      fever: 1,
      returnee: 0,
      refused: 0,
      corrected: 0,
    });
    // The server's rows: gates with records, in id order.
    const byGate = [counts('a', 3), counts('c', 5), counts('z', 1)];
    expect(
      countsOfEveryGate([gate('c', '北门'), gate('b', '南门'), gate('a', '西门')], byGate),
    ).toEqual([
      counts('c', 5),
      { gateId: 'b', total: 0, fever: 0, returnee: 0, refused: 0, corrected: 0 },
      counts('a', 3),
      // A gate the page has not read yet still counts.
      counts('z', 1),
    ]);
  });
});

describe('a log read again', () => {
  /** The log API over `n` rows, counting the rows each request asks for. */
  const logOf = (n: number) => {
    const asked: number[] = [];
    const logs: AdminApi['logs'] = async (_q, cursor, limit = 100) => {
      asked.push(limit);
      const from = cursor === undefined ? 0 : Number(cursor);
      const to = Math.min(n, from + limit);
      const items = Array.from({ length: to - from }, (_, i) => ({ id: String(from + i) }));
      return { items, nextCursor: to < n ? String(to) : null } as Awaited<
        ReturnType<AdminApi['logs']>
      >;
    };
    return { api: { logs } as AdminApi, asked };
  };

  it('is read with as many rows as were loaded, and a page more if all were', () => {
    const loaded = (n: number, more: boolean) => ({
      items: Array.from({ length: n }),
      nextCursor: more ? 'on' : null,
    });
    expect(rowsToReadAgain(loaded(230, true))).toBe(230);
    expect(rowsToReadAgain(loaded(130, false))).toBe(230);
    expect(rowsToReadAgain(loaded(40, false))).toBe(140);
    expect(rowsToReadAgain(loaded(0, false))).toBe(100);
  });

  it('asks for at most 1,000 rows at a time, and stops at the end of the list', async () => {
    const { api, asked } = logOf(2_500);
    const read = await readRows(api, {}, 2_300);
    expect(asked).toEqual([1_000, 1_000, 300]);
    expect(read.items.map((r) => r.id)).toEqual(Array.from({ length: 2_300 }, (_, i) => String(i)));
    expect(read.nextCursor).toBe('2300');

    asked.length = 0;
    const all = await readRows(api, {}, 3_000);
    expect(asked).toEqual([1_000, 1_000, 1_000]);
    expect(all.items).toHaveLength(2_500);
    expect(all.nextCursor).toBeNull();
  });
});

describe('a log query past midnight', () => {
  const filter = (fromDay: string, toDay: string) =>
    queryOf({ gateId: 'g1', fromDay, toDay, flag: 'fever', search: '', order: 'desc' });

  it('moves today’s log, and what arrived today from earlier days, to the new day', () => {
    const was = filter('2026-12-06', '2026-12-06');
    const now = filter('2026-12-07', '2026-12-07');
    expect(rolledOver(was, '2026-12-06', '2026-12-07')).toEqual(now);
    expect(rolledOver(lateQueryOf(was), '2026-12-06', '2026-12-07')).toEqual(lateQueryOf(now));
  });

  it('keeps days the clerk chose', () => {
    const chosen = filter('2026-12-01', '2026-12-06');
    expect(rolledOver(chosen, '2026-12-06', '2026-12-07')).toBe(chosen);
    expect(rolledOver(lateQueryOf(chosen), '2026-12-06', '2026-12-07')).toEqual(
      lateQueryOf(chosen),
    );
    expect(rolledOver(null, '2026-12-06', '2026-12-07')).toBeNull();
  });
});

describe('the log query of a filter', () => {
  it('covers whole local days, the last one included', () => {
    expect(dayStartIso('2026-12-06')).toBe(new Date(2026, 11, 6).toISOString());
    expect(dayStartIso('2026-12-31', 1)).toBe(new Date(2027, 0, 1).toISOString());
    const none = {
      gateId: '',
      fromDay: '',
      toDay: '',
      flag: '',
      search: '',
      order: 'desc',
    } as const;
    expect(queryOf({ ...none, fromDay: '2026-12-01', toDay: '2026-12-06' })).toEqual({
      from: new Date(2026, 11, 1).toISOString(),
      to: new Date(2026, 11, 7).toISOString(),
      order: 'desc',
    });
    expect(
      queryOf({ ...none, gateId: 'g', flag: 'fever', search: ' 张三 ', order: 'asc' }),
    ).toEqual({ gateId: 'g', flag: 'fever', q: '张三', order: 'asc' });
    expect(queryOf({ ...none, search: '   ' })).toEqual({ order: 'desc' });
    expect(localDay(new Date(2026, 0, 2, 23, 59))).toBe('2026-01-02');
  });

  it('names the CSV by its local days and flag, in the page’s language', () => {
    const days = { fromDay: '2026-12-05', toDay: '2026-12-06' };
    const en = (f: Parameters<typeof csvFileName>[0]) => csvFileName(f, 'en');
    expect(en({ ...days, flag: 'fever' })).toBe('gatelog-2026-12-05_2026-12-06-fever.csv');
    expect(en({ ...days, flag: '' })).toBe('gatelog-2026-12-05_2026-12-06.csv');
    expect(en({ fromDay: '2026-12-06', toDay: '2026-12-06', flag: 'refused' })).toBe(
      'gatelog-2026-12-06-refused.csv',
    );
    expect(en({ fromDay: '2026-12-05', toDay: '', flag: '' })).toBe('gatelog-since-2026-12-05.csv');
    expect(en({ fromDay: '', toDay: '2026-12-06', flag: '' })).toBe('gatelog-until-2026-12-06.csv');
    expect(en({ fromDay: '', toDay: '', flag: 'returnee' })).toBe('gatelog-all-returnee.csv');

    const zh = (f: Parameters<typeof csvFileName>[0]) => csvFileName(f, 'zh-CN');
    expect(zh({ ...days, flag: 'fever' })).toBe('门岗登记-2026-12-05至2026-12-06-发热.csv');
    expect(zh({ ...days, flag: '' })).toBe('门岗登记-2026-12-05至2026-12-06.csv');
    expect(zh({ fromDay: '2026-12-06', toDay: '2026-12-06', flag: 'refused' })).toBe(
      '门岗登记-2026-12-06-劝返.csv',
    );
    expect(zh({ fromDay: '2026-12-05', toDay: '', flag: '' })).toBe('门岗登记-2026-12-05起.csv');
    expect(zh({ fromDay: '', toDay: '2026-12-06', flag: '' })).toBe('门岗登记-2026-12-06止.csv');
    expect(zh({ fromDay: '', toDay: '', flag: 'returnee' })).toBe('门岗登记-全部-外地返回.csv');
  });
});
