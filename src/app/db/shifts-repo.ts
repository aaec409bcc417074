/** Shifts: who is on duty at which gate, with running counts kept by each save. */
import type { ShiftReceipt } from '../../shared';
import { db, type Shift } from './db';
import { getSetting, rememberGuard, setSetting, deleteSetting } from './settings-repo';
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

export async function getShift(id: string): Promise<Shift | undefined> {
  return db.shifts.get(id);
}

/** Ends the shift on the phone (its records stay and keep syncing). */
export async function endShift(id: string, now = new Date()): Promise<void> {
  await db.transaction('rw', [db.shifts, db.settings], async () => {
    await db.shifts.update(id, { endedAt: localIsoWithOffset(now) });
    if ((await getSetting('currentShiftId')) === id) await deleteSetting('currentShiftId');
  });
}

/** Keeps the server's receipt with the shift. */
export async function saveReceipt(id: string, receipt: ShiftReceipt): Promise<void> {
  await db.shifts.update(id, { receipt });
}

/**
 * The ids of a shift's records that the server should hold, for the end-of-shift digest.
 * Records the server rejected are left out: it never stores them, and the receipt names them.
 */
export async function shiftRecordIds(shiftId: string): Promise<string[]> {
  const rows = await db.records
    .where('[shiftId+id]')
    .between([shiftId, ''], [shiftId, '\uffff'])
    .toArray();
  return rows.filter((r) => r.syncState !== 'rejected').map((r) => r.id);
}

/** The most recently started shift on this phone (in progress or ended). */
export async function getLatestShift(): Promise<Shift | undefined> {
  return db.shifts.orderBy('startedAt').last();
}
