/**
 * The start-up read without Dexie: what the first screen needs from the database (who this phone
 * is, its gate and rules, the enrollment, the shift in progress, the entry form's draft, and what
 * the sync line shows) read with IndexedDB's own API, in one read-only transaction. The first
 * screen's scripts then hold no database library: Dexie loads just after the first paint
 * (load.ts), long before the guard can tap Save.
 *
 * It reads the rows Dexie wrote (startup-repo.ts reads the same through Dexie, and both build the
 * state with `startupStateOf`; tests/unit/startup-read.test.ts checks they agree). It answers
 * undefined — and the caller reads through Dexie — whenever it cannot answer alone: no database
 * yet (opening must not create one; Dexie does, with its stores), a database of another version
 * (an older one is upgraded by Dexie before anything reads it), no device id yet (making one is a
 * write), or any error.
 */
import { DEFAULT_GATE_RULES, type GateRules } from '../../shared';
import { DB_NAME, DB_VERSION } from './constants';
import type { Counter, Shift } from './db';
import { parseSetting, type SettingKey, type SettingValue } from './settings-schema';

export interface StartupState {
  deviceId: string;
  gate: SettingValue<'gate'> | undefined;
  rules: GateRules;
  enrollment: SettingValue<'enrollment'> | undefined;
  shift: Shift | undefined;
  draft: SettingValue<'draft'> | undefined;
  lastSync: SettingValue<'lastSync'> | undefined;
  authProblem: SettingValue<'authProblem'> | undefined;
  erased: SettingValue<'erased'> | undefined;
  /** The outbox counters (records not sent yet, records the server refused). */
  pending: number;
  rejected: number;
}

export const STARTUP_KEYS = [
  'enrollment',
  'deviceId',
  'gate',
  'currentShiftId',
  'draft',
  'lastSync',
  'authProblem',
  'erased',
] as const satisfies readonly SettingKey[];

export type StartupSettings = { [K in (typeof STARTUP_KEYS)[number]]?: SettingValue<K> };

/** The state from the rows read: the settings, the shift they name, the two outbox counters. */
export function startupStateOf(
  s: StartupSettings,
  shift: Shift | undefined,
  counters: readonly (Counter | undefined)[],
  deviceId: string,
): StartupState {
  return {
    deviceId,
    gate: s.gate,
    rules: s.gate?.rules ?? DEFAULT_GATE_RULES,
    enrollment: s.enrollment,
    shift: shift && !shift.endedAt ? shift : undefined,
    draft: s.draft,
    lastSync: s.lastSync,
    authProblem: s.authProblem,
    erased: s.erased,
    pending: counters[0]?.n ?? 0,
    rejected: counters[1]?.n ?? 0,
  };
}

const STORES = ['settings', 'shifts', 'counters'];

/** The start-up state from the database `name`, or undefined when Dexie must read it. */
export function readStartupRaw(name = DB_NAME): Promise<StartupState | undefined> {
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
      const done = (state: StartupState | undefined) => {
        idb.close();
        resolve(state);
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
          const id = parseSetting('currentShiftId', (e.target as IDBRequest).result);
          if (id) shift = tx.objectStore('shifts').get(id);
        };
        tx.onabort = () => done(undefined);
        tx.oncomplete = () => {
          const s: Record<string, unknown> = {};
          STARTUP_KEYS.forEach((key, i) => {
            const value = parseSetting(key, rows[i]!.result);
            if (value !== undefined) s[key] = value;
          });
          const found = s as StartupSettings;
          const deviceId = found.enrollment?.deviceId ?? found.deviceId;
          done(
            deviceId === undefined
              ? undefined
              : startupStateOf(
                  found,
                  shift?.result as Shift | undefined,
                  counters.map((c) => c.result as Counter | undefined),
                  deviceId,
                ),
          );
        };
      } catch {
        done(undefined);
      }
    };
  });
}
