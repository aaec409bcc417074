import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DEFAULT_GATE_RULES, type SyncRequest, type SyncResponse } from '../../src/shared';
import {
  GateLogDb,
  db,
  deleteSetting,
  dropOrphans,
  endShift,
  UNDO_WINDOW_MS,
  getRecord,
  getSetting,
  listRejected,
  markSynced,
  outboxStats,
  saveEntry,
  saveReceipt,
  setDb,
  setSetting,
  startShift,
  takePendingBatch,
  type Shift,
} from '../../src/app/db';
import { parseRetryAfter } from '../../src/app/sync/api-client';
import {
  SYNC_MAX_BACKOFF_MS,
  SYNC_MAX_RETRY_AFTER_MS,
  SYNC_MIN_BACKOFF_MS,
  backoffCeiling,
  backoffDelay,
  retryDelay,
} from '../../src/app/sync/backoff';
import {
  RETENTION_EVERY_MS,
  SYNC_LOCK_BUSY_RETRY_MS,
  SYNC_SAVE_RETRY_MS,
  SYNC_SOON_DELAY_MS,
  SyncEngine,
  noLock,
  webLock,
  type SyncClock,
  type SyncEngineOptions,
} from '../../src/app/sync/sync-engine';
import { makeEntry } from '../support/factories';
import { requestText } from '../support/request-body';

// Hundreds of saves through fake-indexeddb take seconds when other suites share the CPU.
vi.setConfig({ testTimeout: 30_000 });

const START = Date.UTC(2020, 1, 3, 0, 15);

/** A clock whose timers fire only when the test advances it. */
class FakeClock implements SyncClock {
  t = START;
  private seq = 0;
  timers: { id: number; at: number; fn: () => void }[] = [];
  /** Awaited after each timer fires (the engine's idle). */
  settle: () => Promise<void> = async () => {};

  now = () => this.t;
  setTimeout = (fn: () => void, ms: number) => {
    const id = ++this.seq;
    this.timers.push({ id, at: this.t + Math.max(0, ms), fn });
    return id;
  };
  clearTimeout = (h: unknown) => {
    this.timers = this.timers.filter((x) => x.id !== h);
  };

  /** Moves time forward, firing due timers in order. */
  async advance(ms: number): Promise<void> {
    const until = this.t + ms;
    for (;;) {
      await this.settle();
      const next = [...this.timers].sort((a, b) => a.at - b.at)[0];
      if (!next || next.at > until) break;
      this.timers = this.timers.filter((x) => x !== next);
      this.t = Math.max(this.t, next.at);
      next.fn();
      await this.settle();
    }
    this.t = until;
    await this.settle();
  }

  /** Jumps to the next timer and fires it; returns how far it was. */
  async fireNext(): Promise<number> {
    const next = [...this.timers].sort((a, b) => a.at - b.at)[0];
    if (!next) throw new Error('no timer');
    const waited = next.at - this.t;
    await this.advance(waited);
    return waited;
  }
}

type Step =
  | 'ok'
  | 'network'
  /** The server stores the batch, but the answer never arrives. */
  | 'lose'
  | { status: number; headers?: Record<string, string>; body?: unknown }
  | { empty: true }
  /** Only the batch's records at these positions are stored and answered. */
  | { answer: number[] };

/** An idempotent sync endpoint, like the real one, with scripted failures. */
class FakeServer {
  stored = new Map<string, string>();
  requests: { url: string; auth: string | null; body: SyncRequest; gzipped: boolean }[] = [];
  steps: Step[] = [];
  rejectIds = new Map<string, string>();
  tooLargeAbove = Number.POSITIVE_INFINITY;
  tooLargeIds = new Set<string>();
  inFlight = 0;
  maxInFlight = 0;
  hold: Promise<void> | undefined;

  fetch = (async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    try {
      await this.hold;
      const headers = new Headers(init?.headers);
      const gzipped = headers.get('content-encoding') === 'gzip';
      const body = JSON.parse(await requestText(init)) as SyncRequest;
      this.requests.push({ url: String(input), auth: headers.get('authorization'), body, gzipped });
      const step = this.steps.shift() ?? 'ok';
      if (step === 'network') throw new TypeError('Failed to fetch');
      if (typeof step === 'object' && 'status' in step) {
        return json(
          step.status,
          step.body ?? { error: 'err', message: `status ${step.status}` },
          step.headers,
        );
      }
      if (typeof step === 'object' && 'empty' in step) {
        return json(200, {
          batchId: body.batchId,
          accepted: [],
          duplicates: [],
          rejected: [],
          serverTime: iso(),
        });
      }
      const ids = body.records.map((r) => (r as { id: string }).id);
      if (ids.length > this.tooLargeAbove || ids.some((id) => this.tooLargeIds.has(id))) {
        return json(413, { error: 'too_large', message: 'body too large' });
      }
      const answer = this.process(
        typeof step === 'object' && 'answer' in step
          ? { ...body, records: step.answer.map((i) => body.records[i]!) }
          : body,
      );
      if (step === 'lose') throw new TypeError('connection reset');
      return json(200, answer);
    } finally {
      this.inFlight--;
    }
  }) as typeof fetch;

  private process(body: SyncRequest): SyncResponse {
    const answer: SyncResponse = {
      batchId: body.batchId,
      accepted: [],
      duplicates: [],
      rejected: [],
      serverTime: iso(),
    };
    for (const r of body.records as { id: string }[]) {
      const code = this.rejectIds.get(r.id);
      if (code) answer.rejected.push({ id: r.id, code, message: `refused: ${code}` });
      else if (this.stored.has(r.id)) answer.duplicates.push(r.id);
      else {
        this.stored.set(r.id, JSON.stringify(r));
        answer.accepted.push(r.id);
      }
    }
    return answer;
  }

  sentIds(): string[] {
    return this.requests.flatMap((q) => q.body.records.map((r) => (r as { id: string }).id));
  }
}

