/**
 * Store rows back into the Store's types, one reading for both dialects: they differ only in
 * how a boolean and a JSON column come back (SQLite: 1 and text; PostgreSQL: true and jsonb).
 */
import { gateRulesSchema } from '../../shared';
import { normalizePassId } from '../../shared/passes';
import type {
  ChangeRow,
  DeviceRow,
  FormerDevice,
  LogRow,
  LogSummary,
  NewDevice,
  GateRow,
  PassRow,
  RecordRow,
  ShiftRecordFacts,
  SigningKeyRow,
  WatchRow,
} from './types';

type Row = Record<string, unknown>;

export const str = (v: unknown): string | null =>
  v === null || v === undefined ? null : String(v);
export const num = (v: unknown): number | null =>
  v === null || v === undefined ? null : Number(v);

export interface RowDialect {
  /** What the driver returns for true. */
  truth: unknown;
  /** A JSON column as the driver returns it → its value. */
  json: (v: unknown) => unknown;
}

/** The row readers of one dialect. */
export function rowReaders(d: RowDialect) {
  const bool = (v: unknown): boolean | null =>
    v === null || v === undefined ? null : v === d.truth;

  function toGate(r: Row): GateRow {
    const rules = gateRulesSchema.parse(d.json(r.rules));
    const highest = r.highest_fever_threshold_c;
    return {
      id: String(r.id),
      name: String(r.name),
      rules,
      createdAt: Number(r.created_at),
      highestFeverThresholdC:
        highest === null || highest === undefined
          ? rules.feverThresholdC
          : Math.max(Number(highest), rules.feverThresholdC),
    };
  }

  function toDevice(r: Row): DeviceRow {
    const appVersion = str(r.app_version);
    const status: DeviceRow['status'] =
      appVersion === null
        ? null
        : {
            appVersion,
            pending: Number(r.pending ?? 0),
            ...(r.oldest_pending_at != null && { oldestPendingAt: String(r.oldest_pending_at) }),
            ...(r.persisted != null && { persisted: r.persisted === d.truth }),
            ...(r.usage_bytes != null && { usageBytes: Number(r.usage_bytes) }),
            ...(r.quota_bytes != null && { quotaBytes: Number(r.quota_bytes) }),
          };
    return {
      id: String(r.id),
      gateId: String(r.gate_id),
      name: String(r.name),
      createdAt: Number(r.created_at),
      revokedAt: num(r.revoked_at),
      lastSeenAt: num(r.last_seen_at),
      lastSyncAt: num(r.last_sync_at),
      lastRecordId: str(r.last_record_id),
      status,
      formerDevices:
        r.former_devices === null || r.former_devices === undefined
          ? []
          : (d.json(r.former_devices) as FormerDevice[]),
    };
  }

  function toRecord(r: Row): RecordRow {
    return {
      id: String(r.id),
      schemaVersion: Number(r.schema_version),
      deviceId: String(r.device_id),
      gateId: String(r.gate_id),
      shiftId: String(r.shift_id),
      guard: String(r.guard),
      occurredAt: String(r.occurred_at),
      occurredMs: Number(r.occurred_ms),
      direction: String(r.direction),
      category: String(r.category),
      name: String(r.name),
      idType: str(r.id_type),
      idNumber: str(r.id_number),
      phone: str(r.phone),
      address: str(r.address),
      passId: str(r.pass_id),
      temperatureC: num(r.temperature_c),
      returneeStatus: String(r.returnee_status),
      returneeOrigin: str(r.returnee_origin),
      arrivedOn: str(r.arrived_on),
      quarantineUntil: str(r.quarantine_until),
      registered: bool(r.registered),
      decision: String(r.decision),
      note: str(r.note),
      amends: str(r.amends),
      isFever: r.is_fever === d.truth,
      receivedAt: Number(r.received_at),
      batchId: String(r.batch_id),
      json: String(r.json),
    };
  }

  /** A row of the log's query, which adds `corrected_by`. */
  function toLogRow(r: Row): LogRow {
    return { ...toRecord(r), correctedBy: str(r.corrected_by) };
  }

  /** A row of `SHIFT_FACTS_COLUMNS`. */
  function toShiftFacts(r: Row): ShiftRecordFacts {
    return {
      id: String(r.id),
      deviceId: String(r.device_id),
      receivedAt: Number(r.received_at),
      direction: String(r.direction),
      category: String(r.category),
      isFever: r.is_fever === d.truth,
      returneeStatus: String(r.returnee_status),
      decision: String(r.decision),
      amends: str(r.amends),
    };
  }

  return { toGate, toDevice, toLogRow, toShiftFacts };
}

/** The columns a shift's close reads of a record (`ShiftRecordFacts`). */
const SHIFT_FACTS = [
  'id',
  'device_id',
  'received_at',
  'direction',
  'category',
  'is_fever',
  'returnee_status',
  'decision',
  'amends',
];
export const SHIFT_FACTS_COLUMNS = SHIFT_FACTS.join(', ');

/**
 * The later versions of a shift's records at a gate that are stored with other shifts (an
 * entry of this shift corrected in a later one), and their corrections in turn, in id order:
 * its receipt counts each passage as last corrected, as the phone counts it. Corrections of
 * another gate's records are none, as in the log. The walk carries the columns it answers and
 * the gate, tested only at the end: SQLite, given the gate in the recursive step or a join back
 * to `records` at the end, went through the gate's every record instead of looking each
 * correction up in `records_amends`. `param(1)` is the gate id, `param(2)` the shift id, each
 * used twice (SQLite's `?` takes them in order). Both dialects.
 */
