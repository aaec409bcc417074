/**
 * The end of a shift: ending it on the phone, its record ids for the end-of-shift digest, and the
 * server's receipt. Used by the shift-end screen and sync/shift-close.ts only, so not loaded with
 * the entry form.
 */
import type { ShiftReceipt } from '../../shared';
import { UNDO_WINDOW_MS } from './constants';
import { db, type Shift, type StoredRecord } from './db';
import { deleteSetting, draftEnd, getSetting } from './settings-repo';
import { localIsoWithOffset } from './time';

export async function getShift(id: string): Promise<Shift | undefined> {
  return db.shifts.get(id);
}

/**
 * Ends the shift on the phone (its records stay and keep syncing). Corrections kept half-typed
 * stay, with the shift they were begun in (db/draft-copy.ts). Its records' undo windows close
 * with it, a record held for an open Undo question too (holdForUndo): an ended shift takes no
 * more changes, and the end of shift sends every record (the question closes, saying it is too
 * late; the confirmation named the entry).
 */
export async function endShift(id: string, now = new Date()): Promise<void> {
  await db.transaction('rw', [db.shifts, db.settings, db.outbox], async () => {
    await db.shifts.update(id, { endedAt: localIsoWithOffset(now) });
    const windowGone = now.getTime() - UNDO_WINDOW_MS;
    await db.outbox
      .where('savedAt')
      .above(windowGone)
      .filter((r) => r.shiftId === id)
      .modify({ savedAt: windowGone });
    if ((await getSetting('currentShiftId')) === id) await deleteSetting('currentShiftId');
    // A half-filled entry is the ending guard's: the next shift starts with an empty form (the
    // confirmation said so, naming it).
    const marker = draftEnd();
    if (marker) await db.settings.put(marker);
    else await deleteSetting('draft');
  });
}

/**
 * The shift's records held back for an open Undo question (holdForUndo: their undo window is
 * counted from later than now), oldest first, each with `savedAt` the time its window counts
 * from. Ending the shift closes their Undo and sends them.
 */
export async function heldForUndo(shiftId: string, now = Date.now()): Promise<StoredRecord[]> {
  return db.transaction('r', [db.outbox, db.records], async () => {
    const held = (await db.outbox.where('savedAt').above(now).toArray()).filter(
      (e) => e.shiftId === shiftId,
    );
    const rows = await db.records.bulkGet(held.map((e) => e.id));
    return rows.flatMap((r, i) => (r ? [{ ...r, savedAt: held[i]!.savedAt }] : []));
  });
}

/**
 * Notes whether the server holds the shift as another phone's (no receipt is to come here); it
 * may stop doing so (the phone enrolled again with its former token). Writes only a change.
 */
export async function setShiftOfAnotherPhone(id: string, another: boolean): Promise<void> {
  await db.transaction('rw', db.shifts, async () => {
    const shift = await db.shifts.get(id);
    if (!shift || (shift.anotherPhone === true) === another) return;
    const { anotherPhone: _, ...rest } = shift;
    await db.shifts.put(another ? { ...rest, anotherPhone: true } : rest);
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
  return db.transaction('r', [db.records, db.rejections], async () => {
    const [ids, rejected] = await Promise.all([
      recordsOf(shiftId).primaryKeys(),
      db.rejections.toCollection().primaryKeys(),
    ]);
    const refused = new Set(rejected);
    return ids.filter((id) => !refused.has(id));
  });
}

/** The records saved in a shift, in id order. */
const recordsOf = (shiftId: string) =>
  db.records.where('[shiftId+id]').between([shiftId, ''], [shiftId, '\uffff']);

/**
 * Whether the shift holds any record, a correction of an earlier shift's entry too (counted in
 * that shift, not in this one's counts): its receipt covers every record saved in it.
 */
export async function shiftHasRecords(shiftId: string): Promise<boolean> {
  return (await recordsOf(shiftId).first()) !== undefined;
}

/** The most recently started shift on this phone (in progress or ended). */
export async function getLatestShift(): Promise<Shift | undefined> {
  return db.shifts.orderBy('startedAt').last();
}

/** The phone's most recent ended shifts, newest first. */
export async function listEndedShifts(limit: number): Promise<Shift[]> {
  return db.shifts
    .orderBy('startedAt')
    .reverse()
    .filter((s) => s.endedAt !== undefined)
    .limit(limit)
    .toArray();
}