const iso = () => new Date(START).toISOString();
function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json', ...headers },
  });
}

/** A seeded PRNG (mulberry32), so jitter statistics are reproducible. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

let n = 0;
let shift: Shift;
let clock: FakeClock;
let server: FakeServer;

beforeEach(async () => {
  setDb(new GateLogDb(`test-sync-${n++}`));
  clock = new FakeClock();
  server = new FakeServer();
  shift = await startShift('gate-1', '王师傅', new Date(START - 3_600_000));
  await setSetting('enrollment', {
    serverUrl: 'https://gate.example/',
    deviceId: 'dev-1',
    token: 'tok-1',
    enrolledAt: '2020-02-01T08:00:00.000+08:00',
  });
});

afterEach(() => {
  vi.unstubAllGlobals();
});

/**
 * `navigator.locks` for two engines in one test: `ifAvailable` requests fail while the lock is
 * held, others wait their turn. Returns the names held.
 */
function stubWebLocks(): Set<string> {
  const held = new Set<string>();
  const waiting: (() => void)[] = [];
  type Callback = (lock: unknown) => unknown;
  vi.stubGlobal('navigator', {
    locks: {
      async request(name: string, a: { ifAvailable?: boolean } | Callback, b?: Callback) {
        const opts = typeof a === 'function' ? {} : a;
        const cb = typeof a === 'function' ? a : b!;
        if (held.has(name)) {
          if (opts.ifAvailable) return cb(null);
          await new Promise<void>((resolve) => waiting.push(resolve));
        }
        held.add(name);
        try {
          return await cb({ name });
        } finally {
          held.delete(name);
          waiting.shift()?.();
        }
      },
    },
  });
  return held;
}

/** Saves `count` entries at `at` (device ms); by default well outside the undo window. */
async function seed(count: number, at = clock.t - 60_000): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const saved = await saveEntry(
      makeEntry({ person: { category: 'visitor', name: `访客${i}` } }),
      {
        shift,
        deviceId: 'dev-1',
        rules: DEFAULT_GATE_RULES,
        now: new Date(at),
      },
    );
    ids.push(saved.id);
  }
  return ids;
}

function makeEngine(overrides: Partial<SyncEngineOptions> = {}): SyncEngine {
  const engine = new SyncEngine({
    appVersion: '1.2.3',
    fetch: server.fetch,
    clock,
    random: () => 0.5,
    lock: noLock,
    env: {},
    storageEstimate: async () => ({ usage: 1_000, quota: 10_000 }),
    persisted: async () => undefined,
    ...overrides,
  });
  clock.settle = () => engine.idle();
  return engine;
}

