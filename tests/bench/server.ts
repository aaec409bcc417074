/**
 * The server side: ingest of 500-record batches of UUIDv7 records, fresh and resent.
 *
 * - store level: `insertRecords` of prepared rows (no HTTP, no validation), SQLite and PostgreSQL;
 * - HTTP level: one phone posting batch after batch to `POST /api/v1/sync` of a server in its own
 *   process (validation, canonical JSON, store, answer), SQLite and PostgreSQL;
 * - under load: 20 phones at once, each posting its batches back to back (closed loop: every
 *   phone with a backlog, as when the network comes back at a shift change);
 * - a burst, only with `--only burst` (not part of `npm run bench`): `--burst-phones` phones
 *   (default 800) each send one batch at the same moment, and again after the phone's own
 *   `retryDelay` when turned away with 503: the slowest answer, how many were turned away, and
 *   the server's peak memory (see GATELOG_SYNC_MAX_IN_FLIGHT).
 *
 * PostgreSQL runs in a scratch database made for the run (`su postgres -c psql`) on the server
 * of DATABASE_URL (default postgres://gatelog:gatelog@127.0.0.1:5432/gatelog) and dropped after;
 * without one the PostgreSQL figures are left out and the report says so.
 *
 * Flags: `--out <file>`, `--only store,http,load`, `--no-pg`, `--server-cpu-prof <dir>` (the HTTP
 * servers write a V8 CPU profile there when they stop, for `node --cpu-prof`'s viewers),
 * `--server-node-flags "<flags>"` (Node/V8 options of the HTTP servers alone, to compare a
 * deployment setting such as `--max-semi-space-size=64`), `--plain-bodies` (batches sent as plain
 * JSON; by default they go gzip-compressed, as the app sends them).
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { retryDelay } from '../../src/app/sync/backoff';
import { DEFAULT_GATE_RULES, type GateLog } from '../../src/shared';
import { createGate } from '../../src/server/gates';
import { canonicalJson, toRecordRow } from '../../src/server/records';
import { openStore } from '../../src/server/store';
import type { Store } from '../../src/server/store/types';
import { cpuMsOf, cpuMsOfCommand, cpuMsOfThread, ownCpuMs } from './lib/cpu';
import { httpRequest } from './lib/http';
import { argValue, log, writeOutput, type Metrics } from './lib/output';
import { msSince, percentile, median, round } from './lib/stats';
import { seedInPage } from './support/seed';

const ROOT = resolve(import.meta.dirname, '../..');
const ONLY = new Set((argValue('--only') ?? 'store,http,load').split(','));
const BATCH = 500;
const STORE_BATCHES = 100;
const HTTP_BATCHES = 40;
/**
 * Batches a phone sends before the HTTP runs: the server's hot path compiled (V8 optimizes a
 * function after some hundreds of calls) and its connections made, as on a server that has run
 * for a while. Their records are not sent again.
 */
const HTTP_WARMUP_BATCHES = 10;
const LOAD_DEVICES = 20;
const LOAD_BATCHES = 8;
const PACED_BATCHES = 4;
const PACED_EVERY_MS = 5_000;
const SERVER_CPU_PROF = argValue('--server-cpu-prof');
const SERVER_NODE_FLAGS = argValue('--server-node-flags')?.split(' ').filter(Boolean) ?? [];
const PLAIN_BODIES = process.argv.includes('--plain-bodies');
const BURST_PHONES = Number(argValue('--burst-phones') ?? 800);
const BASE_URL = process.env.DATABASE_URL || 'postgres://gatelog:gatelog@127.0.0.1:5432/gatelog';

const metrics: Metrics = {};
const details: Record<string, unknown> = {};

/** `n` valid records of one phone, in id order (the generator the browser bench seeds with). */
async function makeRecords(n: number, gateId: string, deviceId: string): Promise<GateLog[]> {
  const shift = { id: randomUUID(), gateId, guard: '张师傅' };
  const spec = {
    total: n,
    today: n,
    pending: n,
    people: 3_000,
    perShift: n,
    gateId,
    deviceId,
    dryRun: n,
    shift,
  };
  const { sample = [] } = await seedInPage(spec);
  return sample as GateLog[];
}

