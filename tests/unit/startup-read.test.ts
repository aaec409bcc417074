/**
 * The start-up read without Dexie (db/startup-read.ts) reads what Dexie wrote exactly as the
 * Dexie read does, and steps aside (undefined) where only Dexie can answer.
 */
import 'fake-indexeddb/auto';
import { beforeEach, describe, expect, it } from 'vitest';
import {
  GateLogDb,
  endShift,
  readStartup,
  saveDraft,
  saveEntry,
  setDb,
  setSetting,
  startShift,
} from '../../src/app/db';
import { DB_VERSION } from '../../src/app/db/constants';
import { readStartupRaw } from '../../src/app/db/startup-read';
import { DEFAULT_GATE_RULES } from '../../src/shared';
import { makeEntry } from '../support/factories';

let n = 0;
let db: GateLogDb;

beforeEach(() => {
  db = new GateLogDb(`test-startup-read-${n++}`);
  setDb(db);
});

async function databaseNames(): Promise<string[]> {
  return (await indexedDB.databases()).map((d) => d.name ?? '');
}

describe('the start-up read without Dexie', () => {
  it('gives what the Dexie read gives: gate, enrollment, shift, draft, sync line, counters', async () => {
    const rules = { ...DEFAULT_GATE_RULES, feverThresholdC: 37.5 };
    await setSetting('gate', { id: 'gate-1', name: 'North gate', rules });
    await setSetting('enrollment', {
      serverUrl: 'https://example.org',
      deviceId: 'dev-9',
      token: 't',
      enrolledAt: '2020-02-03T08:00:00.000+08:00',
    });
    const shift = await startShift('gate-1', 'Wang');
    await saveDraft({ person: { name: '孙八' } });
    await saveEntry(makeEntry(), { shift, deviceId: 'dev-9', rules });
    await saveEntry(makeEntry(), { shift, deviceId: 'dev-9', rules });
    await setSetting('lastSync', { at: '2020-02-03T09:00:00.000+08:00' });
    await setSetting('authProblem', { status: 401, at: '2020-02-03T09:00:00.000+08:00' });
    await setSetting('erased', {
      lastRecordId: '0190f1d2-0000-7000-8000-000000000001',
      detectedAt: '2020-02-03T09:01:00.000+08:00',
    });

    const raw = await readStartupRaw(db.name);
    expect(raw).toEqual(await readStartup());
    expect(raw).toMatchObject({
      deviceId: 'dev-9',
      rules,
      shift: { id: shift.id, guard: 'Wang' },
      draft: { person: { name: '孙八' } },
      pending: 2,
      rejected: 0,
    });
  });

  it('reads a local phone with no shift the same way, and leaves out an ended shift', async () => {
    await readStartup(); // gives the phone its id
    expect(await readStartupRaw(db.name)).toEqual(await readStartup());
    const shift = await startShift('gate-1', 'Wang');
    await endShift(shift.id);
    const raw = await readStartupRaw(db.name);
    expect(raw).toEqual(await readStartup());
    expect(raw?.shift).toBeUndefined();
  });

  it('ignores a stored setting it cannot read, as the Dexie read does', async () => {
    await readStartup();
    await db.settings.put({ key: 'gate', value: { id: 7 } });
    await db.settings.put({ key: 'draft', value: 'not a draft' });
    const raw = await readStartupRaw(db.name);
    expect(raw).toEqual(await readStartup());
    expect(raw).toMatchObject({ gate: undefined, rules: DEFAULT_GATE_RULES, draft: undefined });
  });

  it('steps aside on a new phone, and creates no database doing so', async () => {
    const name = `never-opened-${n++}`;
    expect(await readStartupRaw(name)).toBeUndefined();
    expect(await databaseNames()).not.toContain(name);
  });

  it('steps aside when the phone has no id yet (making one is a write)', async () => {
    await db.open();
    expect(await readStartupRaw(db.name)).toBeUndefined();
  });

  it('knows the version db.ts declares last', () => {
    expect(db.verno).toBe(DB_VERSION);
  });

  it('steps aside on a database of an older version (Dexie upgrades it first) or without its stores', async () => {
    /** A database at IndexedDB version `version` with these stores, holding a phone's id. */
    const make = (version: number, stores: string[]) => {
      const name = `other-${n++}`;
      return new Promise<string>((resolve, reject) => {
        const open = indexedDB.open(name, version);
        open.onupgradeneeded = () => {
          for (const s of stores) open.result.createObjectStore(s, { keyPath: 'key' });
          if (stores.includes('settings')) {
            open.transaction!.objectStore('settings').put({ key: 'deviceId', value: 'local-x' });
          }
        };
        open.onsuccess = () => {
          open.result.close();
          resolve(name);
        };
        open.onerror = () => reject(open.error);
      });
    };
    const stores = ['settings', 'shifts', 'counters'];
    expect(await readStartupRaw(await make(DB_VERSION * 10, stores))).toMatchObject({
      deviceId: 'local-x',
    });
    expect(await readStartupRaw(await make(10, stores))).toBeUndefined();
    expect(await readStartupRaw(await make(DB_VERSION * 10, ['settings']))).toBeUndefined();
  });
});
