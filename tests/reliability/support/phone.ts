/**
 * A guard's phone in node: the app's own code (Dexie repos, enrollment, the SyncEngine) on
 * fake-indexeddb, talking to a real server over real HTTP with node's fetch.
 *
 * Each phone loads a fresh copy of the app's modules (`vi.resetModules`), so it has its own
 * database singleton, its own UUIDv7 counter and its own engine, as separate phones would: a
 * phone whose clock is a year behind must not inherit another phone's later ids.
 */
import { vi } from 'vitest';
import type * as DbNamespace from '../../../src/app/db';
import type { SyncState } from '../../../src/app/db';
import type * as EnrollNamespace from '../../../src/app/sync/enroll';
import type * as EngineNamespace from '../../../src/app/sync/sync-engine';
import type { RunResult, SyncClock, SyncEngine } from '../../../src/app/sync/sync-engine';
import type { Entry, Person } from '../../../src/shared';
import { makeEntry, makeResidentId } from '../../support/factories';
import { requestText } from '../../support/request-body';

type DbModule = typeof DbNamespace;
type EngineModule = typeof EngineNamespace;
type EnrollModule = typeof EnrollNamespace;

let phones = 0;

/** One request the phone made to /api/v1/sync and what came back (status 0: no answer). */
export interface SyncExchange {
  /** Real ms when the answer (or the failure) arrived. */
  at: number;
  status: number;
  body?: unknown;
  error?: string;
  sentIds: string[];
}

export interface PhoneOptions {
  /** The server URL the phone enrolls with (and syncs to). */
  serverUrl: string;
  adminToken: string;
  /** The gate to enroll at; default: the server's first gate. */
  gateId?: string;
  /** The phone's clock is this far off the real one (ms; positive: ahead). */
  clockOffsetMs?: number;
  /** The engine's jitter source; default Math.random. */
  random?: () => number;
  deviceName?: string;
}

export interface NodePhone {
  deviceId: string;
  token: string;
  gateId: string;
  serverUrl: string;
  engine: SyncEngine;
  clock: SyncClock;
  /** Every exchange with /api/v1/sync, in order. */
  exchanges: SyncExchange[];
  /** The app's db module of this phone (repos, settings). */
  db: DbModule;
  /**
   * Saves `count` entries like the guard's form does (default: a resident walking in, with a
   * unique name, ID number and phone), stamped one minute ago on the phone's clock so the undo
   * window is over. Returns their ids.
   */
  save(
    count: number,
    person?: (i: number) => Partial<Person>,
    entry?: Partial<Entry>,
  ): Promise<string[]>;
  /** Sync state of every record on the phone. */
  states(): Promise<Map<string, SyncState>>;
  pending(): Promise<number>;
  /** Waits until nothing is pending (the engine keeps retrying on its own), or fails. */
  waitUntilAllSent(timeoutMs: number): Promise<void>;
  /** Stops the engine's timers and listeners. */
  stop(): void;
}

/** PII that is easy to grep for: unique per record and per phone. */
export function personFor(phoneNo: number, i: number): Partial<Person> {
  const n = phoneNo * 10_000 + i;
  return {
    category: 'resident',
    name: `欧阳测试${n}`,
    idType: 'cn_resident_id',
    idNumber: makeResidentId('19800101', n % 1000, `3101${String(10 + (n % 80)).padStart(2, '0')}`),
    phone: `139${String(n).padStart(8, '0')}`,
    address: `${(n % 30) + 1}号楼 ${(n % 9) + 1}0${(n % 4) + 1}室`,
  };
}