function batches<T>(items: T[], size = BATCH): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** Records as the sync route hands them to the store, a batch of BATCH at a time. */
function rowBatchesOf(records: GateLog[]) {
  const now = Date.now();
  return batches(records).map((b) => {
    const batchId = randomUUID();
    return b.map((r) => toRecordRow(r, DEFAULT_GATE_RULES, now, batchId, canonicalJson(r)));
  });
}

/** A scratch PostgreSQL database for this run, or undefined when there is no server to use. */
function makePgDatabase(): { url: string; drop(): void } | undefined {
  if (process.argv.includes('--no-pg')) return undefined;
  const name = `gatelog_bench_${process.pid}`;
  const u = new URL(BASE_URL);
  const psql = (sql: string) =>
    execFileSync('su', ['postgres', '-c', `psql -v ON_ERROR_STOP=1 -qc "${sql}"`], {
      stdio: 'pipe',
    });
  try {
    psql(`create database ${name} owner ${decodeURIComponent(u.username)}`);
  } catch (e) {
    log(
      `  PostgreSQL skipped: cannot create a scratch database (${(e as Error).message.split('\n')[0]})`,
    );
    return undefined;
  }
  u.pathname = '/' + name;
  return {
    url: u.toString(),
    drop: () => {
      try {
        psql(`drop database if exists ${name} with (force)`);
      } catch {
        // best effort
      }
    },
  };
}

async function storeLevel(kind: 'sqlite' | 'pg', store: Store): Promise<void> {
  await store.migrate();
  const gate = await createGate(store, 'Bench gate');
  const device = {
    id: randomUUID(),
    gateId: gate.id,
    name: 'Bench phone',
    tokenHash: 'x'.repeat(64),
  };
  await store.createDevice({ ...device, createdAt: Date.now() });
  const records = await makeRecords(STORE_BATCHES * BATCH, gate.id, device.id);
  const rowBatches = rowBatchesOf(records);
  const run = async () => {
    const start = process.hrtime.bigint();
    let inserted = 0;
    for (const rows of rowBatches) inserted += (await store.insertRecords(rows)).inserted.length;
    return { ms: msSince(start), inserted };
  };
  const fresh = await run();
  const again = await run();
  if (fresh.inserted !== records.length || again.inserted !== 0) {
    throw new Error(`${kind} store: inserted ${fresh.inserted} then ${again.inserted}`);
  }
  const key = kind === 'sqlite' ? 'Sqlite' : 'Pg';
  metrics[`store${key}InsertPerSec`] = Math.round(records.length / (fresh.ms / 1000));
  metrics[`store${key}DuplicatePerSec`] = Math.round(records.length / (again.ms / 1000));
  log(
    `  store ${kind}: ${metrics[`store${key}InsertPerSec`]}/s fresh, ${metrics[`store${key}DuplicatePerSec`]}/s resent`,
  );
  await storeUnderLoad(kind, store, gate.id, device.id);
}

/**
 * The load test with HTTP taken away: LOAD_DEVICES callers, each handing the store its fresh
 * batches back to back, as the 20 phones' requests reach it. No request can be answered before
 * its batch is stored, so this is the floor of the sync's latency under load: by Little's law
 * the mean latency of a closed loop of 20 is at least 20 batches over the store's throughput
 * with 20 in flight.
 */
async function storeUnderLoad(
  kind: 'sqlite' | 'pg',
  store: Store,
  gateId: string,
  deviceId: string,
): Promise<void> {
  const key = kind === 'sqlite' ? 'Sqlite' : 'Pg';
  const records = await makeRecords(LOAD_DEVICES * LOAD_BATCHES * BATCH, gateId, deviceId);
  const rowBatches = rowBatchesOf(records);
  const latencies: number[] = [];
  const start = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: LOAD_DEVICES }, async (_, caller) => {
      for (let i = caller; i < rowBatches.length; i += LOAD_DEVICES) {
        const at = process.hrtime.bigint();
        const { inserted } = await store.insertRecords(rowBatches[i]!);
        if (inserted.length !== BATCH)
          throw new Error(`${kind} store under load: ${inserted.length}`);
        latencies.push(msSince(at));
      }
    }),
  );
  const wall = msSince(start);
  const perSec = records.length / (wall / 1000);
  metrics[`storeLoad${key}PerSec`] = Math.round(perSec);
  metrics[`storeLoad${key}P99Ms`] = round(percentile(latencies, 99));
  // Little's law: a closed loop of N waits, on average, N batches' worth of the store's time.
  metrics[`storeLoad${key}FloorMs`] = round(((LOAD_DEVICES * BATCH) / perSec) * 1000);
  log(
    `  store ${kind}, ${LOAD_DEVICES} batches in flight: ${metrics[`storeLoad${key}PerSec`]}/s, p99 ${metrics[`storeLoad${key}P99Ms`]} ms, mean latency floor ${metrics[`storeLoad${key}FloorMs`]} ms`,
  );
}

