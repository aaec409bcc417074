/**
 * The start-up read: what the first screen needs from the database — who this phone is, its gate
 * and rules, the enrollment, the shift in progress, the entry form's draft, and what the sync line
 * shows before the sync engine loads (with the outbox counters) — in ONE read-only transaction:
 * the settings and counters at once, then the shift they name. Only a phone that has never had an
 * id opens a write for it.
 */
import { DEFAULT_GATE_RULES, type GateRules } from '../../shared';
import { db, type Shift } from './db';
import { getDeviceId, getSettings, type SettingValue } from './settings-repo';

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

const STARTUP_KEYS = [
  'enrollment',
  'deviceId',
  'gate',
  'currentShiftId',
  'draft',
  'lastSync',
  'authProblem',
  'erased',
] as const;

export async function readStartup(): Promise<StartupState> {
  const [s, shift, counters] = await db.transaction(
    'r',
    [db.settings, db.shifts, db.counters],
    async () => {
      const [settings, counters] = await Promise.all([
        getSettings(STARTUP_KEYS),
        db.counters.bulkGet(['pending', 'rejected']),
      ]);
      const current = settings.currentShiftId
        ? await db.shifts.get(settings.currentShiftId)
        : undefined;
      return [settings, current && !current.endedAt ? current : undefined, counters] as const;
    },
  );
  return {
    deviceId: s.enrollment?.deviceId ?? s.deviceId ?? (await getDeviceId()),
    gate: s.gate,
    rules: s.gate?.rules ?? DEFAULT_GATE_RULES,
    enrollment: s.enrollment,
    shift,
    draft: s.draft,
    lastSync: s.lastSync,
    authProblem: s.authProblem,
    erased: s.erased,
    pending: counters[0]?.n ?? 0,
    rejected: counters[1]?.n ?? 0,
  };
}