async function admin<T>(base: string, path: string, token: string, body?: unknown): Promise<T> {
  const res = await fetch(`${base}${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: {
      authorization: `Bearer ${token}`,
      ...(body !== undefined && { 'content-type': 'application/json' }),
    },
    ...(body !== undefined && { body: JSON.stringify(body) }),
  });
  if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

/** Loads a fresh copy of the app's modules, enrolls the phone through the API and starts a shift. */
export async function enrollPhone(opts: PhoneOptions): Promise<NodePhone> {
  const phoneNo = ++phones;
  vi.resetModules();
  const db: DbModule = await import('../../../src/app/db');
  const engineModule: EngineModule = await import('../../../src/app/sync/sync-engine');
  const enrollModule: EnrollModule = await import('../../../src/app/sync/enroll');
  db.setDb(new db.GateLogDb(`reliability-phone-${process.pid}-${phoneNo}-${Date.now()}`));

  const offset = opts.clockOffsetMs ?? 0;
  const clock: SyncClock = {
    now: () => Date.now() + offset,
    setTimeout: (fn, ms) => setTimeout(fn, ms),
    clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout),
  };
  const exchanges: SyncExchange[] = [];
  const recordingFetch: typeof fetch = async (input, init) => {
    const isSync = String(input).endsWith('/api/v1/sync');
    const sentIds = isSync
      ? (JSON.parse(await requestText(init)) as { records: { id: string }[] }).records.map(
          (r) => r.id,
        )
      : [];
    try {
      const res = await fetch(input, init);
      if (isSync) {
        const body: unknown = await res
          .clone()
          .json()
          .catch(() => undefined);
        exchanges.push({ at: Date.now(), status: res.status, body, sentIds });
      }
      return res;
    } catch (e) {
      if (isSync) exchanges.push({ at: Date.now(), status: 0, error: String(e), sentIds });
      throw e;
    }
  };
  const engine = new engineModule.SyncEngine({
    appVersion: 'reliability',
    fetch: recordingFetch,
    clock,
    random: opts.random ?? Math.random,
    lock: engineModule.noLock,
    env: {},
    storageEstimate: async () => ({ usage: 1_000_000, quota: 100_000_000 }),
    persisted: async () => true,
  });
  // enrollDevice wakes the app's engine: make it this one.
  engineModule.setSyncEngine(engine);

  const base = opts.serverUrl.replace(/\/+$/, '');
  const gateId =
    opts.gateId ??
    (await admin<{ gates: { id: string }[] }>(base, '/api/v1/gates', opts.adminToken)).gates[0]!.id;
  const { code } = await admin<{ code: string }>(
    base,
    `/api/v1/gates/${gateId}/enrollment-codes`,
    opts.adminToken,
    {},
  );
  const { enrollment, gate } = await enrollModule.enrollDevice(code, base, {
    fetch: recordingFetch,
    deviceName: opts.deviceName ?? `Reliability phone ${phoneNo}`,
    now: clock.now,
  });
  // Enrollment scheduled a first run: cancel it, so the test decides when the phone starts.
  engine.stop();
  await engine.idle();
  const shift = await db.startShift(gate.id, '张师傅', new Date(clock.now() - 3_600_000));

  let saved = 0;
  const phone: NodePhone = {
    deviceId: enrollment.deviceId,
    token: enrollment.token,
    gateId: gate.id,
    serverUrl: base,
    engine,
    clock,
    exchanges,
    db,
    async save(count, person = (i) => personFor(phoneNo, i), entry = {}) {
      const ids: string[] = [];
      const rules = await db.getGateRules();
      for (let k = 0; k < count; k++) {
        const i = saved++;
        const e = makeEntry(entry);
        const stored = await db.saveEntry(
          { ...e, person: { ...e.person, ...person(i) } as Person },
          { shift, deviceId: enrollment.deviceId, rules, now: new Date(clock.now() - 60_000) },
        );
        ids.push(stored.id);
      }
      return ids;
    },
    async states() {
      const ids = await db.db.records.toCollection().primaryKeys();
      return new Map((await db.getRecords(ids)).map((r) => [r.id, r.syncState]));
    },
    async pending() {
      return (await db.outboxStats()).pending;
    },
    async waitUntilAllSent(timeoutMs) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        await engine.idle();
        if ((await phone.pending()) === 0) return;
        if (Date.now() > deadline) {
          throw new Error(
            `phone still has ${await phone.pending()} pending after ${timeoutMs} ms; ` +
              `last error: ${JSON.stringify(engine.getStatus().lastError)}`,
          );
        }
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    stop() {
      engine.stop();
      engineModule.setSyncEngine(undefined);
    },
  };
  return phone;
}

export type { RunResult };
