/**
 * The phone side, in Debian's Chromium (never a downloaded browser) on the production build:
 *
 * - cold first visit → first form usable: empty profile, 4× CPU, network emulated as Lighthouse's
 *   slow 4G (150 ms latency, 1.6 Mbps down, 750 kbps up) on a host that gzips; one more sample
 *   on a harsher 400 ms / 400 kbps link, reported without a budget;
 * - warm start, offline, 4× CPU: the service worker serves the app; empty database vs 100,000
 *   records (samples interleaved so drift hits both alike);
 * - Save tapped → committed → confirmation shown, 4× CPU, 0 and 100,000 records;
 * - the logbook with 10,000 entries today (of the 100,000): first paint, a filter and the way
 *   back to the entry form, 4× CPU;
 * - 10,000 pending records synced to the real server (Fastify + SQLite) on loopback, no throttle;
 *   then, without a budget, over an emulated phone 4G (100 ms latency, 8 Mbps up, 12 down).
 *
 * "Usable" is the app's own User Timing mark `gatelog:form-usable` (main.tsx); "painted" adds
 * the next animation frame after it. Times are from navigation start.
 *
 * Flags: `--dist <dir>` (a build, see bundle.ts), `--out <file>`, `--only cold,warm,save,logbook,sync`,
 * `--sync-trace <file>` (a Chromium trace of the loopback sync, from the app's start to the last
 * record marked, for chrome://tracing or DevTools; its summary is printed: the page's main thread
 * and IndexedDB's own work, busy and idle, between the first request and the last answer),
 * `--warm-trace <prefix>` (after the measured warm starts, one more of each phone traced:
 * `<prefix>-empty.json` and `<prefix>-100k.json`), `--logbook-trace <file>` (one more opening of
 * the logbook after the measured ones, traced from the tap to the way back), `--save-trace <file>`
 * (three more Saves with no records stored after the measured ones, traced).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { chromium, type BrowserContext, type CDPSession, type Page } from 'playwright-core';
import e2e from '../../playwright.config';
import { DEFAULT_GATE_RULES, makeGateLogSchema } from '../../src/shared';
import { buildApp } from '../../src/server/app';
import { createGate } from '../../src/server/gates';
import { SqliteStore } from '../../src/server/store/sqlite';
import { argValue, log, writeOutput, type Metrics } from './lib/output';
import { median, percentile, round } from './lib/stats';
import { inPage, seedInPage, type SeedSpec } from './support/seed';
import { startStaticServer, type StaticServer } from './support/static-server';

const ROOT = resolve(import.meta.dirname, '../..');
const DIST = resolve(argValue('--dist') ?? join(ROOT, 'bench/results/tmp/dist'));
/** Chromium's Prioritized Task Scheduling, used in the page (TypeScript's DOM library lacks it). */
declare const scheduler: {
  postTask(task: () => void, options: { priority: 'user-blocking' }): Promise<void>;
};
const ONLY = new Set((argValue('--only') ?? 'cold,warm,save,logbook,sync').split(','));
const SYNC_TRACE = argValue('--sync-trace');
const WARM_TRACE = argValue('--warm-trace');
const LOGBOOK_TRACE = argValue('--logbook-trace');
const SAVE_TRACE = argValue('--save-trace');
const CPU_SLOWDOWN = 4;
const STARTS = 5;
const SAVES = 30;
const LOGBOOK_OPENS = 4;
const BIG = 100_000;
const BIG_SPEC: SeedSpec = {
  total: BIG,
  today: 10_000,
  pending: 200,
  people: 3_000,
  perShift: 5_000,
};
const SYNC_RECORDS = 10_000;

export const SLOW_4G = {
  latency: 150,
  downloadThroughput: 1_600_000 / 8,
  uploadThroughput: 750_000 / 8,
};
const SLOW_400 = { latency: 400, downloadThroughput: 400_000 / 8, uploadThroughput: 400_000 / 8 };
/** A phone's 4G for the sync's context figure (the budget's sync is over loopback). */
const PHONE_4G = {
  latency: 100,
  downloadThroughput: 12_000_000 / 8,
  uploadThroughput: 8_000_000 / 8,
};

const metrics: Metrics = {};
const details: Record<string, unknown> = {};

/** The phones' browser profiles (made in `main`, removed when it ends). */
let PROFILES = '';

/** The browser suites' Chromium and launch options (Debian's, never a download). */
const { executablePath: CHROMIUM_PATH, args: LAUNCH_ARGS } = e2e.use!.launchOptions! as {
  executablePath: string;
  args: string[];
};