export const laterVersionsSql = (param: (n: 1 | 2) => string) => `
  WITH RECURSIVE versions (gate_id, shift_id, ${SHIFT_FACTS_COLUMNS}) AS (
    SELECT gate_id, shift_id, ${SHIFT_FACTS_COLUMNS} FROM records
    WHERE gate_id = ${param(1)} AND shift_id = ${param(2)}
    UNION
    SELECT c.gate_id, c.shift_id, ${SHIFT_FACTS.map((column) => `c.${column}`).join(', ')}
    FROM versions v JOIN records c ON c.amends = v.id
  )
  SELECT ${SHIFT_FACTS_COLUMNS} FROM versions
  WHERE gate_id = ${param(1)} AND shift_id <> ${param(2)} ORDER BY id`;

/**
 * The pass number a log search names, as stored: a phone stores a scanned pass as 7K3M9QX2,
 * while the clerk reads it off the card (7K3M-9QX2) or types it in lower case. The text as
 * typed is matched too (a pass id of another scheme a guard typed by hand).
 */
export const searchedPassId = (search: string): string => normalizePassId(search) ?? search;

/**
 * A record counts in the log's totals and flag filters while no later record of its gate
 * supersedes it: one correcting it, or a later correction of the record it corrects (the newest
 * correction is the one that counts, as on the phone). A record of another gate naming it, or a
 * record naming itself, changes nothing. `records_amends` is the index this looks in; the two
 * look-ups are kept apart (one on `amends IN (id, amends)` made PostgreSQL hash the gate's every
 * correction against every row). Both dialects.
 */
export const NOT_CORRECTED = `NOT EXISTS (SELECT 1 FROM records c WHERE c.amends = records.id
    AND c.id > records.id AND c.gate_id = records.gate_id)
  AND (records.amends IS NULL OR NOT EXISTS (SELECT 1 FROM records c
    WHERE c.amends = records.amends AND c.id > records.id AND c.gate_id = records.gate_id))`;
/**
 * The newest record superseding a log row (see `NOT_CORRECTED`), as the column `corrected_by`:
 * the newest correcting it, or else the newest later correction of the same original. Both
 * dialects.
 */
export const CORRECTED_BY = `COALESCE(
    (SELECT max(c.id) FROM records c WHERE c.amends = records.id
      AND c.id > records.id AND c.gate_id = records.gate_id),
    CASE WHEN records.amends IS NOT NULL THEN (SELECT max(c.id) FROM records c
      WHERE c.amends = records.amends AND c.id > records.id AND c.gate_id = records.gate_id) END
  ) AS corrected_by`;

/** A log summary from its rows, one a gate (PostgreSQL's counts come back as text). */
export function logSummary(rows: readonly Row[]): LogSummary {
  const byGate = rows.map((r) => ({
    gateId: String(r.gate_id),
    total: Number(r.total),
    fever: Number(r.fever),
    returnee: Number(r.returnee),
    refused: Number(r.refused),
    corrected: Number(r.corrected),
  }));
  const sum = (key: 'total' | 'fever' | 'returnee' | 'refused' | 'corrected') =>
    byGate.reduce((n, g) => n + g[key], 0);
  return {
    total: sum('total'),
    fever: sum('fever'),
    returnee: sum('returnee'),
    refused: sum('refused'),
    corrected: sum('corrected'),
    byGate,
  };
}

/** A new device's earlier enrollments as both dialects' column keeps them: NULL for none. */
export const formerDevicesJson = (d: NewDevice): string | null =>
  d.formerDevices?.length ? JSON.stringify(d.formerDevices) : null;

// Rows with no booleans or JSON read the same in both dialects.

export function toSigningKey(r: Row): SigningKeyRow {
  return {
    kid: String(r.kid),
    publicJwk: String(r.public_jwk),
    privateKeyPem: String(r.private_key),
    active: r.slot === 'active',
    createdAt: Number(r.created_at),
    retiredAt: num(r.retired_at),
  };
}

export function toPass(r: Row): PassRow {
  return {
    id: String(r.id),
    gateId: str(r.gate_id),
    name: String(r.name),
    address: String(r.address),
    validUntil: String(r.valid_until),
    kid: String(r.kid),
    token: String(r.token),
    createdAt: Number(r.created_at),
    revokedAt: num(r.revoked_at),
  };
}

export function toWatch(r: Row): WatchRow {
  return {
    id: String(r.id),
    name: String(r.name),
    until: String(r.until),
    passId: str(r.pass_id),
    idNumber: str(r.id_number),
    phone: str(r.phone),
    address: str(r.address),
    note: str(r.note),
    createdAt: Number(r.created_at),
  };
}

export function toChange(r: Row): ChangeRow {
  return {
    seq: Number(r.seq),
    kind: String(r.kind) as ChangeRow['kind'],
    entityId: String(r.entity_id),
    gateId: str(r.gate_id),
    payload: String(r.payload),
    createdAt: Number(r.created_at),
    endsOn: str(r.ends_on),
  };
}
