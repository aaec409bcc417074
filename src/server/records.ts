/**
 * What the server does with a GateLog record besides storing it: the canonical form that
 * duplicates are compared by, the row the store writes, and the masked form admins list.
 */
import type { GateLog, GateRules, LogItem } from '../shared';
import { gateLogSchema, isFever } from '../shared';
import type { LogRow, RecordRow } from './store/types';

const byCodeUnits = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** JSON with object keys sorted at every level, so equal content gives equal text. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v !== null && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => byCodeUnits(a, b)))
      : v,
  );
}

/** The fields of one object level of the record, in canonical (sorted) order. */
interface Layout {
  fields: { key: string; prefix: string; nested: Layout | null }[];
}

function layoutOf(shape: Record<string, unknown>): Layout {
  const keys = Object.keys(shape).sort(byCodeUnits);
  return {
    fields: keys.map((key) => {
      const field = shape[key] as { shape?: Record<string, unknown> };
      return {
        key,
        prefix: JSON.stringify(key) + ':',
        nested: field.shape ? layoutOf(field.shape) : null,
      };
    }),
  };
}

const RECORD_LAYOUT = layoutOf(gateLogSchema.shape);

/**
 * One object level written in the layout's order, or null when it holds anything the layout
 * does not foresee (another key, an array, an object where a scalar belongs): then the caller
 * falls back to `canonicalJson`.
 */
function layoutJson(o: object, layout: Layout): string | null {
  if (Object.getPrototypeOf(o) !== Object.prototype) return null;
  const values = o as Record<string, unknown>;
  let out = '';
  let own = 0;
  for (const { key, prefix, nested } of layout.fields) {
    const v = values[key];
    let text: string | null;
    if (v === undefined) {
      // Present but undefined: JSON leaves it out, but it is no unknown key.
      if (Object.hasOwn(values, key)) own++;
      continue;
    } else if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') {
      text = JSON.stringify(v);
    } else if (v === null) {
      text = 'null';
    } else if (typeof v === 'object' && nested && !Array.isArray(v)) {
      text = layoutJson(v, nested);
      if (text === null) return null;
    } else {
      return null;
    }
    out += (out === '' ? prefix : ',' + prefix) + text;
    own++;
  }
  // A key outside the layout: let the generic form place it.
  if (own !== Object.keys(values).length) return null;
  return '{' + out + '}';
}

/**
 * `canonicalJson` of a record, byte for byte, written in the schema's key order instead of
 * rebuilding and sorting every object (the costliest step of a sync batch before this).
 */
export function recordJson(record: GateLog): string {
  return layoutJson(record, RECORD_LAYOUT) ?? canonicalJson(record);
}

/**
 * What the store would hold of `raw` if it were stored as it is: its canonical JSON when it is
 * an object of the record's layout, else null. Computed before any check, so only for comparing
 * with a stored record's JSON (equal text is the same record, checked when it was stored).
 */
export function storedFormOf(raw: unknown): string | null {
  return typeof raw === 'object' && raw !== null ? layoutJson(raw, RECORD_LAYOUT) : null;
}

/** The store row of a record that passed the gate's schema. */
export function toRecordRow(
  r: GateLog,
  rules: GateRules,
  receivedAt: number,
  batchId: string,
  json: string,
): RecordRow {
  return {
    id: r.id,
    schemaVersion: r.schemaVersion,
    deviceId: r.deviceId,
    gateId: r.gateId,
    shiftId: r.shiftId,
    guard: r.guard,
    occurredAt: r.occurredAt,
    occurredMs: Date.parse(r.occurredAt),
    direction: r.direction,
    category: r.person.category,
    name: r.person.name,
    idType: r.person.idType ?? null,
    idNumber: r.person.idNumber ?? null,
    phone: r.person.phone ?? null,
    address: r.person.address ?? null,
    passId: r.person.passId ?? null,
    temperatureC: r.temperatureC ?? null,
    returneeStatus: r.returnee.status,
    returneeOrigin: r.returnee.origin ?? null,
    arrivedOn: r.returnee.arrivedOn ?? null,
    quarantineUntil: r.returnee.quarantineUntil ?? null,
    registered: r.returnee.registered ?? null,
    decision: r.decision,
    note: r.note ?? null,
    amends: r.amends ?? null,
    isFever: isFever(r.temperatureC, rules.feverThresholdC),
    receivedAt,
    batchId,
    json,
  };
}

/** Keeps the first 3 and last 4 characters of a long ID number (fewer of short ones). */
export function maskIdNumber(id: string): string {
  const [head, tail] = id.length >= 10 ? [3, 4] : id.length >= 6 ? [1, 2] : [0, 0];
  return id.slice(0, head) + '*'.repeat(id.length - head - tail) + id.slice(id.length - tail);
}

/** Beyond this, a phone's clock is called wrong and its records are flagged. */
export const CLOCK_SKEW_THRESHOLD_MS = 10 * 60_000;

/** The Unix ms of a UUIDv7 (its first 48 bits), or null for any other string. */
export function uuidv7Ms(id: string): number | null {
  const m = /^([0-9a-f]{8})-([0-9a-f]{4})-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i.exec(id);
  return m ? parseInt(m[1]! + m[2]!, 16) : null;
}

/**
 * How far the sending phone's clock was off the server's, in ms (positive: ahead), or null when
 * the server cannot tell. The phone makes each batch id as a UUIDv7 from its own clock as it
 * sends the batch, so batch time − `receivedAt` is its offset (less the network's delay). For a
 * batch id without a time, only a record from the future gives the clock away.
 */
export function clockSkewMs(
  row: Pick<RecordRow, 'batchId' | 'occurredMs' | 'receivedAt'>,
): number | null {
  const sentMs = uuidv7Ms(row.batchId);
  if (sentMs !== null) return sentMs - row.receivedAt;
  const ahead = row.occurredMs - row.receivedAt;
  return ahead > 0 ? ahead : null;
}

/**
 * A stored record as the admin list shows it: ID number masked, `receivedAt` added, and the
 * sending phone's clock skew (`clockSkewed` beyond CLOCK_SKEW_THRESHOLD_MS, or whenever the
 * record claims to have happened after it arrived).
 */
export function toLogItem(row: LogRow): LogItem {
  const record = JSON.parse(row.json) as GateLog;
  const { idNumber } = record.person;
  const skew = clockSkewMs(row);
  return {
    ...record,
    person: {
      ...record.person,
      ...(idNumber !== undefined && { idNumber: maskIdNumber(idNumber) }),
    },
    receivedAt: new Date(row.receivedAt).toISOString(),
    isFever: row.isFever,
    correctedBy: row.correctedBy,
    clockSkewMs: skew,
    clockSkewed:
      (skew !== null && Math.abs(skew) > CLOCK_SKEW_THRESHOLD_MS) ||
      row.occurredMs - row.receivedAt > CLOCK_SKEW_THRESHOLD_MS,
  };
}