/**
 * Marks the frame that first shows what the app's own marks announce, so "painted" means on the
 * screen: when the app marks, a frame is requested, and a task posted from that frame's
 * animation callback runs once the frame is produced. The task is `user-blocking`, so it runs
 * ahead of tasks the page queued before the frame: traced, it marks 1–8 ms after the frame's
 * paint ends. (A message posted there, as the bench did until 2026-12-08, ran behind React's own
 * messages queued meanwhile, such as the form's re-render after a Save, 14–31 ms after the
 * frame; it is still marked, as `<mark>:queued`, beside the figures. A PerformanceObserver
 * callback would come late too: observers are told in a task of their own, behind whatever the
 * page queued.) Also gives the page tsx's `__name`, which functions passed to page.evaluate
 * carry.
 */
const FRAME_MARKS = `
globalThis.__name = (f) => f;
const painted = { 'gatelog:form-usable': 'bench:form-painted', 'gatelog:save-shown': 'bench:save-painted' };
const mark = performance.mark.bind(performance);
performance.mark = (name, options) => {
  const entry = mark(name, options);
  const next = painted[name];
  if (next) {
    requestAnimationFrame(() => {
      scheduler.postTask(
        () => {
          mark(next);
          if (next === 'bench:form-painted') console.debug(next);
        },
        { priority: 'user-blocking' },
      );
      const channel = new MessageChannel();
      channel.port1.onmessage = () => mark(next + ':queued');
      channel.port2.postMessage(0);
    });
  }
  return entry;
};
`;

/**
 * A phone: a browser profile of its own on disk, as an installed app has. (An incognito context
 * keeps IndexedDB in memory, which Chromium 150 makes several times slower than on disk: a
 * batch of 500 records marked synced took 250–430 ms there against 50–80 ms on disk.)
 */
async function newContext(): Promise<BrowserContext> {
  const dir = mkdtempSync(join(PROFILES, 'phone-'));
  const context = await chromium.launchPersistentContext(dir, {
    executablePath: CHROMIUM_PATH,
    args: LAUNCH_ARGS,
    serviceWorkers: 'allow',
    viewport: { width: 390, height: 844 },
    locale: 'en-US',
  });
  await context.addInitScript(FRAME_MARKS);
  return context;
}

/** A new tab with the CPU slowed down (and the network emulated when asked). */
async function openPage(
  context: BrowserContext,
  opts: { cpu?: number; network?: typeof SLOW_4G } = {},
): Promise<Page> {
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  if (opts.cpu && opts.cpu > 1)
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: opts.cpu });
  if (opts.network) await emulateNetwork(cdp, opts.network);
  return page;
}

async function emulateNetwork(cdp: CDPSession, network: typeof SLOW_4G): Promise<void> {
  await cdp.send('Network.enable');
  await cdp.send('Network.emulateNetworkConditions', { offline: false, ...network });
}

/**
 * Opens `url` and waits until the first screen's form is painted; then the marks' times, in ms
 * from navigation start. Nothing of Playwright's runs in the page before that: its waits first
 * evaluate a script of their own in the page (33–102 ms of main thread at 4× CPU, traced), which
 * landed in the middle of the start-up and counted as the app's time. The page says it painted
 * on its console instead (FRAME_MARKS), which the browser reports without running anything.
 */
async function visit(
  page: Page,
  url: string,
  timeoutMs = 60_000,
): Promise<{ usable: number; painted: number }> {
  const painted = page.waitForEvent('console', {
    predicate: (m) => m.text() === 'bench:form-painted',
    timeout: timeoutMs,
  });
  await page.goto(url, { timeout: timeoutMs });
  await painted;
  return page.evaluate(() => {
    const at = (name: string) => performance.getEntriesByName(name).at(-1)!.startTime;
    return { usable: at('gatelog:form-usable'), painted: at('bench:form-painted') };
  });
}

async function startShiftViaUi(page: Page, gate = 'Bench gate'): Promise<void> {
  await page.getByRole('button', { name: 'Start shift' }).waitFor();
  const gateName = page.getByRole('textbox', { name: 'Gate name', exact: true });
  if (await gateName.isVisible()) await gateName.fill(gate);
  await page.getByLabel('Guard', { exact: true }).fill('Bench guard');
  await page.getByRole('button', { name: 'Start shift' }).click();
  await page.getByRole('textbox', { name: 'Name', exact: true }).waitFor();
}