describe('backoff', () => {
  it('draws every delay from [0, min(cap, base·2ⁿ)) and reaches the 5-minute cap, never above', () => {
    const random = seeded(42);
    for (let failures = 0; failures < 40; failures++) {
      const ceiling = Math.min(SYNC_MAX_BACKOFF_MS, SYNC_MIN_BACKOFF_MS * 2 ** failures);
      expect(backoffCeiling(failures)).toBe(ceiling);
      for (let i = 0; i < 200; i++) {
        const d = backoffDelay(failures, random);
        expect(d).toBeGreaterThanOrEqual(0);
        expect(d).toBeLessThan(ceiling);
        expect(d).toBeLessThan(SYNC_MAX_BACKOFF_MS);
      }
    }
    expect(backoffCeiling(8)).toBeLessThan(SYNC_MAX_BACKOFF_MS);
    expect(backoffCeiling(9)).toBe(SYNC_MAX_BACKOFF_MS);
    expect(backoffDelay(50, () => 0.9999999)).toBeGreaterThan(SYNC_MAX_BACKOFF_MS * 0.999);
    expect(backoffDelay(3, () => 0)).toBe(0);
    expect(backoffDelay(3, () => 1)).toBeLessThan(8_000);
  });

  it('is full jitter: uniform over the whole range, not clustered at the ceiling', () => {
    const random = seeded(7);
    const ceiling = backoffCeiling(4);
    const samples = Array.from({ length: 20_000 }, () => backoffDelay(4, random));
    const mean = samples.reduce((a, b) => a + b, 0) / samples.length;
    expect(mean / ceiling).toBeGreaterThan(0.48);
    expect(mean / ceiling).toBeLessThan(0.52);
    const deciles = new Array<number>(10).fill(0);
    for (const s of samples) deciles[Math.floor((s / ceiling) * 10)]!++;
    for (const count of deciles) {
      expect(count / samples.length).toBeGreaterThan(0.085);
      expect(count / samples.length).toBeLessThan(0.115);
    }
  });

  it('honours Retry-After over the backoff, capped, with a small spread', () => {
    expect(retryDelay(0, 120_000, () => 0)).toBe(120_000);
    expect(retryDelay(0, 120_000, () => 0.99)).toBeLessThan(121_000);
    expect(retryDelay(5, 86_400_000, () => 0)).toBe(SYNC_MAX_RETRY_AFTER_MS);
    expect(retryDelay(5, undefined, () => 0.5)).toBe(backoffDelay(5, () => 0.5));
  });

  it('parses Retry-After as seconds or an HTTP date', () => {
    expect(parseRetryAfter('120', START)).toBe(120_000);
    expect(parseRetryAfter(' 0 ', START)).toBe(0);
    expect(parseRetryAfter(new Date(START + 30_000).toUTCString(), START)).toBe(30_000);
    expect(parseRetryAfter(new Date(START - 30_000).toUTCString(), START)).toBe(0);
    expect(parseRetryAfter('soon', START)).toBeUndefined();
    expect(parseRetryAfter('-5', START)).toBeUndefined();
    expect(parseRetryAfter(null, START)).toBeUndefined();
  });
});

describe('SyncEngine: the happy path', () => {
  it('sends pending records in id order with a batch id, the token and the device status, and marks them synced', async () => {
    const ids = await seed(3);
    await setSetting('persistence', { asked: true, granted: true });
    const engine = makeEngine();
    const result = await engine.runOnce();
    expect(result).toMatchObject({ outcome: 'done', synced: 3, rejected: 0, pending: 0 });
    expect(server.requests).toHaveLength(1);
    const req = server.requests[0]!;
    expect(req.url).toBe('https://gate.example/api/v1/sync');
    expect(req.auth).toBe('Bearer tok-1');
    expect(req.body.batchId).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
    expect(server.sentIds()).toEqual([...ids].sort());
    // Nothing left once this batch is answered: the committee's list says so.
    expect(req.body.device).toEqual({
      appVersion: '1.2.3',
      pending: 0,
      persisted: true,
      usageBytes: 1_000,
      quotaBytes: 10_000,
    });
    expect(await outboxStats()).toMatchObject({ pending: 0, rejected: 0 });
    expect(await getSetting('lastSync')).toMatchObject({ serverTime: iso() });
    expect(engine.getStatus()).toMatchObject({ pending: 0, lastError: undefined, running: false });
    expect(engine.getStatus().lastSyncAt).toBeDefined();
  });

  it('does nothing (and sends nothing) before the phone is enrolled', async () => {
    await seed(2);
    await deleteSetting('enrollment');
    const engine = makeEngine();
    expect((await engine.runOnce()).outcome).toBe('not_enrolled');
    expect(server.requests).toHaveLength(0);
    expect(engine.getStatus()).toMatchObject({ enrolled: false, pending: 2 });
  });

  it('keeps sending batches of at most 500 until nothing is pending', async () => {
    await seed(620);
    let estimates = 0;
    const engine = makeEngine({
      storageEstimate: async () => ({ usage: 1_000 + estimates++, quota: 10_000 }),
    });
    expect(await engine.runOnce()).toMatchObject({ outcome: 'done', synced: 620 });
    // The storage is read once a run, not before each batch (that read waited on the last
    // answer's write): both batches tell the same.
    expect(estimates).toBe(1);
    expect(server.requests.map((r) => r.body.device.usageBytes)).toEqual([1_000, 1_000]);
    expect(server.requests.map((r) => r.body.records.length)).toEqual([500, 120]);
    // Batches this large go compressed.
    expect(server.requests.map((r) => r.gzipped)).toEqual([true, true]);
    // What the phone still holds once each batch is answered (the second batch is read while
    // the first answer is written: its count leaves that out).
    expect(server.requests.map((r) => r.body.device.pending)).toEqual([120, 0]);
    expect(new Set(server.sentIds()).size).toBe(620);
  });

  it('sends again in the same run what an answer left out, and tells the oldest pending each time', async () => {
    const ids = [...(await seed(1, clock.t - 120_000)), ...(await seed(5))];
    server.tooLargeAbove = 3; // batches of 3 after the first answer, a 413
    server.steps = ['ok', { answer: [0, 2] }, { answer: [0] }];
    const engine = makeEngine();
    expect(await engine.runOnce()).toMatchObject({ outcome: 'done', synced: 6, pending: 0 });
    const sent = server.requests.map((r) => r.body.records.map((x) => (x as { id: string }).id));
    expect(sent).toEqual([
      ids,
      ids.slice(0, 3),
      // ids[1] was left out: the next read begins there, after ids[0].
      [ids[1], ids[3], ids[4]],
      [ids[3], ids[4], ids[5]],
    ]);
    const occurred = async (i: number) => (await db.records.get(ids[i]!))!.record.occurredAt;
    // What the phone holds once each batch is answered, and the oldest of it.
    expect(
      server.requests.map((r) => [r.body.device.pending, r.body.device.oldestPendingAt]),
    ).toEqual([
      [0, undefined],
      [3, await occurred(3)],
      [1, await occurred(5)],
      [0, undefined],
    ]);
  });
});

