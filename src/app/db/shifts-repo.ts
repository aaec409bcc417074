/**
 * Shifts: who is on duty at which gate, with running counts kept by each save. Ending one is in
 * shift-end-repo.ts.
 */
import { db, type Shift } from './db';
import { getSetting, rememberGuard, setSetting } from './settings-repo';
import { localIsoWithOffset } from './time';
import { uuidv7 } from './uuid';

export const EMPTY_COUNTS = { total: 0, in: 0, out: 0, fever: 0, returnees: 0, refused: 0 };

/** Starts a shift for a guard at a gate and makes it the phone's current shift. */
export async function startShift(gateId: string, guard: string, now = new Date()): Promise<Shift> {
  const shift: Shift = {
    id: uuidv7(now.getTime()),
    gateId,
    guard: guard.trim(),
    startedAt: localIsoWithOffset(now),
    counts: { ...EMPTY_COUNTS },
  };
  await db.transaction('rw', [db.shifts, db.settings], async () => {
    await db.shifts.add(shift);
    await setSetting('currentShiftId', shift.id);
    await rememberGuard(guard);
  });
  return shift;
}

/** The shift in progress on this phone, if any. */
export async function getCurrentShift(): Promise<Shift | undefined> {
  const id = await getSetting('currentShiftId');
  if (!id) return undefined;
  const shift = await db.shifts.get(id);
  return shift && !shift.endedAt ? shift : undefined;
}