/** A context whose app is installed (service worker controlling) with a shift started. */
async function installedPhone(url: string): Promise<BrowserContext> {
  const context = await newContext();
  const page = await context.newPage();
  await page.goto(url + '/?lang=en');
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null, undefined, {
    timeout: 30_000,
  });
  await startShiftViaUi(page);
  await page.close();
  return context;
}

async function seed(context: BrowserContext, url: string, spec: SeedSpec) {
  const page = await context.newPage();
  await page.goto(url + '/?lang=en');
  await page.getByRole('textbox', { name: 'Name', exact: true }).waitFor();
  const result = await inPage(page, seedInPage, spec);
  await page.close();
  log(
    `  seeded ${result.records} records (${result.pending} pending, ${result.shifts} shifts, ${result.people} people) in ${Math.round(result.ms)} ms`,
  );
  return result;
}

/** The generator's records pass the shared schema (a sample of old and of today's). */
async function checkSeedRecords(): Promise<void> {
  const schema = makeGateLogSchema(DEFAULT_GATE_RULES);
  const shift = { id: '01900000-0000-7000-8000-000000000001', gateId: 'local', guard: 'G' };
  for (const spec of [BIG_SPEC, { ...BIG_SPEC, total: 2_000, today: 2_000 }]) {
    const { sample = [] } = await seedInPage({ ...spec, dryRun: 2_000, shift });
    for (const r of sample) {
      const parsed = schema.safeParse(r);
      if (!parsed.success)
        throw new Error(`seed record invalid: ${JSON.stringify(parsed.error.issues)}`);
    }
  }
}

async function cold(server: StaticServer): Promise<void> {
  const usable: number[] = [];
  const painted: number[] = [];
  let bytes = 0;
  for (let i = 0; i < 3; i++) {
    const context = await newContext();
    const page = await openPage(context, { cpu: CPU_SLOWDOWN, network: SLOW_4G });
    server.resetCounters();
    const at = await visit(page, server.url + '/?lang=en');
    usable.push(at.usable);
    painted.push(at.painted);
    bytes = server.bytesSent();
    await context.close();
  }
  const context = await newContext();
  const page = await openPage(context, { cpu: CPU_SLOWDOWN, network: SLOW_400 });
  const slow400 = (await visit(page, server.url + '/?lang=en')).painted;
  await context.close();
  // The same visit from a host that does not compress (as GateLog's own server does not).
  const plain = await startStaticServer(DIST, { gzip: false });
  const ctx2 = await newContext();
  const page2 = await openPage(ctx2, { cpu: CPU_SLOWDOWN, network: SLOW_4G });
  const uncompressed = (await visit(page2, plain.url + '/?lang=en')).painted;
  metrics.coldUncompressedPaintedMs = uncompressed;
  metrics.coldUncompressedBytesKB = round(plain.bytesSent() / 1000, 1);
  await ctx2.close();
  await plain.close();
  metrics.coldUsableMs = median(usable);
  metrics.coldPaintedMs = median(painted);
  metrics.coldSlow400PaintedMs = slow400;
  metrics.coldBytesUntilUsableKB = round(bytes / 1000, 1);
  details.cold = { usable, painted, slow400, network: { slow4g: SLOW_4G, slow400: SLOW_400 } };
  log(
    `  cold: usable ${usable.map(Math.round)} painted ${painted.map(Math.round)} (400 kbps: ${Math.round(slow400)})`,
  );
}

/** One warm, offline start in a new tab: ms to usable, painted, and to scripts evaluated (DCL). */
async function warmStart(
  context: BrowserContext,
  url: string,
  traceFile?: string,
): Promise<[number, number, number]> {
  const page = await openPage(context, { cpu: CPU_SLOWDOWN });
  const trace = traceFile ? await startTrace(page) : undefined;
  const { usable, painted } = await visit(page, url + '/?lang=en');
  if (trace) await trace(traceFile!);
  const formOnScreen = await page.getByRole('textbox', { name: 'Name', exact: true }).isVisible();
  if (!formOnScreen) throw new Error('warm start: the entry form is not on screen');
  const dcl = await page.evaluate(
    () =>
      (performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming)
        .domContentLoadedEventEnd,
  );
  await page.close();
  return [usable, painted, dcl];
}