describe('SyncEngine: an outbox row whose record a tab of the previous release undid', () => {
  // That tab, still open after the update, undoes a record by deleting the record alone: one
  // this release's run had adopted (adoptLegacyPending) keeps its outbox row and its count.
  const undoneInOldTab = (id: string) => db.records.delete(id);

  it('is deleted by the next run with its count, so the sync line reaches all sent', async () => {
    const [undone] = await seed(1);
    await undoneInOldTab(undone!);
    expect(await outboxStats()).toMatchObject({ pending: 1 });
    const engine = makeEngine();
    expect(await engine.runOnce()).toMatchObject({ outcome: 'done', synced: 0, pending: 0 });
    expect(server.requests).toHaveLength(0);
    expect(await db.outbox.count()).toBe(0);
    expect(await outboxStats()).toMatchObject({ pending: 0, rejected: 0 });
    expect(engine.getStatus()).toMatchObject({ pending: 0, lastError: undefined });
  });

  it('is deleted in the batch that met it; the records around it go, and the server hears 0 left', async () => {
    const [first, undone, last] = await seed(3);
    await undoneInOldTab(undone!);
    const engine = makeEngine();
    expect(await engine.runOnce()).toMatchObject({ outcome: 'done', synced: 2, pending: 0 });
    expect(server.sentIds()).toEqual([first, last]);
    expect(server.requests[0]!.body.device.pending).toBe(0);
    expect(await db.outbox.count()).toBe(0);
    expect(await outboxStats()).toMatchObject({ pending: 0 });
  });

  it('is named by the batch read, which names none on a normal run; a row whose record is there stays', async () => {
    const ids = await seed(3);
    const limits = { maxRecords: 500, maxBytes: 1 << 20, savedAtOrBefore: clock.t };
    const normal = await takePendingBatch(limits);
    expect(normal.records.map((r) => r.id)).toEqual(ids);
    expect(normal).not.toHaveProperty('orphans');
    await undoneInOldTab(ids[1]!);
    const met = await takePendingBatch(limits);
    expect(met.records.map((r) => r.id)).toEqual([ids[0], ids[2]]);
    expect(met.orphans).toEqual([ids[1]]);
    // Only rows whose record is gone: the others (and one gone already) are left.
    expect(await dropOrphans([ids[0]!, ids[1]!, ids[1]!])).toBe(1);
    expect(await dropOrphans([ids[1]!])).toBe(0);
    expect((await db.outbox.toArray()).map((e) => e.id)).toEqual([ids[0], ids[2]]);
    expect(await outboxStats()).toMatchObject({ pending: 2 });
  });
});

