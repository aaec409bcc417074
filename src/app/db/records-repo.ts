/**
 * Saving entries and the outbox. A save writes the record, its outbox row, the
 * shift's counts, the pending counter and the quick-lookup index in ONE transaction: after
 * "saved" is shown, the record is on disk whatever happens next. Records leave the phone only
 * through the sync runner, and only after their undo window.
 */
import {
  isFever,
  localDateOf,
  makeGateLogSchema,
  type Entry,
  type GateLog,
  type GateRules,
} from '../../shared';
import { db, type OutboxEntry, type Shift, type ShiftCounts, type StoredRecord } from './db';
import { localIsoWithOffset } from './time';
import { uuidv7 } from './uuid';
import { knownPersonRow, personKey } from './people-repo';
import { bumpCounter } from './outbox-repo';
import { UNDO_WINDOW_MS } from './constants';
import { runSaveTransaction } from './save-transaction';
import type { DraftStamp } from './draft-copy';
import { saveDraft } from './settings-repo';

export interface SaveContext {
  shift: Shift;
  deviceId: string;
  rules: GateRules;
  now?: Date;
  /**
   * When the passage happened, if not now: a correction keeps its original's, so the person is
   * counted on the day they passed (a fever at 23:50 corrected at 00:10 stays on its day).
   */
  occurredAt?: string;
  /** The checkpoint form's own save: its kept draft goes in the same transaction. */
  clearDraft?: boolean;
}

let cachedSchema: { rules: string; schema: ReturnType<typeof makeGateLogSchema> } | undefined;

/** The record schema for a gate's rules, built once per rules (building it costs more than a parse). */
function recordSchemaFor(rules: GateRules) {
  const key = JSON.stringify(rules);
  if (cachedSchema?.rules !== key) cachedSchema = { rules: key, schema: makeGateLogSchema(rules) };
  return cachedSchema.schema;
}

/** The record's share of a shift's counts (+1 or -1 of each flag that applies). */
function countDelta(r: GateLog, feverThresholdC: number, sign: 1 | -1): Partial<ShiftCounts> {
  return {
    total: sign,
    in: r.direction === 'in' ? sign : 0,
    out: r.direction === 'out' ? sign : 0,
    fever: isFever(r.temperatureC, feverThresholdC) ? sign : 0,
    returnees: r.returnee.status !== 'none' ? sign : 0,
    refused: r.decision === 'refused' ? sign : 0,
  };
}

function addCounts(c: ShiftCounts, d: Partial<ShiftCounts>): ShiftCounts {
  const out = { ...c };
  for (const k of Object.keys(d) as (keyof ShiftCounts)[])
    out[k] = Math.max(0, out[k] + (d[k] ?? 0));
  return out;
}

/**
 * A shift's counts with `record` in: it counts the people who passed. A correction replaces the
 * original in the counts of the original's shift (both stay logged); it is no passage of the
 * shift it was made in when that is a later one (an entry of yesterday corrected today).
 */
function countsWith(
  shift: Shift,
  record: GateLog,
  original: StoredRecord | undefined,
  threshold: number,
): ShiftCounts {
  const counts = addCounts(shift.counts, countDelta(record, threshold, 1));
  return original ? addCounts(counts, countDelta(original.record, threshold, -1)) : counts;
}

/**
 * The shift was ended meanwhile (in another tab of the app): nothing is saved, as its receipt
 * may be given already and would no longer cover its records.
 */
export class ShiftEndedError extends Error {
  override name = 'ShiftEndedError';
  constructor() {
    super('This shift has ended');
  }
}

/**
 * Turns the guard's entry into a GateLog v1 record and stores it. Throws a ZodError when the
 * record does not pass the schema (the form shows it), a QuotaExceededError when the phone is
 * full (nothing already saved is touched), or a ShiftEndedError when the shift ended meanwhile.
 */
export async function saveEntry(entry: Entry, ctx: SaveContext): Promise<StoredRecord> {
  const now = ctx.now ?? new Date();
  const record = recordSchemaFor(ctx.rules).parse({
    id: uuidv7(now.getTime()),
    schemaVersion: 1,
    deviceId: ctx.deviceId,
    gateId: ctx.shift.gateId,
    shiftId: ctx.shift.id,
    guard: ctx.shift.guard,
    occurredAt: ctx.occurredAt ?? localIsoWithOffset(now),
    ...entry,
  });
  const stored: StoredRecord = {
    id: record.id,
    record,
    shiftId: record.shiftId,
    gateId: record.gateId,
    day: localDateOf(record.occurredAt),
    savedAt: now.getTime(),
    fever: isFever(record.temperatureC, ctx.rules.feverThresholdC),
  };
  const threshold = ctx.rules.feverThresholdC;
  const at = now.getTime();
  await runSaveTransaction({
    stored,
    personKey: personKey(record.person),
    clearDraft: ctx.clearDraft ?? false,
    write: ({ pending, shift, original, countedIn, originalShift, known }) => {
      if (shift?.endedAt !== undefined) throw new ShiftEndedError();
      // An entry of another shift is counted there, and so is what corrects it.
      const elsewhere = countedIn !== undefined && countedIn !== record.shiftId;
      const withRecord = (s: Shift): Shift => ({
        ...s,
        counts: countsWith(s, record, original, threshold),
      });
      return {
        pending: { key: 'pending', n: (pending?.n ?? 0) + 1 },
        shift: elsewhere ? shift : shift && withRecord(shift),
        originalShift: originalShift && withRecord(originalShift),
        person: knownPersonRow(record, at, known, original?.record),
      };
    },
  });
  return stored;
}

/**
 * Keeps a record saved moments ago undoable, and so held back from the outbox, until `until`:
 * while the guard is asked whether its Undo may replace what they typed. `until` of now lets it
 * go. False (nothing changed) once it is not undoable any more: sent, or its window over.
 */
export async function holdForUndo(id: string, until: number, now = Date.now()): Promise<boolean> {
  return db.transaction('rw', db.outbox, async () => {
    if (!undoable(await db.outbox.get(id), now)) return false;
    await db.outbox.update(id, { savedAt: until - UNDO_WINDOW_MS });
    return true;
  });
}

/** Whether a record's outbox row (none once sent) still keeps it in its undo window. */
const undoable = (entry: OutboxEntry | undefined, now: number): entry is OutboxEntry =>
  entry !== undefined && now - entry.savedAt < UNDO_WINDOW_MS;

/**
 * Takes back a record saved moments ago. Only a record still inside its undo window (so the
 * outbox has not sent it) is removed; anything older needs an amending record. `draft` (the
 * entry form's values for the record, to correct and save again) is kept as the form's draft in
 * the same transaction: whatever happens after, the entry is either still saved or in the draft.
 */
export async function undoEntry(
  id: string,
  rules: GateRules,
  now = Date.now(),
  draft?: { values: Record<string, unknown>; stamp: DraftStamp | undefined },
): Promise<boolean> {
  const tables = [db.records, db.outbox, db.shifts, db.counters, db.settings];
  return db.transaction('rw', tables, async () => {
    const [entry, stored] = await Promise.all([db.outbox.get(id), db.records.get(id)]);
    if (!undoable(entry, now) || !stored) return false;
    await Promise.all([db.records.delete(id), db.outbox.delete(id)]);
    if (draft) await saveDraft(draft.values, draft.stamp);
    await bumpCounter('pending', -1);
    const shift = await db.shifts.get(stored.shiftId);
    if (shift) {
      await db.shifts.put({
        ...shift,
        counts: addCounts(shift.counts, countDelta(stored.record, rules.feverThresholdC, -1)),
      });
    }
    return true;
  });
}