async function saves(
  context: BrowserContext,
  url: string,
  traceFile?: string,
): Promise<{ committed: number[]; shown: number[]; painted: number[]; paintedQueued: number[] }> {
  const page = await openPage(context, { cpu: CPU_SLOWDOWN });
  await page.goto(url + '/?lang=en');
  const name = page.getByRole('textbox', { name: 'Name', exact: true });
  await name.waitFor();
  await page.waitForSelector('form[aria-busy="false"]');
  const out = {
    committed: [] as number[],
    shown: [] as number[],
    painted: [] as number[],
    paintedQueued: [] as number[],
  };
  let trace: ((file: string) => Promise<void>) | undefined;
  const TRACED = traceFile ? 3 : 0;
  for (let i = 0; i < SAVES + 2 + TRACED; i++) {
    if (traceFile && i === SAVES + 2) trace = await startTrace(page);
    await name.fill(`Bench person ${i}`);
    await page.getByRole('textbox', { name: 'Temperature', exact: true }).fill('36.5');
    const before = await page.evaluate(
      () => performance.getEntriesByName('bench:save-painted:queued').length,
    );
    await page.getByRole('button', { name: 'Save', exact: true }).press('Enter');
    await page.waitForFunction(
      (n) => performance.getEntriesByName('bench:save-painted:queued').length > n,
      before,
    );
    const t = await page.evaluate(() => {
      const at = (n: string) => performance.getEntriesByName(n).at(-1)?.startTime ?? NaN;
      const tapped = at('gatelog:save-tapped');
      return [
        at('gatelog:save-committed') - tapped,
        at('gatelog:save-shown') - tapped,
        at('bench:save-painted') - tapped,
        at('bench:save-painted:queued') - tapped,
      ];
    });
    await page.waitForFunction(
      () =>
        (document.querySelector('input[name="person.name"]') as HTMLInputElement | null)?.value ===
        '',
    );
    // The first saves ask for persistent storage and warm the JIT; the traced ones are slowed.
    if (i < 2 || i >= SAVES + 2) continue;
    out.committed.push(t[0]!);
    out.shown.push(t[1]!);
    out.painted.push(t[2]!);
    out.paintedQueued.push(t[3]!);
  }
  if (trace) await trace(traceFile!);
  await page.close();
  return out;
}

async function logbook(
  context: BrowserContext,
  url: string,
): Promise<{
  paint: number[];
  complete: number[];
  filter: number[];
  back: number[];
  rows: number;
  getAll: number[];
}> {
  const paint: number[] = [];
  const complete: number[] = [];
  const filter: number[] = [];
  const getAll: number[] = [];
  const back: number[] = [];
  let rows = 0;
  for (let i = 0; i < LOGBOOK_OPENS + (LOGBOOK_TRACE ? 1 : 0); i++) {
    const page = await openPage(context, { cpu: CPU_SLOWDOWN });
    await page.goto(url + '/?lang=en');
    await page.getByRole('textbox', { name: 'Name', exact: true }).waitFor();
    // Let the start-up work settle, as a guard would look up after a few seconds.
    await page.waitForTimeout(1_500);
    const trace = i === LOGBOOK_OPENS ? await startTrace(page) : undefined;
    const r = await page.evaluate(async () => {
      const frame = () =>
        new Promise<number>((ok) =>
          requestAnimationFrame(() =>
            scheduler.postTask(() => ok(performance.mark('bench:frame').startTime), {
              priority: 'user-blocking',
            }),
          ),
        );
      const until = (test: () => boolean) =>
        new Promise<void>((ok) => {
          if (test()) return ok();
          const obs = new MutationObserver(() => {
            if (test()) {
              obs.disconnect();
              ok();
            }
          });
          obs.observe(document.body, {
            childList: true,
            subtree: true,
            characterData: true,
            attributes: true,
          });
        });
      const t0 = performance.now();
      (document.querySelector('a[href="#/logbook"]') as HTMLAnchorElement).click();
      // Rows on screen: in the DOM and laid out (not in a hidden subtree).
      await until(() => document.querySelector('ul.log-list li')?.checkVisibility() === true);
      const paintMs = (await frame()) - t0;
      // The newest rows come first and the rest after the first frame: the filter is timed on
      // the whole list, once every row is in (the list is no longer busy).
      await until(() => document.querySelector('ul.log-list[aria-busy="false"]') !== null);
      const completeMs = (await frame()) - t0;
      const count = document.querySelector('.log-count.fever strong')?.textContent ?? '';
      const t1 = performance.now();
      (document.querySelector('.log-count.fever') as HTMLButtonElement).click();
      await until(() => /Showing/.test(document.querySelector('.log-status')?.textContent ?? ''));
      const filterMs = (await frame()) - t1;
      const status = document.querySelector('.log-status')?.textContent ?? '';
      // The floor of a logbook that reads every full record of its scope: one raw getAll
      // (after the logbook, so its read is not warmed by this one).
      const idb = await new Promise<IDBDatabase>((ok) => {
        const r = indexedDB.open('gatelog');
        r.onsuccess = () => ok(r.result);
      });
      const shiftId = await new Promise<string>((ok) => {
        const r = idb.transaction('settings').objectStore('settings').get('currentShiftId');
        r.onsuccess = () => ok((r.result as { value: string }).value);
      });
      const g0 = performance.now();
      await new Promise((ok) => {
        const scope = IDBKeyRange.bound([shiftId, ''], [shiftId, '\uffff']);
        const r = idb
          .transaction('records')
          .objectStore('records')
          .index('[shiftId+id]')
          .getAll(scope);
        r.onsuccess = ok;
      });
      const getAllMs = performance.now() - g0;
      idb.close();
      // Back to the entry form, as for the next person at the gate (after the floor above, so
      // the form's own start does not run during that read).
      const t2 = performance.now();
      (document.querySelector('a[href="#/"]') as HTMLAnchorElement).click();
      await until(
        () => document.querySelector('input[name="person.name"]')?.checkVisibility() === true,
      );
      const backMs = (await frame()) - t2;
      return { paintMs, completeMs, filterMs, backMs, count, status, getAllMs };
    });
    if (trace) {
      await trace(LOGBOOK_TRACE!);
      await page.close();
      break;
    }
    paint.push(r.paintMs);
    back.push(r.backMs);
    complete.push(r.completeMs);
    filter.push(r.filterMs);
    getAll.push(r.getAllMs);
    // "Showing 10 of 10,000": the count as the page writes it, grouped.
    rows = Number(/of ([\d,]+)/.exec(r.status)?.[1]?.replace(/,/g, '') ?? 0);
    await page.close();
  }
  return { paint, complete, filter, back, rows, getAll };
}

