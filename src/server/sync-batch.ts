/**
 * What a sync batch's records are, one by one (DESIGN.md §5): stored already, invalid, of
 * another gate or phone, sent twice in the batch, or rows for the store. No I/O: the route looks up
 * what is stored and writes the rows; this is the checks of every record in between, the work
 * every batch must do on the server's CPU, kept apart so the bench can time it alone.
 */
import {
  makeGateLogSchema,
  type EntryRuleOptions,
  type GateLog,
  type GateRules,
  type Rejection,
} from '../shared';
import { leanParser, NOT_SURE, type LeanParser } from './lean-parse';
import { canonicalJson, recordJson, storedFormOf, toRecordRow, uuidv7Ms } from './records';
import type { RecordRow } from './store/types';
import { issuesMessage } from './validate';

type GateLogSchema = ReturnType<typeof makeGateLogSchema>;
interface RecordParser {
  schema: GateLogSchema;
  /** Its lean form (lean-parse.ts) for the valid records that are most of a batch. */
  lean: LeanParser | undefined;
}
const parserCache = new Map<string, RecordParser>();

/** The record parsers of the rules a record is judged by; gates share them. */
function parserFor(judgedBy: EntryRuleOptions): RecordParser {
  const key = canonicalJson(judgedBy);
  let parser = parserCache.get(key);
  if (!parser) {
    if (parserCache.size >= 100) parserCache.clear();
    const schema = makeGateLogSchema(judgedBy);
    parser = { schema, lean: leanParser(schema) };
    parserCache.set(key, parser);
  }
  return parser;
}

/**
 * The rules a gate's records are judged by: the most lenient its phones could have held. A phone
 * judges an entry by the rules it last heard of, and one offline when the committee lowered the
 * fever threshold admits, rightly by what it knew, a temperature the new threshold calls a fever.
 * Refused here, that record would never reach the committee; judged by the highest threshold the
 * gate has had, it is stored, and its fever flag (`toRecordRow`) follows the rules of now.
 */
export const judgingRules = (
  rules: GateRules,
  highestFeverThresholdC: number,
): EntryRuleOptions => ({
  feverThresholdC: Math.max(rules.feverThresholdC, highestFeverThresholdC),
});

/**
 * The record as the gate's schema parses it with its canonical JSON, or the issues that make it
 * invalid.
 */
function parseRecord(
  { schema, lean }: RecordParser,
  raw: unknown,
): { record: GateLog; json: string } | { issues: string } {
  if (lean) {
    try {
      const fast = lean(raw);
      // The lean parser's keys are in canonical order already: no layout pass needed.
      if (fast !== NOT_SURE) return { record: fast as GateLog, json: JSON.stringify(fast) };
    } catch {
      // Whatever went wrong there, zod gives the verdict.
    }
  }
  const parsed = schema.safeParse(raw);
  return parsed.success
    ? { record: parsed.data, json: recordJson(parsed.data) }
    : { issues: issuesMessage(parsed.error.issues) };
}

/** A record's id as the answer names it: its own, or its place in the batch when it has none. */
export const idOf = (record: unknown, index: number): string => {
  const id = (record as { id?: unknown } | null)?.id;
  return typeof id === 'string' ? id : `#${index}`;
};

/** A gate a batch may hold records of, with its rules. */
export interface BatchGate {
  gateId: string;
  rules: GateRules;
  /** The highest fever threshold the gate has had (`GateRow.highestFeverThresholdC`). */
  highestFeverThresholdC: number;
}

/** Where a batch's records come from (the sending phone's gate, its fields) and go to. */
export interface BatchSource extends BatchGate {
  /**
   * The sending phone. A record names it as its device, or one of its earlier enrollments
   * (`formerGates`), or another phone enrolled at its gate, for what was made before that one
   * was revoked (`gatePhones`): a phone enrolled again before earlier enrollments were kept
   * still sends what it saved under the old one.
   */
  deviceId: string;
  /**
   * The other phones enrolled at the sender's gate, each with when it was revoked (or null);
   * looked up only when a record names one.
   */
  gatePhones?: ReadonlyMap<string, number | null>;
  /**
   * The gates of the phone's earlier enrollments, by those enrollments' device ids
   * (`DeviceRow.formerDevices`): a record of one of them, for its gate, is judged as that gate's.
   */
  formerGates?: ReadonlyMap<string, BatchGate>;
  receivedAt: number;
  batchId: string;
  /** The stored JSON of the batch's records found stored (by id); empty for a fresh batch. */
  stored: ReadonlyMap<string, string>;
}

export interface SortedBatch {
  /** The valid new records, once each, in the batch's order: for the store. */
  rows: RecordRow[];
  rejected: Rejection[];
  /** Found stored the same: answered without any check. */
  duplicates: string[];
  /** The greatest id among the duplicates, the phone's progress the store keeps. */
  acknowledged: string | undefined;
}

interface JudgedGate {
  gateId: string;
  rules: GateRules;
  parser: RecordParser;
}

const judged = (gate: BatchGate): JudgedGate => ({
  gateId: gate.gateId,
  rules: gate.rules,
  parser: parserFor(judgingRules(gate.rules, gate.highestFeverThresholdC)),
});