describe('SyncEngine: failures', () => {
  it('backs off after network errors with full-jitter delays within [0, min(5 min, 1 s·2ⁿ)] and never drops a record', async () => {
    await seed(2);
    server.steps = Array.from({ length: 14 }, () => 'network' as const);
    const engine = makeEngine({ random: () => 0.9999999 });
    expect((await engine.runOnce()).outcome).toBe('retry_later');
    const waits: number[] = [];
    for (let i = 0; i < 14; i++) {
      const wait = await clock.fireNext();
      waits.push(wait);
      expect(wait).toBeGreaterThanOrEqual(0);
      expect(wait).toBeLessThanOrEqual(Math.min(SYNC_MAX_BACKOFF_MS, SYNC_MIN_BACKOFF_MS * 2 ** i));
    }
    expect(Math.max(...waits)).toBeGreaterThan(SYNC_MAX_BACKOFF_MS * 0.999);
    expect(Math.max(...waits)).toBeLessThanOrEqual(SYNC_MAX_BACKOFF_MS);
    expect(server.requests).toHaveLength(15);
    expect(await outboxStats()).toMatchObject({ pending: 0 });
    expect(server.stored.size).toBe(2);
    expect(engine.getStatus().lastError).toBeUndefined();
  });

  it('treats a 5xx like a network error, and resets the backoff after a success', async () => {
    await seed(1);
    server.steps = [{ status: 500 }, { status: 502 }];
    const engine = makeEngine({ random: () => 0.9999999 });
    await engine.runOnce();
    expect(engine.getStatus().lastError).toMatchObject({ kind: 'http', status: 500 });
    expect(await clock.fireNext()).toBeLessThan(1_000);
    expect(await clock.fireNext()).toBeLessThan(2_000);
    expect(await outboxStats()).toMatchObject({ pending: 0 });
    await seed(1);
    server.steps = ['network'];
    await engine.runOnce();
    expect(engine.getStatus().nextAttemptAt! - clock.t).toBeLessThan(1_000);
  });

  it('a save during a long backoff brings a try 30 s after the last failure, not minutes', async () => {
    await seed(1);
    server.steps = Array.from({ length: 9 }, () => 'network' as const);
    const engine = makeEngine({ random: () => 0.9999999 });
    await engine.runOnce();
    // Nine failures in a row: the next automatic try is minutes away.
    for (let i = 0; i < 8; i++) await clock.fireNext();
    expect(server.requests).toHaveLength(9);
    expect(engine.getStatus().nextAttemptAt! - clock.t).toBeGreaterThan(SYNC_SAVE_RETRY_MS * 4);
    // The server is back, and the guard saves the next person.
    await seed(1);
    engine.syncSoon();
    await clock.advance(SYNC_SAVE_RETRY_MS);
    expect(server.requests).toHaveLength(10);
    expect(await outboxStats()).toMatchObject({ pending: 0 });
  });

  it('waits as long as Retry-After says on 503, and automatic triggers do not jump the queue', async () => {
    await seed(3);
    server.steps = [{ status: 503, headers: { 'retry-after': '120' } }];
    const engine = makeEngine();
    expect((await engine.runOnce()).outcome).toBe('retry_later');
    const wait = engine.getStatus().nextAttemptAt! - clock.t;
    expect(wait).toBeGreaterThanOrEqual(120_000);
    expect(wait).toBeLessThan(121_000);
    engine.syncSoon();
    engine.trigger('visible');
    engine.trigger('online');
    await clock.advance(119_999);
    expect(server.requests).toHaveLength(1);
    await clock.advance(1_001);
    expect(server.requests).toHaveLength(2);
    expect(await outboxStats()).toMatchObject({ pending: 0 });
  });

  it('honours a Retry-After HTTP date on 429, and caps an absurd one', async () => {
    await seed(1);
    server.steps = [
      { status: 429, headers: { 'retry-after': new Date(START + 30_000).toUTCString() } },
      { status: 429, headers: { 'retry-after': '86400' } },
    ];
    const engine = makeEngine({ random: () => 0 });
    await engine.runOnce();
    expect(engine.getStatus().nextAttemptAt! - clock.t).toBe(30_000);
    expect(await clock.fireNext()).toBe(30_000);
    expect(engine.getStatus().nextAttemptAt! - clock.t).toBe(SYNC_MAX_RETRY_AFTER_MS);
  });

  it('halves the batch on 413 and retries at once, until it fits', async () => {
    await seed(300);
    server.tooLargeAbove = 100;
    const engine = makeEngine();
    expect(await engine.runOnce()).toMatchObject({ outcome: 'done', synced: 300, rejected: 0 });
    expect(server.requests.map((r) => r.body.records.length)).toEqual([300, 150, 75, 75, 75, 75]);
    expect(clock.timers).toHaveLength(0);
    expect(server.stored.size).toBe(300);
  });

  it('rejects locally (too_large) a single record the server still finds too large, and goes on', async () => {
    const ids = await seed(4);
    server.tooLargeIds.add(ids[1]!);
    const engine = makeEngine();
    expect(await engine.runOnce()).toMatchObject({
      outcome: 'done',
      synced: 3,
      rejected: 1,
      pending: 0,
    });
    const rejected = await listRejected();
    expect(rejected.map((r) => [r.id, r.rejection?.code])).toEqual([[ids[1], 'too_large']]);
    expect([...server.stored.keys()].sort()).toEqual([ids[0], ids[2], ids[3]].sort());
  });

  it('resends after a lost answer; the server reports duplicates and every record is stored exactly once', async () => {
    const ids = await seed(5);
    server.steps = ['lose'];
    const engine = makeEngine();
    expect((await engine.runOnce()).outcome).toBe('retry_later');
    expect(server.stored.size).toBe(5);
    expect((await outboxStats()).pending).toBe(5);
    await clock.fireNext();
    expect(server.requests).toHaveLength(2);
    const [first, second] = server.requests;
    expect(second!.body.records).toEqual(first!.body.records);
    expect(second!.body.batchId).not.toBe(first!.body.batchId);
    expect(await outboxStats()).toMatchObject({ pending: 0, rejected: 0 });
    expect([...server.stored.keys()].sort()).toEqual([...ids].sort());
  });

  it('never resends a rejected record, and records after it still go', async () => {
    const ids = await seed(4);
    server.rejectIds.set(ids[1]!, 'invalid');
    const engine = makeEngine();
    expect(await engine.runOnce()).toMatchObject({ synced: 3, rejected: 1, pending: 0 });
    const later = await seed(2);
    await engine.runOnce();
    await engine.syncNow();
    expect(server.sentIds().filter((id) => id === ids[1])).toHaveLength(1);
    expect(server.requests[1]!.body.records.map((r) => (r as { id: string }).id)).toEqual(later);
    const [rejected] = await listRejected();
    expect(rejected).toMatchObject({
      id: ids[1],
      syncState: 'rejected',
      rejection: { code: 'invalid', message: 'refused: invalid' },
    });
    expect(engine.getStatus()).toMatchObject({ rejected: 1, pending: 0 });
  });

  it('does not spin when an answer acknowledges nothing', async () => {
    await seed(2);
    server.steps = [{ empty: true }];
    const engine = makeEngine();
    expect((await engine.runOnce()).outcome).toBe('retry_later');
    expect(server.requests).toHaveLength(1);
    expect(engine.getStatus().lastError?.kind).toBe('response');
  });

  it.each([401, 403])(
    'stops on %i, stores the auth problem and waits for re-enrollment',
    async (status) => {
      await seed(2);
      server.steps = [{ status }];
      const engine = makeEngine();
      expect((await engine.runOnce()).outcome).toBe('auth');
      expect(engine.getStatus()).toMatchObject({ authProblem: true, pending: 2 });
      expect(await getSetting('authProblem')).toMatchObject({ status });
      expect(clock.timers).toHaveLength(0);
      engine.syncSoon();
      engine.trigger('online');
      engine.trigger('visible');
      await clock.advance(3_600_000);
      expect((await engine.runOnce()).outcome).toBe('auth');
      expect(server.requests).toHaveLength(1);
      engine.onEnrolled();
      await clock.advance(0);
      expect(server.requests).toHaveLength(2);
      expect(engine.getStatus()).toMatchObject({ authProblem: false, pending: 0 });
    },
  );

  it.each([401, 403])(
    "takes a proxy's own %i page for a failure to retry, not a token refused",
    async (status) => {
      await seed(2);
      const page = new Response('<html><body><h1>Forbidden</h1>nginx</body></html>', {
        status,
        headers: { 'content-type': 'text/html' },
      });
      const fetch = server.fetch;
      let first = true;
      const engine = makeEngine({
        fetch: ((input, init) => {
          if (!first || !String(input).endsWith('/api/v1/sync')) return fetch(input, init);
          first = false;
          return Promise.resolve(page);
        }) as typeof globalThis.fetch,
      });
      expect((await engine.runOnce()).outcome).toBe('retry_later');
      expect(engine.getStatus()).toMatchObject({ authProblem: false, pending: 2 });
      expect(engine.getStatus().lastError).toMatchObject({ kind: 'http', status });
      expect(await getSetting('authProblem')).toBeUndefined();
      // The backoff's timer sends them, with no tap and no enrollment.
      expect(clock.timers).toHaveLength(1);
      await clock.advance(3_600_000);
      expect(engine.getStatus()).toMatchObject({ pending: 0, lastError: undefined });
      expect(server.stored.size).toBe(2);
    },
  );
});