async function warmAndSave(server: StaticServer): Promise<void> {
  const empty = await installedPhone(server.url);
  const big = await installedPhone(server.url);
  if (ONLY.has('warm') || ONLY.has('save') || ONLY.has('logbook')) {
    log('  seeding 100,000 records');
    details.seed = await seed(big, server.url, BIG_SPEC);
  }
  await empty.setOffline(true);
  await big.setOffline(true);
  server.setOffline(true);
  try {
    if (ONLY.has('warm')) {
      const e: number[][] = [];
      const b: number[][] = [];
      await warmStart(empty, server.url); // the first start after install compiles and caches code
      await warmStart(big, server.url);
      for (let i = 0; i < STARTS; i++) {
        e.push(await warmStart(empty, server.url));
        b.push(await warmStart(big, server.url));
      }
      metrics.warmUsableMs = median(e.map((x) => x[0]!));
      metrics.warmScriptsEvaluatedMs = median(e.map((x) => x[2]!));
      metrics.warmPaintedMs = median(e.map((x) => x[1]!));
      metrics.warm100kPaintedMs = median(b.map((x) => x[1]!));
      metrics.startup100kDeltaMs = median(b.map((x, i) => x[1]! - e[i]![1]!));
      details.warm = { empty: e, big: b };
      if (WARM_TRACE) {
        await warmStart(empty, server.url, `${WARM_TRACE}-empty.json`);
        await warmStart(big, server.url, `${WARM_TRACE}-100k.json`);
      }
      log(
        `  warm painted: empty ${e.map((x) => Math.round(x[1]!))}, 100k ${b.map((x) => Math.round(x[1]!))}`,
      );
    }
    if (ONLY.has('save')) {
      for (const [label, ctx] of [
        ['0', empty],
        ['100k', big],
      ] as const) {
        const s = await saves(ctx, server.url, label === '0' ? SAVE_TRACE : undefined);
        metrics[`save${label}CommittedP95Ms`] = percentile(s.committed, 95);
        metrics[`save${label}ShownP95Ms`] = percentile(s.shown, 95);
        metrics[`save${label}PaintedP95Ms`] = percentile(s.painted, 95);
        metrics[`save${label}PaintedQueuedP95Ms`] = percentile(s.paintedQueued, 95);
        metrics[`save${label}CommittedMedianMs`] = median(s.committed);
        details[`save${label}`] = s;
        log(
          `  save @${label}: committed p95 ${round(percentile(s.committed, 95))}, shown p95 ${round(percentile(s.shown, 95))}, painted p95 ${round(percentile(s.painted, 95))} (marked behind queued tasks: ${round(percentile(s.paintedQueued, 95))})`,
        );
      }
    }
    if (ONLY.has('logbook')) {
      const l = await logbook(big, server.url);
      metrics.logbookFirstPaintMs = median(l.paint);
      metrics.logbookFilterMs = median(l.filter);
      metrics.logbookCompleteMs = median(l.complete);
      metrics.logbookRows = l.rows;
      metrics.logbookRawGetAllMs = median(l.getAll);
      metrics.logbookBackToFormMs = median(l.back);
      details.logbook = l;
      log(
        `  logbook (${l.rows} rows): first paint ${l.paint.map(Math.round)}, all in ${l.complete.map(Math.round)}, filter ${l.filter.map(Math.round)}, back to the form ${l.back.map(Math.round)}`,
      );
    }
  } finally {
    server.setOffline(false);
    await empty.close();
    await big.close();
  }
}

