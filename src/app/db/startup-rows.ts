/**
 * The rows the first screen needs, read with IndexedDB's own API in one read-only transaction:
 * the start-up settings, the outbox counters and the shift in progress. Nothing is imported
 * here, so `src/app/early.ts` can start this read before the app's scripts are evaluated; the
 * rows are parsed afterwards (startup-read.ts).
 *
 * Undefined — and the caller reads through Dexie — when this cannot answer: no database yet
 * (opening must not create one; Dexie does, with its stores), a database of another version (an
 * older one is upgraded by Dexie before anything reads it), a store missing, or any error.
 */
import { DB_NAME, DB_VERSION } from './constants';

export const STARTUP_KEYS = [
  'enrollment',
  'deviceId',
  'gate',
  'currentShiftId',
  'draft',
  'lastSync',
  'authProblem',
  'erased',
] as const;

export interface StartupRows {
  /** The stored setting rows (`{ key, value }`), in STARTUP_KEYS order; undefined when absent. */
  settings: unknown[];
  /** The `pending` and `rejected` counter rows. */
  counters: unknown[];
  /** The row of the shift `currentShiftId` names. */
  shift: unknown;
}

const STORES = ['settings', 'shifts', 'counters'];

export function readStartupRows(name = DB_NAME): Promise<StartupRows | undefined> {
  return new Promise((resolve) => {
    let request: IDBOpenDBRequest;
    try {
      request = indexedDB.open(name);
    } catch {
      resolve(undefined);
      return;
    }
    // A new phone: no database to read, and opening must not create an empty one.
    request.onupgradeneeded = () => request.transaction?.abort();
    request.onerror = () => resolve(undefined);
    request.onblocked = () => resolve(undefined);
    request.onsuccess = () => {
      const idb = request.result;
      // Never hold up Dexie's upgrade of a database written by an older version.
      idb.onversionchange = () => idb.close();
      const done = (rows: StartupRows | undefined) => {
        idb.close();
        resolve(rows);
      };
      if (
        idb.version !== DB_VERSION * 10 ||
        !STORES.every((store) => idb.objectStoreNames.contains(store))
      ) {
        done(undefined);
        return;
      }
      try {
        const tx = idb.transaction(STORES, 'readonly');
        const settings = tx.objectStore('settings');
        const rows = STARTUP_KEYS.map((key) => settings.get(key));
        const counters = ['pending', 'rejected'].map((key) => tx.objectStore('counters').get(key));
        let shift: IDBRequest | undefined;
        rows[STARTUP_KEYS.indexOf('currentShiftId')]!.onsuccess = (e) => {
          const id = ((e.target as IDBRequest).result as { value?: unknown } | undefined)?.value;
          if (typeof id === 'string') shift = tx.objectStore('shifts').get(id);
        };
        tx.onabort = () => done(undefined);
        tx.oncomplete = () =>
          done({
            settings: rows.map((r) => r.result as unknown),
            counters: counters.map((c) => c.result as unknown),
            shift: shift?.result as unknown,
          });
      } catch {
        done(undefined);
      }
    };
  });
}

/** The read early.ts began, until the app takes it. */
let early: Promise<StartupRows | undefined> | undefined;

/** Begins the read at once, for `takeEarlyStartupRows` (src/app/early.ts). */
export function beginEarlyStartupRead(): void {
  early = readStartupRows();
}

/** The read early.ts began, once; undefined when there was none. */
export function takeEarlyStartupRows(): Promise<StartupRows | undefined> | undefined {
  const rows = early;
  early = undefined;
  return rows;
}