describe('SyncEngine: undo window and flush', () => {
  it('holds back records inside the undo window, then sends them once it has passed', async () => {
    const old = await seed(2);
    const fresh = await seed(1, clock.t - 1_000);
    const engine = makeEngine();
    expect(await engine.runOnce()).toMatchObject({ outcome: 'done', synced: 2, pending: 1 });
    expect(server.sentIds()).toEqual(old);
    expect(clock.timers).toHaveLength(1);
    await clock.advance(UNDO_WINDOW_MS + 1_000);
    expect(server.sentIds()).toEqual([...old, ...fresh]);
    expect((await outboxStats()).pending).toBe(0);
  });

  it('flush sends records inside the undo window too (end of shift)', async () => {
    const fresh = await seed(2, clock.t);
    const engine = makeEngine();
    expect((await engine.runOnce()).synced).toBe(0);
    expect(await engine.flush()).toMatchObject({ synced: 2, pending: 0 });
    expect(server.sentIds()).toEqual(fresh);
  });

  it('syncSoon waits out the undo window and does not push an earlier run back', async () => {
    const engine = makeEngine();
    await seed(1, clock.t);
    engine.syncSoon();
    await clock.advance(3_000);
    await seed(1, clock.t);
    engine.syncSoon();
    await clock.advance(SYNC_SOON_DELAY_MS - 3_000 - 1);
    expect(server.requests).toHaveLength(0);
    await clock.advance(1);
    expect(server.sentIds()).toHaveLength(1);
    // The second one, still inside its window then, goes one delay later.
    await clock.advance(SYNC_SOON_DELAY_MS);
    expect(server.sentIds()).toHaveLength(2);
  });
});