/** The real server on a fresh SQLite file, serving the build and the API on 127.0.0.1. */
async function appServer() {
  const dir = mkdtempSync(join(tmpdir(), 'gatelog-bench-'));
  const file = join(dir, 'gatelog.sqlite');
  const store = new SqliteStore(file);
  await store.migrate();
  const gate = await createGate(store, 'Bench gate');
  const adminToken = 'bench-admin-token-0123456789';
  const app = await buildApp({ store, adminToken, staticDir: DIST });
  await app.ready();
  const requests: { path: string; start: number; end: number }[] = [];
  const http = createServer((req, res) => {
    const entry = { path: req.url ?? '', start: performance.now(), end: 0 };
    res.on('finish', () => {
      entry.end = performance.now();
      requests.push(entry);
    });
    app.routing(req, res);
  });
  await new Promise<void>((ok) => http.listen(0, '127.0.0.1', ok));
  const url = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  const admin = { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' };
  return {
    url,
    gate,
    requests,
    async enroll() {
      const code = await fetch(`${url}/api/v1/gates/${gate.id}/enrollment-codes`, {
        method: 'POST',
        headers: admin,
        body: '{}',
      });
      const { code: c } = (await code.json()) as { code: string };
      const res = await fetch(`${url}/api/v1/enroll`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ code: c, deviceName: 'Bench phone' }),
      });
      return (await res.json()) as {
        deviceId: string;
        token: string;
        gate: { id: string; name: string; rules: unknown };
      };
    },
    storedRecords: () => {
      const db = new Database(file, { readonly: true });
      const n = (db.prepare('select count(*) as n from records').get() as { n: number }).n;
      db.close();
      return n;
    },
    async close() {
      http.closeAllConnections();
      await new Promise<void>((ok) => http.close(() => ok()));
      await app.close();
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * Starts a Chromium trace (the page's main thread with V8's samples, IndexedDB, the network);
 * the function it returns ends it and writes it to a file.
 */
async function startTrace(page: Page): Promise<(file: string) => Promise<void>> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Tracing.start', {
    transferMode: 'ReturnAsStream',
    traceConfig: {
      recordMode: 'recordAsMuchAsPossible',
      includedCategories: [
        'devtools.timeline',
        'disabled-by-default-devtools.timeline',
        'v8.execute',
        'disabled-by-default-v8.cpu_profiler',
        'blink.user_timing',
        'IndexedDB',
        'netlog',
        'loading',
      ],
    },
  });
  return async (file) => {
    const complete = new Promise<string>((ok) =>
      cdp.once('Tracing.tracingComplete', (e) => ok(e.stream!)),
    );
    await cdp.send('Tracing.end');
    const handle = await complete;
    const chunks: Buffer[] = [];
    for (;;) {
      const r = await cdp.send('IO.read', { handle, size: 1 << 22 });
      chunks.push(Buffer.from(r.data, r.base64Encoded ? 'base64' : 'utf8'));
      if (r.eof) break;
    }
    await cdp.send('IO.close', { handle });
    writeFileSync(file, Buffer.concat(chunks));
    log(`  trace written to ${file}`);
  };
}

/**
 * What the sync's reads and writes cost the phone's IndexedDB alone: the 10,000 records just
 * sent are given their outbox rows again (not timed), then read as the sync reads them, 500
 * outbox rows at a time (and one more) and their records in one read from the first one's id,
 * and each batch settled in a transaction of its own (its outbox rows deleted as one range, the
 * counter written), with IndexedDB's own
 * API, no network, no server and none of the app's code (from a same-origin page without it).
 * Nothing the sync does can take less on this machine.
 */
