/**
 * The start-up read without Dexie: what the first screen needs from the database (who this phone
 * is, its gate and rules, the enrollment, the shift in progress, the entry form's draft, and what
 * the sync line shows), from rows read with IndexedDB's own API (startup-rows.ts). The first
 * screen's scripts then hold no database library: Dexie loads just after the first paint
 * (load.ts), long before the guard can tap Save.
 *
 * The rows are the ones Dexie wrote (startup-repo.ts reads the same through Dexie, and both build
 * the state with `startupStateOf`; tests/unit/startup-read.test.ts checks they agree). It answers
 * undefined — and the caller reads through Dexie — whenever it cannot answer alone: no rows (see
 * startup-rows.ts) or no device id yet (making one is a write).
 */
import { DEFAULT_GATE_RULES, type GateRules } from '../../shared';
import type { Counter, Shift } from './db';
import { parseSetting, type SettingValue } from './settings-schema';
import { STARTUP_KEYS, readStartupRows, type StartupRows } from './startup-rows';

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

/**
 * The start-up state from the rows read (`rows`, else a read of the database `name` begun now),
 * or undefined when Dexie must read it (no rows, or no device id yet: making one is a write).
 */
export async function readStartupRaw(
  name?: string,
  rows: Promise<StartupRows | undefined> = readStartupRows(name),
): Promise<StartupState | undefined> {
  const found = await rows;
  if (!found) return undefined;
  const s: Record<string, unknown> = {};
  STARTUP_KEYS.forEach((key, i) => {
    const value = parseSetting(key, found.settings[i] as { value: unknown } | undefined);
    if (value !== undefined) s[key] = value;
  });
  const settings = s as StartupSettings;
  const deviceId = settings.enrollment?.deviceId ?? settings.deviceId;
  if (deviceId === undefined) return undefined;
  return startupStateOf(
    settings,
    found.shift as Shift | undefined,
    found.counters as (Counter | undefined)[],
    deviceId,
  );
}