/**
 * The gate a record is judged as: an earlier enrollment's, for a record of that enrollment and
 * its gate; else the phone's own (a record of any other gate is then refused as `wrong_gate`).
 */
function gateJudging(
  raw: unknown,
  own: JudgedGate,
  formerGates: ReadonlyMap<string, BatchGate>,
  judgedFormers: Map<string, JudgedGate>,
): JudgedGate {
  const { deviceId, gateId } = (raw ?? {}) as { deviceId?: unknown; gateId?: unknown };
  if (typeof deviceId !== 'string' || gateId === own.gateId) return own;
  const former = formerGates.get(deviceId);
  if (former === undefined || former.gateId !== gateId) return own;
  let gate = judgedFormers.get(deviceId);
  if (gate === undefined) judgedFormers.set(deviceId, (gate = judged(former)));
  return gate;
}

/**
 * An id sent more than once in one batch gets one answer (DESIGN.md §5.3). Copies alike are one
 * record: the first is kept. Copies that differ are refused together as a conflict, none of them
 * stored, so a phone never hears both "accepted" and "rejected" of one id. Only a faulty client
 * sends such a batch: the phone's outbox holds an id once.
 */
function oneCopyEach(records: readonly unknown[]): {
  /** Places in the batch of the copies left out, undefined when every id comes once. */
  dropped: ReadonlySet<number> | undefined;
  conflicts: Rejection[];
} {
  const ids = records.map(idOf);
  if (new Set(ids).size === ids.length) return { dropped: undefined, conflicts: [] };
  const firstOf = new Map<string, { index: number; form: string | null; differs: boolean }>();
  ids.forEach((id, index) => {
    const form = storedFormOf(records[index]);
    const first = firstOf.get(id);
    if (first === undefined) firstOf.set(id, { index, form, differs: false });
    else if (form === null || form !== first.form) first.differs = true;
  });
  const conflicts: Rejection[] = [];
  for (const [id, { differs }] of firstOf) {
    if (differs) {
      conflicts.push({
        id,
        code: 'conflict',
        message: 'id: sent more than once in this batch with different content; none was stored',
      });
    }
  }
  const dropped = new Set<number>();
  ids.forEach((id, index) => {
    const first = firstOf.get(id)!;
    if (first.index !== index || first.differs) dropped.add(index);
  });
  return { dropped, conflicts };
}

/**
 * Whether a record naming another phone of the gate (`gatePhones`: its id → when it was revoked,
 * or null) was made while that phone was enrolled: by its id's time, before the committee
 * revoked it. After that, records in its name come only through the phone enrolled again in
 * its place (`formerGates`), never from another phone of the gate.
 */
function madeWhileEnrolled(
  record: { id: string; deviceId: string },
  gatePhones: ReadonlyMap<string, number | null> | undefined,
): boolean {
  const revokedAt = gatePhones?.get(record.deviceId);
  if (revokedAt === undefined) return false;
  return revokedAt === null || (uuidv7Ms(record.id) ?? Number.POSITIVE_INFINITY) < revokedAt;
}

/** Every record of a batch, sorted into its answer or the store's rows. */
export function sortRecords(records: readonly unknown[], source: BatchSource): SortedBatch {
  const { receivedAt, batchId, stored, formerGates, deviceId, gatePhones } = source;
  const own = judged(source);
  const judgedFormers = new Map<string, JudgedGate>();
  const { dropped, conflicts: rejected } = oneCopyEach(records);
  const rows: RecordRow[] = [];
  // Records found stored the same: answered before any check (they passed theirs when they
  // were stored), and never handed to the store again.
  const duplicates: string[] = [];
  let acknowledged: string | undefined;
  // Places in the batch, not in what is left of it: a record without an id is named by its own.
  records.forEach((raw, index) => {
    if (dropped?.has(index)) return;
    const id = idOf(raw, index);
    const gate =
      formerGates === undefined || formerGates.size === 0
        ? own
        : gateJudging(raw, own, formerGates, judgedFormers);
    const storedJson = stored.get(id);
    if (storedJson !== undefined && storedFormOf(raw) === storedJson) {
      // Stored at another gate, it is that gate's record: the full checks answer it.
      if ((raw as { gateId?: unknown }).gateId === gate.gateId) {
        duplicates.push(id);
        if (acknowledged === undefined || id > acknowledged) acknowledged = id;
        return;
      }
    }
    const parsed = parseRecord(gate.parser, raw);
    if ('issues' in parsed) {
      rejected.push({ id, code: 'invalid', message: parsed.issues });
      return;
    }
    const { record, json } = parsed;
    if (record.gateId !== gate.gateId) {
      rejected.push({ id, code: 'wrong_gate', message: 'gateId: not the gate of this phone' });
      return;
    }
    if (
      record.deviceId !== deviceId &&
      !formerGates?.has(record.deviceId) &&
      !madeWhileEnrolled(record, gatePhones)
    ) {
      rejected.push({ id, code: 'invalid', message: 'deviceId: not a phone of this gate' });
      return;
    }
    rows.push(toRecordRow(record, gate.rules, receivedAt, batchId, json));
  });
  return { rows, rejected, duplicates, acknowledged };
}