async function idbMarkingFloor(page: Page, url: string): Promise<number> {
  await page.goto(url + '/api/v1/device/config');
  return inPage(
    page,
    async () => {
      const db = await new Promise<IDBDatabase>((ok, fail) => {
        const r = indexedDB.open('gatelog');
        r.onsuccess = () => ok(r.result);
        r.onerror = () => fail(r.error);
      });
      type Row = { id: string; shiftId: string; savedAt: number };
      const done = (tx: IDBTransaction) => new Promise((ok) => (tx.oncomplete = ok));
      const refill = db.transaction(['records', 'outbox', 'counters'], 'readwrite');
      const all = refill.objectStore('records').getAll();
      all.onsuccess = () => {
        const rows = all.result as Row[];
        for (const { id, shiftId, savedAt } of rows) {
          refill.objectStore('outbox').put({ id, shiftId, savedAt });
        }
        refill.objectStore('counters').put({ key: 'pending', n: rows.length });
      };
      await done(refill);
      const t0 = performance.now();
      let after: string | undefined;
      for (let n = 0; ;) {
        const tx = db.transaction(['outbox', 'records', 'counters']);
        const read = tx
          .objectStore('outbox')
          .getAll(after === undefined ? null : IDBKeyRange.lowerBound(after, true), 501);
        let ids: string[] = [];
        read.onsuccess = () => {
          const rows = read.result as Row[];
          ids = rows.slice(0, 500).map((r) => r.id);
          if (rows.length > 0) {
            const span = IDBKeyRange.bound(rows[0]!.id, rows.at(-1)!.id);
            tx.objectStore('records').getAll(span, rows.length);
          }
        };
        await done(tx);
        if (ids.length === 0) break;
        n += ids.length;
        const write = db.transaction(['outbox', 'counters'], 'readwrite');
        write.objectStore('outbox').delete(IDBKeyRange.bound(ids[0]!, ids.at(-1)!));
        write.objectStore('counters').put({ key: 'pending', n });
        await done(write);
        after = ids.at(-1)!;
      }
      const ms = performance.now() - t0;
      db.close();
      return ms;
    },
    undefined,
  );
}