describe('SyncEngine: one runner', () => {
  it('never has two requests in flight in one tab; calls made meanwhile share one follow-up run', async () => {
    await seed(5);
    let release!: () => void;
    server.hold = new Promise((r) => (release = r));
    const engine = makeEngine();
    const runs = [engine.runOnce(), engine.runOnce(), engine.syncNow(), engine.runOnce()];
    await Promise.resolve();
    release();
    const results = await Promise.all(runs);
    expect(server.maxInFlight).toBe(1);
    expect(server.requests).toHaveLength(1);
    expect(results[0]).toMatchObject({ synced: 5 });
    expect(results[1]).toBe(results[2]);
    expect(server.sentIds()).toHaveLength(5);
  });

  it('uses Web Locks across tabs: a second tab finds the lock taken and sends nothing', async () => {
    const held = stubWebLocks();
    const lock = webLock();
    expect(lock).toBeDefined();
    await seed(3);
    let release!: () => void;
    server.hold = new Promise((r) => (release = r));
    const tabA = makeEngine({ lock: lock! });
    const tabB = makeEngine({ lock: lock! });
    clock.settle = async () => {
      await tabA.idle();
      await tabB.idle();
    };
    const a = tabA.runOnce();
    await new Promise((r) => setTimeout(r, 20));
    const b = await tabB.runOnce();
    expect(b.outcome).toBe('busy');
    release();
    expect((await a).synced).toBe(3);
    expect(server.requests).toHaveLength(1);
    expect(clock.timers.map((x) => x.at - clock.t)).toEqual([SYNC_LOCK_BUSY_RETRY_MS]);
    await new Promise((r) => setTimeout(r, 0));
    expect(held.size).toBe(0);
  });

  it('the other tab takes over the moment the sending one lets the lock go, not 30 s later', async () => {
    stubWebLocks();
    const lock = webLock()!;
    const tabA = makeEngine({ lock });
    const tabB = makeEngine({ lock });
    clock.settle = async () => {
      await tabA.idle();
      await tabB.idle();
    };
    tabB.start();
    await clock.advance(0); // B's start-up run: nothing to send yet
    const ids = await seed(3);
    let release!: () => void;
    server.hold = new Promise((r) => (release = r));
    // Tab A's request never gets an answer: as if the tab closed half way.
    server.steps = ['network'];
    const a = tabA.runOnce();
    await new Promise((r) => setTimeout(r, 20));
    expect((await tabB.runOnce()).outcome).toBe('busy');
    release();
    expect((await a).outcome).toBe('retry_later');
    await new Promise((r) => setTimeout(r, 20));
    // B runs at once (its timer is due now), well before its 30 s look-again.
    expect(clock.timers.map((x) => x.at - clock.t)).toContain(0);
    await clock.advance(0);
    expect(server.requests).toHaveLength(2);
    const resent = server.requests[1]!.body.records.map((r) => (r as { id: string }).id);
    expect(resent.sort()).toEqual([...ids].sort());
    expect(tabB.getStatus().pending).toBe(0);
    tabB.stop();
  });

  it('without Web Locks stays correct: two tabs may both send, the server answers duplicates', async () => {
    await seed(3);
    const tabA = makeEngine();
    const tabB = makeEngine();
    await Promise.all([tabA.runOnce(), tabB.runOnce()]);
    expect(server.stored.size).toBe(3);
    expect(await outboxStats()).toMatchObject({ pending: 0, rejected: 0 });
  });
});

describe('SyncEngine: triggers', () => {
  it('syncs on start, online (skipping a network backoff), becoming visible, and the service worker’s request', async () => {
    const win = new EventTarget();
    const doc = Object.assign(new EventTarget(), {
      visibilityState: 'hidden' as DocumentVisibilityState,
    });
    let swListener: (() => void) | undefined;
    const requestBackgroundSync = vi.fn(async () => true);
    const engine = makeEngine({
      random: () => 0.9999999,
      env: {
        window: win,
        document: doc,
        onLine: () => false,
        onSyncRequested: (l) => {
          swListener = l;
          return () => (swListener = undefined);
        },
        requestBackgroundSync,
      },
    });
    await seed(1);
    expect(engine.getStatus().online).toBe(false);
    const stop = engine.start();
    await clock.advance(0);
    expect(server.requests).toHaveLength(1);

    // Offline: network errors back off…
    server.steps = ['network', 'network', 'network'];
    await seed(1);
    await engine.syncNow();
    await clock.fireNext();
    await clock.fireNext();
    expect(server.requests).toHaveLength(4);
    expect(requestBackgroundSync).toHaveBeenCalled();
    expect(engine.getStatus().nextAttemptAt! - clock.t).toBeGreaterThan(3_000);
    // …until the network comes back.
    win.dispatchEvent(new Event('online'));
    await clock.advance(0);
    expect(server.requests).toHaveLength(5);
    expect(engine.getStatus()).toMatchObject({ online: true, pending: 0 });

    await seed(1);
    doc.visibilityState = 'visible';
    doc.dispatchEvent(new Event('visibilitychange'));
    await clock.advance(0);
    expect(server.requests).toHaveLength(6);

    await seed(1);
    swListener!();
    await clock.advance(0);
    expect(server.requests).toHaveLength(7);

    win.dispatchEvent(new Event('offline'));
    expect(engine.getStatus().online).toBe(false);
    stop();
    expect(swListener).toBeUndefined();
    await seed(1);
    win.dispatchEvent(new Event('online'));
    await clock.advance(60_000);
    expect(server.requests).toHaveLength(7);
  });

  it('notifies subscribers with a new state object on every change', async () => {
    await seed(1);
    const engine = makeEngine();
    const seen: boolean[] = [];
    const unsubscribe = engine.subscribe(() => seen.push(engine.getStatus().running));
    const before = engine.getStatus();
    await engine.runOnce();
    unsubscribe();
    expect(seen).toContain(true);
    expect(seen.at(-1)).toBe(false);
    expect(engine.getStatus()).not.toBe(before);
  });
});