interface Served {
  url: string;
  adminToken: string;
  gateId: string;
  child: ChildProcess;
}

async function serve(pgUrl?: string): Promise<Served> {
  const child = spawn(
    process.execPath,
    [
      ...(SERVER_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${resolve(SERVER_CPU_PROF)}`] : []),
      ...SERVER_NODE_FLAGS,
      '--import',
      'tsx',
      join(ROOT, 'tests/bench/support/serve.ts'),
      ...(pgUrl ? ['--pg', pgUrl] : []),
    ],
    {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const line = await new Promise<string>((ok, fail) => {
    const rl = createInterface({ input: child.stdout! });
    rl.once('line', ok);
    child.once('exit', (code) => fail(new Error(`server exited ${code}`)));
  });
  return { ...(JSON.parse(line) as Omit<Served, 'child'>), child };
}

async function stop(s: Served): Promise<void> {
  const exited = new Promise((ok) => s.child.once('exit', ok));
  s.child.kill('SIGTERM');
  await exited;
}

async function enroll(s: Served, name: string): Promise<{ deviceId: string; token: string }> {
  const code = await fetch(`${s.url}/api/v1/gates/${s.gateId}/enrollment-codes`, {
    method: 'POST',
    headers: { authorization: `Bearer ${s.adminToken}`, 'content-type': 'application/json' },
    body: '{}',
  });
  const { code: c } = (await code.json()) as { code: string };
  const res = await fetch(`${s.url}/api/v1/enroll`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ code: c, deviceName: name }),
  });
  if (res.status !== 201) throw new Error(`enroll ${res.status}: ${await res.text()}`);
  return (await res.json()) as { deviceId: string; token: string };
}

interface Phone {
  token: string;
  bodies: Body[];
}

/** A request body as the app sends it: a batch compressed (its JSON over 4 KB), or plain. */
type Body = string | Uint8Array<ArrayBuffer>;
const asSent = (json: string): Body => (PLAIN_BODIES ? json : Uint8Array.from(gzipSync(json)));

async function phone(s: Served, name: string, nBatches: number): Promise<Phone> {
  const { deviceId, token } = await enroll(s, name);
  const records = await makeRecords(nBatches * BATCH, s.gateId, deviceId);
  const bodies = batches(records).map((b) =>
    asSent(
      JSON.stringify({
        batchId: randomUUID(),
        device: { appVersion: 'bench', pending: b.length },
        records: b,
      }),
    ),
  );
  return { token, bodies };
}

/** Sends one batch as the app does. */
const send = (s: Served, p: Phone, body: Body) =>
  httpRequest(
    `${s.url}/api/v1/sync`,
    'POST',
    {
      authorization: `Bearer ${p.token}`,
      'content-type': 'application/json',
      ...(typeof body !== 'string' && { 'content-encoding': 'gzip' }),
    },
    body,
  );

/** Posts one batch; returns ms and the counts the server answered. */
async function post(
  s: Served,
  p: Phone,
  body: Body,
): Promise<{ ms: number; accepted: number; duplicates: number }> {
  const start = process.hrtime.bigint();
  const res = await send(s, p, body);
  const answer = res.json<{
    accepted?: string[];
    duplicates?: string[];
    rejected?: unknown[];
  }>();
  const ms = msSince(start);
  if (res.status !== 200 || (answer.rejected?.length ?? 0) > 0) {
    throw new Error(`sync ${res.status}: ${JSON.stringify(answer).slice(0, 300)}`);
  }
  return { ms, accepted: answer.accepted?.length ?? 0, duplicates: answer.duplicates?.length ?? 0 };
}

/** ms of `total` a batch, to one decimal. */
const perBatch = (totalMs: number, n: number) => round(totalMs / n);

/**
 * What a batch's body costs before the store, as the server must spend it on every batch:
 * decoding it (gunzip, UTF-8, `JSON.parse`) and the sync route's own checks of its records
 * (`sortRecords`), fresh and resent, timed on the same bodies in a process of its own
 * (support/checks.ts), ms a batch.
 */
function bodyMsPerBatch(
  bodies: Body[],
  gateId: string,
): { decode: number; fresh: number; resent: number } {
  const dir = mkdtempSync(join(tmpdir(), 'gatelog-bench-checks-'));
  try {
    const file = join(dir, 'bodies.json');
    const sent = bodies.map((b) =>
      typeof b === 'string' ? { text: b } : { gzip: Buffer.from(b).toString('base64') },
    );
    writeFileSync(file, JSON.stringify(sent));
    const out = execFileSync(
      process.execPath,
      [
        '--import',
        'tsx',
        join(ROOT, 'tests/bench/support/checks.ts'),
        '--bodies',
        file,
        '--gate-id',
        gateId,
      ],
      { cwd: ROOT, encoding: 'utf8' },
    );
    const ms = JSON.parse(out) as { decode: number; fresh: number; resent: number };
    return { decode: round(ms.decode), fresh: round(ms.fresh), resent: round(ms.resent) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function httpLevel(kind: 'sqlite' | 'pg', s: Served): Promise<void> {
  const key = kind === 'sqlite' ? 'Sqlite' : 'Pg';
  const p = await phone(s, 'Bench phone', HTTP_WARMUP_BATCHES + HTTP_BATCHES);
  for (const body of p.bodies.splice(0, HTTP_WARMUP_BATCHES)) await post(s, p, body);
  const records = HTTP_BATCHES * BATCH;
  const n = p.bodies.length;
  // One phone, batch after batch: each run's time a batch, and the CPU each process spent on it.
  const run = async () => {
    const cpu = () => ({
      client: ownCpuMs(),
      server: cpuMsOf(s.child.pid!),
      db: kind === 'pg' ? cpuMsOfCommand('postgres') : 0,
    });
    const before = cpu();
    const start = process.hrtime.bigint();
    let accepted = 0;
    let duplicates = 0;
    for (const body of p.bodies) {
      const r = await post(s, p, body);
      accepted += r.accepted;
      duplicates += r.duplicates;
    }
    const ms = msSince(start);
    const after = cpu();
    return {
      ms,
      accepted,
      duplicates,
      clientMs: perBatch(after.client - before.client, n),
      serverMs: perBatch(after.server - before.server, n),
      dbMs: perBatch(after.db - before.db, n),
    };
  };
  const fresh = await run();
  const again = await run();
  if (fresh.accepted !== records || again.duplicates !== records) {
    throw new Error(`${kind} http: not every record was stored, then answered as stored`);
  }
  metrics[`http${key}InsertPerSec`] = Math.round(records / (fresh.ms / 1000));
  metrics[`http${key}DuplicatePerSec`] = Math.round(records / (again.ms / 1000));
  const { decode: decodeMs, ...checks } = bodyMsPerBatch(p.bodies, s.gateId);
  metrics[`http${key}DecodeMsPerBatch`] = decodeMs;
  for (const [what, r, checksMs] of [
    ['Insert', fresh, checks.fresh],
    ['Duplicate', again, checks.resent],
  ] as const) {
    metrics[`http${key}${what}MsPerBatch`] = perBatch(r.ms, n);
    metrics[`http${key}${what}ServerCpuMsPerBatch`] = r.serverMs;
    metrics[`http${key}${what}ClientCpuMsPerBatch`] = r.clientMs;
    metrics[`http${key}${what}ChecksMsPerBatch`] = checksMs;
    if (kind === 'pg') metrics[`httpPg${what}DbCpuMsPerBatch`] = r.dbMs;
    // The least one phone's batch can take here: the bench's own client, the decoding, the
    // checks of its records, and the store's own time a batch (its store-level figure), each
    // done once, one after the other (a phone sends its next batch when this one is answered).
    const storePerSec = metrics[`store${key}${what}PerSec`];
    if (storePerSec) {
      const floorMs = r.clientMs + decodeMs + checksMs + (BATCH / storePerSec) * 1000;
      metrics[`http${key}${what}FloorPerSec`] = Math.round((BATCH / floorMs) * 1000);
    }
  }
  const line = (r: typeof fresh) =>
    `${perBatch(r.ms, n)} ms a batch: server ${r.serverMs} ms CPU${kind === 'pg' ? `, PostgreSQL ${r.dbMs}` : ''}, client ${r.clientMs}`;
  log(
    `  http ${kind}: ${metrics[`http${key}InsertPerSec`]}/s fresh (${line(fresh)}), ${metrics[`http${key}DuplicatePerSec`]}/s resent (${line(again)}); decoding ${decodeMs} ms a batch, checks ${checks.fresh} fresh, ${checks.resent} resent`,
  );
  if (metrics[`http${key}InsertFloorPerSec`]) {
    log(
      `  http ${kind} floor here (client + decoding + checks + the store's own time): ${metrics[`http${key}InsertFloorPerSec`]}/s fresh, ${metrics[`http${key}DuplicateFloorPerSec`]}/s resent`,
    );
  }
}

async function load(kind: 'sqlite' | 'pg', s: Served): Promise<void> {
  const key = kind === 'sqlite' ? 'Sqlite' : 'Pg';
  const phones: Phone[] = [];
  for (let i = 0; i < LOAD_DEVICES; i++) {
    phones.push(await phone(s, `Load phone ${i}`, LOAD_BATCHES + PACED_BATCHES));
  }
  // Warm-up: one small request per phone (auth cache, connections).
  await Promise.all(
    phones.map((p) =>
      post(
        s,
        p,
        JSON.stringify({
          batchId: randomUUID(),
          device: { appVersion: 'bench', pending: 0 },
          records: [],
        }),
      ),
    ),
  );
  const latencies: number[] = [];
  const pid = s.child.pid!;
  const cpu = () => ({
    loop: cpuMsOfThread(pid, pid),
    server: cpuMsOf(pid),
    db: kind === 'pg' ? cpuMsOfCommand('postgres') : 0,
    client: ownCpuMs(),
  });
  const before = cpu();
  const start = process.hrtime.bigint();
  await Promise.all(
    phones.map(async (p) => {
      for (const body of p.bodies.slice(0, LOAD_BATCHES))
        latencies.push((await post(s, p, body)).ms);
    }),
  );
  const wall = msSince(start);
  const after = cpu();
  const total = LOAD_DEVICES * LOAD_BATCHES * BATCH;
  // Where the CPU of a batch went, all processes on the same cores: the server's request loop,
  // its other threads (SQLite's writer, V8's garbage collection helpers, the thread pool that
  // inflates bodies), PostgreSQL, and the bench's 20 phones.
  const batches = LOAD_DEVICES * LOAD_BATCHES;
  const loopMs = perBatch(after.loop - before.loop, batches);
  const threadsMs = perBatch(after.server - before.server - (after.loop - before.loop), batches);
  const dbMs = perBatch(after.db - before.db, batches);
  const clientMs = perBatch(after.client - before.client, batches);
  metrics[`load${key}LoopCpuMsPerBatch`] = loopMs;
  metrics[`load${key}ThreadsCpuMsPerBatch`] = threadsMs;
  if (kind === 'pg') metrics.loadPgDbCpuMsPerBatch = dbMs;
  metrics[`load${key}ClientCpuMsPerBatch`] = clientMs;
  // 20 phones back to back wait, on average, for 20 batches: with the CPU this code spends a
  // batch spread over every core, no mean latency could be lower.
  metrics[`load${key}CpuFloorMs`] = round(
    (LOAD_DEVICES * (loopMs + threadsMs + dbMs + clientMs)) / availableParallelism(),
  );
  metrics[`load${key}P50Ms`] = round(median(latencies));
  metrics[`load${key}P95Ms`] = round(percentile(latencies, 95));
  metrics[`load${key}P99Ms`] = round(percentile(latencies, 99));
  metrics[`load${key}RecordsPerSec`] = Math.round(total / (wall / 1000));
  details[`load${key}`] = { requests: latencies.length, wallMs: round(wall) };
  log(
    `  load ${kind}: p50 ${metrics[`load${key}P50Ms`]} p95 ${metrics[`load${key}P95Ms`]} p99 ${metrics[`load${key}P99Ms`]} ms, ${metrics[`load${key}RecordsPerSec`]} records/s; CPU a batch: request loop ${loopMs} ms, the server's other threads ${threadsMs}${kind === 'pg' ? `, PostgreSQL ${dbMs}` : ''}, client ${clientMs}: no mean under ${metrics[`load${key}CpuFloorMs`]} ms on ${availableParallelism()} cores`,
  );

  // Paced: the same 20 phones, each sending one batch every PACED_EVERY_MS from a random phase
  // (an offered load well under capacity): the latency of a request that does not queue.
  const paced: number[] = [];
  await Promise.all(
    phones.map(async (p) => {
      await sleep(Math.random() * PACED_EVERY_MS);
      for (let i = 0; i < PACED_BATCHES; i++) {
        const at = Date.now();
        paced.push((await post(s, p, p.bodies[LOAD_BATCHES + i]!)).ms);
        await sleep(Math.max(0, PACED_EVERY_MS - (Date.now() - at)));
      }
    }),
  );
  metrics[`paced${key}P50Ms`] = round(median(paced));
  metrics[`paced${key}P99Ms`] = round(percentile(paced, 99));
  log(
    `  paced ${kind} (20 phones, a batch each per ${PACED_EVERY_MS / 1000} s): p50 ${metrics[`paced${key}P50Ms`]} p99 ${metrics[`paced${key}P99Ms`]} ms`,
  );
}

const sleep = (ms: number) => new Promise((ok) => setTimeout(ok, ms));

/** The server process's resident memory now, in MB (Linux). */
function rssMb(pid: number): number {
  const kb = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
  return Number(kb ?? 0) / 1024;
}

async function burst(kind: 'sqlite' | 'pg', s: Served): Promise<void> {
  const key = kind === 'sqlite' ? 'Sqlite' : 'Pg';
  const phones: Phone[] = [];
  for (let i = 0; i < BURST_PHONES; i++) phones.push(await phone(s, `Burst phone ${i}`, 1));
  let peak = rssMb(s.child.pid!);
  const sampler = setInterval(() => (peak = Math.max(peak, rssMb(s.child.pid!))), 20);
  const answered: number[] = [];
  let turnedAway = 0;
  const start = process.hrtime.bigint();
  await Promise.all(
    phones.map(async (p) => {
      for (;;) {
        const sent = process.hrtime.bigint();
        const res = await send(s, p, p.bodies[0]!);
        if (res.status === 200) return answered.push(msSince(sent));
        if (res.status !== 503) throw new Error(`burst ${kind}: ${res.status}`);
        turnedAway++;
        await sleep(retryDelay(0, Number(res.headers['retry-after']) * 1000));
      }
    }),
  );
  const wall = msSince(start);
  clearInterval(sampler);
  metrics[`burst${key}SlowestMs`] = round(Math.max(...answered));
  metrics[`burst${key}P50Ms`] = round(median(answered));
  metrics[`burst${key}TurnedAway`] = turnedAway;
  metrics[`burst${key}PeakRssMb`] = Math.round(peak);
  log(
    `  burst ${kind} (${BURST_PHONES} phones at once): slowest answer ${metrics[`burst${key}SlowestMs`]} ms, p50 ${metrics[`burst${key}P50Ms`]} ms, ${turnedAway} turned away, server peak ${metrics[`burst${key}PeakRssMb`]} MB, all in ${Math.round(wall)} ms`,
  );
}

async function main() {
  const pg = makePgDatabase();
  details.postgres = pg ? 'scratch database on ' + new URL(BASE_URL).host : 'skipped';
  try {
    if (ONLY.has('store')) {
      const dir = mkdtempSync(join(tmpdir(), 'gatelog-bench-store-'));
      const sqlite = openStore({ sqliteFile: join(dir, 'gatelog.sqlite') });
      await storeLevel('sqlite', sqlite);
      await sqlite.close();
      rmSync(dir, { recursive: true, force: true });
      if (pg) {
        const store = openStore({ sqliteFile: '', databaseUrl: pg.url });
        await storeLevel('pg', store);
        await store.close();
      }
    }
    for (const kind of pg ? (['sqlite', 'pg'] as const) : (['sqlite'] as const)) {
      if (!ONLY.has('http') && !ONLY.has('load') && !ONLY.has('burst')) break;
      if (kind === 'pg') {
        // A clean database for the HTTP runs.
        pg!.drop();
      }
      const fresh = kind === 'pg' ? makePgDatabase() : undefined;
      const s = await serve(fresh?.url);
      try {
        if (ONLY.has('http')) await httpLevel(kind, s);
        if (ONLY.has('load')) await load(kind, s);
        if (ONLY.has('burst')) await burst(kind, s);
      } finally {
        await stop(s);
        fresh?.drop();
      }
    }
  } finally {
    pg?.drop();
  }
  writeOutput({ metrics, details });
}

await main();