/** 10,000 pending records on a phone synced to a fresh server, over loopback or `network`. */
async function syncBacklog(network?: typeof SLOW_4G) {
  const server = await appServer();
  try {
    const enrolled = await server.enroll();
    const context = await newContext();
    const page = await context.newPage();
    await page.goto(server.url + '/?lang=en');
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null, undefined, {
      timeout: 30_000,
    });
    await startShiftViaUi(page);
    await inPage(
      page,
      async (a: { serverUrl: string; deviceId: string; token: string; gate: unknown }) => {
        const db = await new Promise<IDBDatabase>((ok, fail) => {
          const r = indexedDB.open('gatelog');
          r.onsuccess = () => ok(r.result);
          r.onerror = () => fail(r.error);
        });
        const tx = db.transaction('settings', 'readwrite');
        const s = tx.objectStore('settings');
        s.put({
          key: 'enrollment',
          value: {
            serverUrl: a.serverUrl,
            deviceId: a.deviceId,
            token: a.token,
            enrolledAt: new Date().toISOString(),
          },
        });
        s.put({ key: 'gate', value: a.gate });
        await new Promise((ok) => (tx.oncomplete = ok));
        db.close();
      },
      {
        serverUrl: server.url,
        deviceId: enrolled.deviceId,
        token: enrolled.token,
        gate: enrolled.gate,
      },
    );
    // Seed while the app is away (from a same-origin page without it: an API answer), so the
    // records wait for the next start like a real backlog.
    await page.goto('about:blank');
    const seeder = await context.newPage();
    await seeder.goto(server.url + '/api/v1/device/config');
    const seeded = await inPage(seeder, seedInPage, {
      total: SYNC_RECORDS,
      today: SYNC_RECORDS,
      pending: SYNC_RECORDS,
      people: 2_000,
      perShift: SYNC_RECORDS,
      gateId: enrolled.gate.id,
      deviceId: enrolled.deviceId,
    });
    await seeder.close();
    log(`  sync: seeded ${seeded.pending} pending in ${Math.round(seeded.ms)} ms`);
    server.requests.length = 0;
    if (network) await emulateNetwork(await context.newCDPSession(page), network);
    const trace = !network && SYNC_TRACE ? await startTrace(page) : undefined;
    await page.goto(server.url + '/?lang=en');
    const doneAt = await page.evaluate(async () => {
      const db = await new Promise<IDBDatabase>((ok, fail) => {
        const r = indexedDB.open('gatelog');
        r.onsuccess = () => ok(r.result);
        r.onerror = () => fail(r.error);
      });
      const pending = () =>
        new Promise<number>((ok) => {
          const r = db.transaction('counters').objectStore('counters').get('pending');
          r.onsuccess = () => ok((r.result as { n: number } | undefined)?.n ?? 0);
        });
      const deadline = performance.now() + 120_000;
      while ((await pending()) > 0 && performance.now() < deadline)
        await new Promise((ok) => setTimeout(ok, 20));
      const at = performance.now();
      const left = await new Promise<number>((ok) => {
        const r = db.transaction('outbox').objectStore('outbox').count();
        r.onsuccess = () => ok(r.result);
      });
      db.close();
      return { at, left };
    });
    if (trace) await trace(SYNC_TRACE!);
    const syncs = server.requests.filter((r) => r.path.startsWith('/api/v1/sync'));
    const stored = server.storedRecords();
    if (doneAt.left !== 0 || stored !== SYNC_RECORDS) {
      throw new Error(`sync: ${doneAt.left} records still pending, ${stored} stored`);
    }
    // The floor: the same reads and writes with IndexedDB's own API and nothing else.
    const idbFloorMs = network ? undefined : await idbMarkingFloor(page, server.url);
    await context.close();
    const first = Math.min(...syncs.map((r) => r.start));
    const last = Math.max(...syncs.map((r) => r.end));
    const serverBusyMs = round(
      syncs.reduce((s, r) => s + (r.end - r.start), 0),
      1,
    );
    log(
      `  sync${network ? ' (phone 4G)' : ''}: ${SYNC_RECORDS} synced ${Math.round(doneAt.at)} ms after navigation, ${syncs.length} requests, server busy ${Math.round(serverBusyMs)} ms`,
    );
    if (idbFloorMs !== undefined) {
      log(
        `  sync: the phone's IndexedDB alone, the same reads and marks: ${Math.round(idbFloorMs)} ms`,
      );
    }
    return {
      endToEndMs: doneAt.at,
      idbFloorMs,
      firstToLastRequestMs: round(last - first, 1),
      serverBusyMs,
      details: {
        requests: syncs.length,
        perRequestMs: syncs.map((r) => round(r.end - r.start, 1)),
        // From one answer to the next request: the phone's own time between batches.
        gapsMs: syncs.slice(1).map((r, i) => round(r.start - syncs[i]!.end, 1)),
      },
    };
  } finally {
    await server.close();
  }
}

async function sync(): Promise<void> {
  const loopback = await syncBacklog();
  metrics.sync10kEndToEndMs = loopback.endToEndMs;
  metrics.sync10kFirstToLastRequestMs = loopback.firstToLastRequestMs;
  metrics.sync10kRequests = loopback.details.requests;
  metrics.sync10kServerBusyMs = loopback.serverBusyMs;
  if (loopback.idbFloorMs !== undefined) metrics.sync10kIdbFloorMs = loopback.idbFloorMs;
  details.sync = loopback.details;
  // Context, no budget: the same backlog over a phone's uplink, where its size and round trips
  // count (the batches go compressed, and the next goes while the last answer is written).
  const phone = await syncBacklog(PHONE_4G);
  metrics.sync10kPhone4gMs = phone.endToEndMs;
  details.syncPhone4g = { network: PHONE_4G, ...phone.details };
}

async function main() {
  await checkSeedRecords();
  const version = /\d+(\.\d+)+/.exec(
    execFileSync(CHROMIUM_PATH, ['--version'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }),
  )![0];
  metrics.chromiumMajor = Number(version.split('.')[0]);
  details.chromium = version;
  PROFILES = mkdtempSync(join(tmpdir(), 'gatelog-bench-phones-'));
  const server = await startStaticServer(DIST);
  try {
    if (ONLY.has('cold')) await cold(server);
    if (ONLY.has('warm') || ONLY.has('save') || ONLY.has('logbook')) await warmAndSave(server);
    if (ONLY.has('sync')) await sync();
  } finally {
    await server.close();
    rmSync(PROFILES, { recursive: true, force: true });
  }
  writeOutput({ metrics, details });
}

await main();
