/**
 * What the server does with a GateLog record besides storing it: the canonical form that
 * duplicates are compared by, the row the store writes, and the masked form admins list.
 */
import type { GateLog, GateRules, LogItem } from '../shared';
import { isFever } from '../shared';
import type { RecordRow } from './store/types';

/** JSON with object keys sorted at every level, so equal content gives equal text. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v !== null && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );
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

/** A stored record as the admin list shows it: ID number masked, `receivedAt` added. */
export function toLogItem(row: RecordRow): LogItem {
  const record = JSON.parse(row.json) as GateLog;
  const { idNumber } = record.person;
  return {
    ...record,
    person: {
      ...record.person,
      ...(idNumber !== undefined && { idNumber: maskIdNumber(idNumber) }),
    },
    receivedAt: new Date(row.receivedAt).toISOString(),
  };
}
