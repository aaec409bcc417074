/**
 * The start-up read: what the first screen needs from the database — who this phone is, its gate
 * and rules, the enrollment, the shift in progress, the entry form's draft, and what the sync line
 * shows before the sync engine loads — in ONE read-only transaction of two requests (the settings,
 * then the shift they name). Only a phone that has never had an id opens a write for it.
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
  const [s, shift] = await db.transaction('r', [db.settings, db.shifts], async () => {
    const settings = await getSettings(STARTUP_KEYS);
    const current = settings.currentShiftId
      ? await db.shifts.get(settings.currentShiftId)
      : undefined;
    return [settings, current && !current.endedAt ? current : undefined] as const;
  });
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
  };
}