describe('retention and the erased-storage check', () => {
  const DAY = 24 * 60 * 60 * 1000;

  /** A server that also answers the device config with the last record it acknowledged. */
  function withConfig(last: () => string | null): typeof fetch {
    return (async (input: RequestInfo | URL, init?: RequestInit) => {
      if (!String(input).endsWith('/api/v1/device/config')) return server.fetch(input, init);
      return json(200, {
        deviceId: 'dev-1',
        gate: { id: 'gate-1', name: '1号门', rules: DEFAULT_GATE_RULES },
        serverTime: iso(),
        lastRecordId: last(),
        lastSyncAt: iso(),
      });
    }) as typeof fetch;
  }

  /** Two records of a shift `days` old, acknowledged, with the server's receipt. */
  async function oldReceiptedShift(days: number): Promise<string[]> {
    const start = new Date(clock.t - days * DAY);
    const old = await startShift('gate-1', '王师傅', start);
    const entry = makeEntry({ person: { category: 'visitor', name: '旧访客' } });
    const ctx = { shift: old, deviceId: 'dev-1', rules: DEFAULT_GATE_RULES, now: start };
    const ids = [(await saveEntry(entry, ctx)).id, (await saveEntry(entry, ctx)).id];
    await markSynced(ids);
    await endShift(old.id, new Date(start.getTime() + 3_600_000));
    await saveReceipt(old.id, {
      shiftId: old.id,
      gateId: 'gate-1',
      recordCount: 2,
      byDirection: { in: 2 },
      byCategory: { visitor: 2 },
      fever: 0,
      returnees: 0,
      refused: 0,
      closedAt: start.toISOString(),
    });
    return ids;
  }

  it('a run deletes records acknowledged long ago, and their absence is not taken for a wipe', async () => {
    const ids = await oldReceiptedShift(10);
    await seed(1);

    const first = makeEngine({ fetch: withConfig(() => ids[1]!) });
    expect(await first.runOnce()).toMatchObject({ outcome: 'done', synced: 1 });
    expect(await db.records.bulkGet(ids)).toEqual([undefined, undefined]);

    // The next start: the server's last acknowledged record is one retention deleted.
    const next = makeEngine({ fetch: withConfig(() => ids[1]!) });
    await next.runOnce();
    expect(next.getStatus().erased).toBeUndefined();
    expect(await getSetting('erased')).toBeUndefined();

    // One the phone never deleted is a wipe.
    const wiped = makeEngine({ fetch: withConfig(() => '01890000-0000-7000-8000-00000000ffff') });
    await wiped.runOnce();
    expect(wiped.getStatus().erased?.lastRecordId).toBe('01890000-0000-7000-8000-00000000ffff');
  });

  it('sends again what it holds as sent after the last record the server has (a server restored from a backup)', async () => {
    await seed(4);
    expect(await makeEngine().runOnce()).toMatchObject({ outcome: 'done', synced: 4 });
    const sent = (await db.records.orderBy('id').toArray()).map((r) => r.id);
    // Saved under an earlier enrollment of the phone: acknowledged to that one, not resent.
    const shift = await startShift('gate-1', '王师傅');
    const earlier = await saveEntry(makeEntry(), {
      shift,
      deviceId: 'dev-0',
      rules: DEFAULT_GATE_RULES,
    });
    await markSynced([earlier.id]);
    // The restored server holds the first two only.
    server.stored = new Map([...server.stored].filter(([id]) => id <= sent[1]!));

    const restarted = makeEngine({ fetch: withConfig(() => sent[1]!) });
    expect(await restarted.runOnce()).toMatchObject({ outcome: 'done', synced: 2 });
    expect([...server.stored.keys()].sort()).toEqual(sent);
    expect((await getRecord(earlier.id))?.syncState).toBe('synced');
    expect(await outboxStats()).toEqual({ pending: 0, rejected: 0 });
    expect(restarted.getStatus().erased).toBeUndefined();
  });

  it('applies retention at most once an hour, so saves do not wait behind it after every batch', async () => {
    const engine = makeEngine({ fetch: withConfig(() => null) });
    await engine.runOnce();
    const ids = await oldReceiptedShift(9);
    await engine.runOnce();
    expect(await db.records.bulkGet(ids)).not.toContain(undefined);
    await clock.advance(RETENTION_EVERY_MS);
    await engine.runOnce();
    expect(await db.records.bulkGet(ids)).toEqual([undefined, undefined]);
  });
});
