/**
 * The storage boundary of the server. Everything that is not SQL (validation, canonical
 * comparison, digests, masking, CSV) stays in the routes, so SQLite today and PostgreSQL next
 * implement the same small interface. All times are Unix milliseconds unless named otherwise.
 */
import type { DeviceStatus, GateRules, LogFlag } from '../../shared';

export interface GateRow {
  id: string;
  name: string;
  rules: GateRules;
  createdAt: number;
}

export interface EnrollmentCodeRow {
  /** SHA-256 hex of the normalised code: the code itself is a secret and is never stored. */
  codeHash: string;
  gateId: string;
  createdAt: number;
  expiresAt: number;
}

export type ConsumeCodeResult =
  { ok: true; gateId: string } | { ok: false; reason: 'unknown' | 'used' | 'expired' };

export interface NewDevice {
  id: string;
  gateId: string;
  name: string;
  /** SHA-256 hex of the bearer token. */
  tokenHash: string;
  createdAt: number;
}

export interface DeviceRow {
  id: string;
  gateId: string;
  name: string;
  createdAt: number;
  revokedAt: number | null;
  lastSeenAt: number | null;
  lastSyncAt: number | null;
  /** The greatest record id acknowledged (accepted or duplicate) to this device. */
  lastRecordId: string | null;
  /** What the phone last reported about itself on sync. */
  status: DeviceStatus | null;
}

export interface DeviceTouch {
  seenAt: number;
  /** Present on sync: the phone's own report, stored as the last known status. */
  status?: DeviceStatus;
  /** Present on sync: the greatest id acknowledged in this batch. */
  lastRecordId?: string;
}

/** One GateLog record as stored: every field a column, plus the canonical JSON. */
export interface RecordRow {
  id: string;
  schemaVersion: number;
  deviceId: string;
  gateId: string;
  shiftId: string;
  guard: string;
  occurredAt: string;
  /** `occurredAt` as Unix ms, for range filters across time-zone offsets. */
  occurredMs: number;
  direction: string;
  category: string;
  name: string;
  idType: string | null;
  idNumber: string | null;
  phone: string | null;
  address: string | null;
  passId: string | null;
  temperatureC: number | null;
  returneeStatus: string;
  returneeOrigin: string | null;
  arrivedOn: string | null;
  quarantineUntil: string | null;
  registered: boolean | null;
  decision: string;
  note: string | null;
  amends: string | null;
  /** Computed with the gate's threshold when the record arrived. */
  isFever: boolean;
  receivedAt: number;
  batchId: string;
  /** The record as canonical JSON (sorted keys): what duplicates are compared by. */
  json: string;
}

export interface InsertResult {
  /** Ids stored by this call, in input order. */
  inserted: string[];
  /** For every id that was already stored: its stored canonical JSON. */
  existing: Map<string, string>;
}

/** What the shift close needs of each record the server holds for a shift. */
export interface ShiftRecordFacts {
  id: string;
  direction: string;
  category: string;
  isFever: boolean;
  returneeStatus: string;
  decision: string;
  /** The record this one corrects, if any. */
  amends: string | null;
}

export interface ShiftCloseRow {
  deviceId: string;
  shiftId: string;
  gateId: string;
  recordCount: number;
  digest: string;
  /** The receipt as JSON, as answered to the phone. */
  receipt: string;
  closedAt: number;
}

export interface LogFilter {
  gateId?: string;
  /** Inclusive lower bound on `occurredMs`. */
  fromMs?: number;
  /** Exclusive upper bound on `occurredMs`. */
  toMs?: number;
  flag?: LogFlag;
}

/** A keyset position: rows strictly after it in (receivedAt, id) order. */
export interface LogCursor {
  receivedAt: number;
  id: string;
}

export interface Store {
  /** Applies every migration not applied yet; safe to call on every start. */
  migrate(): Promise<void>;

  createGate(gate: GateRow): Promise<void>;
  getGate(id: string): Promise<GateRow | null>;
  listGates(): Promise<GateRow[]>;

  createEnrollmentCode(code: EnrollmentCodeRow): Promise<void>;
  /** Marks a code used if it exists, is unused and has not expired at `now`; atomic. */
  consumeEnrollmentCode(codeHash: string, now: number): Promise<ConsumeCodeResult>;

  createDevice(device: NewDevice): Promise<void>;
  getDeviceByTokenHash(tokenHash: string): Promise<DeviceRow | null>;
  listDevices(): Promise<DeviceRow[]>;
  /** Returns false when there is no such device. Revoking twice keeps the first time. */
  revokeDevice(id: string, now: number): Promise<boolean>;
  touchDevice(id: string, touch: DeviceTouch): Promise<void>;

  /** One transaction: `INSERT … ON CONFLICT (id) DO NOTHING RETURNING id`, chunked. */
  insertRecords(rows: RecordRow[]): Promise<InsertResult>;
  /** The records this device sent for this shift, in id order. */
  /**
   * The records of a shift at a gate, in id order — whichever enrollment of the phone sent
   * them (a re-enrolled phone closes shifts it began under its earlier device id).
   */
  shiftSummary(gateId: string, shiftId: string): Promise<ShiftRecordFacts[]>;
  /** Stores (or replaces, on a repeated close) the close of one device's shift. */
  saveShiftClose(close: ShiftCloseRow): Promise<void>;

  /** Up to `limit` records after `after`, in (receivedAt, id) order. */
  listLogs(filter: LogFilter, after: LogCursor | null, limit: number): Promise<RecordRow[]>;
  /** Every matching record in (receivedAt, id) order, read page by page. */
  streamLogs(filter: LogFilter): AsyncIterable<RecordRow>;
  /** Deletes records received before `receivedBefore`; returns how many. */
  purgeRecords(receivedBefore: number): Promise<number>;

  /** Throws when the database does not answer. */
  ping(): Promise<void>;
  close(): Promise<void>;
}
