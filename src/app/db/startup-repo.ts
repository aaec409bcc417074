/**
 * The start-up read through Dexie: the same rows as startup-read.ts's, in ONE read-only
 * transaction (the settings and counters at once, then the shift they name). Used when that read
 * cannot answer alone (a new phone, an older database, no device id yet) and whenever the
 * session is read again. Only a phone that has never had an id opens a write for it.
 */
import { db } from './db';
import { getDeviceId, getSettings } from './settings-repo';
import { startupStateOf, type StartupState } from './startup-read';
import { STARTUP_KEYS } from './startup-rows';

export type { StartupState } from './startup-read';

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
      return [settings, current, counters] as const;
    },
  );
  const deviceId = s.enrollment?.deviceId ?? s.deviceId ?? (await getDeviceId());
  return startupStateOf(s, shift, counters, deviceId);
}
