/**
 * The storage boundary of the server. Everything that is not SQL (validation, canonical
 * comparison, digests, masking, CSV) stays in the routes, so SQLite today and PostgreSQL next
 * implement the same small interface. All times are Unix milliseconds unless named otherwise.
 */
import type { DeviceStatus, GateRules, LogFlag, LogSummaryResponse } from '../../shared';

export interface GateRow {
  id: string;
  name: string;
  rules: GateRules;
  createdAt: number;
  /**
   * The highest fever threshold the gate has had: its rules' own, or an earlier, higher one the
   * committee has since lowered. A phone judges an entry by the rules it last heard of, so a
   * record saved offline may have been judged by this one (see `judgingRules` in sync-batch.ts).
   */
  highestFeverThresholdC: number;
}

/** A gate as it is created: its highest fever threshold is its rules' own. */
export type NewGateRow = Omit<GateRow, 'highestFeverThresholdC'>;

/** A change of a gate: what is given replaces what is stored; rules left out are kept. */
export interface GatePatch {
  name?: string;
  rules?: Partial<GateRules>;
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
  /** The same phone's earlier enrollments whose records it may still send (`DeviceRow`). */
  formerDevices?: readonly FormerDevice[];
}

/** What an enrollment writes once its code is good (`Store.enrollWithCode`). */
export interface EnrollPlan {
  devices: NewDevice[];
  revoke: string[];
  /** The phone's key for asking again (its SHA-256), and the device the code enrolls. */
  retry?: { hash: string; deviceId: string };
}

/** An earlier enrollment of a phone: its device id and the gate it was enrolled at. */
export interface FormerDevice {
  deviceId: string;
  gateId: string;
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
  /**
   * The same phone's earlier enrollments on this server, newest first (empty for most): a phone
   * enrolled again, even after the committee revoked its token, still sends the records it saved
   * under those, each for its own gate (`POST /api/v1/enroll` with `formerToken`).
   */
  formerDevices: readonly FormerDevice[];
}

export interface DeviceTouch {
  seenAt: number;
  /** Present on sync: the phone's own report, stored as the last known status. */
  status?: DeviceStatus;
  /** Present on sync: the greatest id acknowledged in this batch. */
  lastRecordId?: string;
}

/** A record as the committee's log lists it: with the newest record correcting it, if any. */
export type LogRow = RecordRow & { correctedBy: string | null };

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

/** The phone a sync batch came from: touched in the batch's own transaction (one commit). */
export interface BatchSender {
  deviceId: string;
  seenAt: number;
  status?: DeviceStatus;
  /**
   * The greatest id of the batch's records the caller found stored the same before the call
   * (and so left out of `rows`): it counts as acknowledged too.
   */
  acknowledged?: string;
}

/** What the caller knows of the moment of a write. */
export interface WriteHint {
  /**
   * Other requests are waiting for the server: a store that can write on a thread of its own
   * hands the batch over and lets the request loop go on with them meanwhile.
   */
  othersWaiting?: boolean;
  /**
   * The caller looked the first row's id up a moment ago and it was not stored: a store that
   * would look it up to tell a batch sent again from a new one can go straight to the new
   * one's path (which must still hold if another request stored that id since).
   */
  firstNotStored?: boolean;
}

/** The greatest id of a batch the server now holds as sent: stored by it, or stored the same. */
function lastAcknowledged(rows: readonly RecordRow[], r: InsertResult): string | undefined {
  let last: string | undefined;
  for (const id of r.inserted) if (last === undefined || id > last) last = id;
  // Newest first: a phone sends its records in id order, so after the first match every other
  // id is smaller and its JSON (≈1 KB) is never compared.
  for (let i = rows.length - 1; i >= 0; i--) {
    const row = rows[i]!;
    if ((last === undefined || row.id > last) && r.existing.get(row.id) === row.json) last = row.id;
  }
  return last;
}

/** The device touch a batch makes: seen, its status, and how far it got. */
export function batchTouch(
  sender: BatchSender,
  rows: readonly RecordRow[],
  r: InsertResult,
): DeviceTouch {
  const stored = lastAcknowledged(rows, r);
  const { acknowledged } = sender;
  const lastRecordId =
    acknowledged !== undefined && (stored === undefined || acknowledged > stored)
      ? acknowledged
      : stored;
  return {
    seenAt: sender.seenAt,
    ...(sender.status && { status: sender.status }),
    ...(lastRecordId !== undefined && { lastRecordId }),
  };
}

/** What the shift close needs of each record the server holds for a shift. */
export interface ShiftRecordFacts {
  id: string;
  /** The phone (enrollment) the record names: a shift is the phone's that began it. */
  deviceId: string;
  /** When the server stored it (its clock): the first stored tells which phone began the shift. */
  receivedAt: number;
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
  /** Inclusive lower bound on `receivedAt`. */
  receivedFromMs?: number;
  /** Exclusive upper bound on `receivedAt`. */
  receivedToMs?: number;
  flag?: LogFlag;
  /**
   * Name, address or phone holding it (Latin letters in any case), or ID number or pass id equal
   * to it, a pass number also as printed on the card or in any case (`LogsQuery.q`).
   */
  search?: string;
  /** The newest first: (receivedAt, id) descending, and a cursor's rows are those before it. */
  newestFirst?: boolean;
}

/** What a log filter matches, counted in all and gate by gate: the API's answer as it is. */
export type LogSummary = LogSummaryResponse;

/** A keyset position: rows strictly after it in the list's (receivedAt, id) order. */
export interface LogCursor {
  receivedAt: number;
  id: string;
}

/** A pass-signing key (ECDSA P-256). The private key never leaves the server. */
export interface SigningKeyRow {
  kid: string;
  /** The public key as a JWK (`kty`, `crv`, `x`, `y`), JSON text. */
  publicJwk: string;
  /** The private key, PKCS#8 PEM. */
  privateKeyPem: string;
  /** The one key that signs new passes now. */
  active: boolean;
  createdAt: number;
  retiredAt: number | null;
}

export interface PassRow {
  /** 8 Crockford base32 characters (src/shared/passes.ts). */
  id: string;
  /** The gate it is valid at; null: every gate. */
  gateId: string | null;
  name: string;
  address: string;
  /** YYYY-MM-DD, inclusive. */
  validUntil: string;
  kid: string;
  /** The signed token the QR code carries. */
  token: string;
  createdAt: number;
  revokedAt: number | null;
}

export interface WatchRow {
  id: string;
  name: string;
  /** YYYY-MM-DD, the last day of home quarantine. */
  until: string;
  passId: string | null;
  idNumber: string | null;
  phone: string | null;
  address: string | null;
  note: string | null;
  createdAt: number;
}

export type ChangeKind = 'pass' | 'watch' | 'unwatch';

/**
 * One entry of the phones' pull feed: the state of an entity after a change, as JSON. The feed
 * keeps only each entity's latest change, and drops it some days after the entity's last day
 * (`src/server/store/feed.ts`).
 */
export interface NewChange {
  kind: ChangeKind;
  entityId: string;
  /** Only phones of this gate see it; null: every gate. */
  gateId: string | null;
  payload: string;
  createdAt: number;
  /**
   * YYYY-MM-DD, the entity's last day (a pass's valid-until, a watch entry's until, and for its
   * removal the removed entry's until); null: never ends, the change stays.
   */
  endsOn: string | null;
}

export interface ChangeRow extends NewChange {
  /** Grows with every change, in commit order: the feed's cursor. */
  seq: number;
}

export interface Store {
  /** Applies every migration not applied yet; safe to call on every start. */
  migrate(): Promise<void>;
  /** The server is about to take requests: what the store runs beside them starts now. */
  serving?(): void;

  createGate(gate: NewGateRow): Promise<void>;
  getGate(id: string): Promise<GateRow | null>;
  listGates(): Promise<GateRow[]>;
  /**
   * Renames a gate and/or changes some of its rules, in one statement (two concurrent changes
   * of different rules both stay), and keeps the highest fever threshold it has had. Returns the
   * gate as it is now; null when there is no such gate.
   */
  updateGate(id: string, patch: GatePatch): Promise<GateRow | null>;

  createEnrollmentCode(code: EnrollmentCodeRow): Promise<void>;
  /**
   * Marks a code used if it exists, is unused and has not expired at `now`; atomic (an
   * `enrollWithCode` that writes nothing more).
   */
  consumeEnrollmentCode(codeHash: string, now: number): Promise<ConsumeCodeResult>;

  createDevice(device: NewDevice): Promise<void>;
  /**
   * A phone's enrollment in one transaction: the code used (as `consumeEnrollmentCode`), then
   * what `plan` makes of the code's gate written: its devices inserted (the new phone, and an
   * earlier enrollment made again) and its `revoke` ids revoked at `now`. All or nothing: a
   * crash between them left a used code and no phone, and the guard could not enroll with it.
   */
  enrollWithCode(
    codeHash: string,
    now: number,
    plan: (gateId: string) => EnrollPlan,
  ): Promise<ConsumeCodeResult>;
  /**
   * The enrollment a used code made, asked for again by the phone that never heard the answer:
   * when the code has not expired at `now`, was used with this key (`EnrollPlan.retry`), and its
   * device has never been heard from and is not revoked, that device's token becomes
   * `tokenHash`'s (the lost one is never used). Null otherwise.
   */
  retryEnrollment(
    codeHash: string,
    retryHash: string,
    tokenHash: string,
    now: number,
  ): Promise<{ deviceId: string; gateId: string } | null>;
  getDeviceByTokenHash(tokenHash: string): Promise<DeviceRow | null>;
  listDevices(): Promise<DeviceRow[]>;
  /** Returns false when there is no such device. Revoking twice keeps the first time. */
  revokeDevice(id: string, now: number): Promise<boolean>;
  touchDevice(id: string, touch: DeviceTouch): Promise<void>;

  /**
   * Stores a batch in one transaction, each id at most once (a stored id is never overwritten:
   * its stored JSON comes back in `existing`). With `sender`, that device is touched in the
   * same transaction (seen, status, last acknowledged id), so a sync batch costs one commit.
   */
  insertRecords(rows: RecordRow[], sender?: BatchSender, hint?: WriteHint): Promise<InsertResult>;
  /** The stored canonical JSON of each of `ids` that is stored (a look-up, no transaction). */
  storedRecordJson(ids: readonly string[]): Promise<Map<string, string>>;
  /**
   * The records of a shift at a gate, in id order — whichever enrollment of the phone sent
   * them (a re-enrolled phone closes shifts it began under its earlier device id).
   */
  shiftSummary(gateId: string, shiftId: string): Promise<ShiftRecordFacts[]>;
  /**
   * The corrections of a shift's records at a gate stored with other shifts (made in a later
   * one), and theirs in turn, in id order: what its receipt counts in place of what they correct.
   */
  laterVersions(gateId: string, shiftId: string): Promise<ShiftRecordFacts[]>;
  /** Stores (or replaces, on a repeated close) the close of one device's shift. */
  saveShiftClose(close: ShiftCloseRow): Promise<void>;

  /** Up to `limit` records after `after`, in (receivedAt, id) order (descending: `newestFirst`). */
  listLogs(filter: LogFilter, after: LogCursor | null, limit: number): Promise<LogRow[]>;
  /** Every matching record in the filter's (receivedAt, id) order, read page by page. */
  streamLogs(filter: LogFilter): AsyncIterable<LogRow>;
  /** How many records match, and how many of them each flag marks, gate by gate (one scan). */
  summarizeLogs(filter: LogFilter): Promise<LogSummary>;
  /** Deletes records received before `receivedBefore`; returns how many. */
  purgeRecords(receivedBefore: number): Promise<number>;

  /**
   * Adds a pass-signing key as the active one. `rotate`: in one transaction the active key is
   * retired (at the new key's `createdAt`) and this one takes over. Otherwise it is added only
   * when there is no active key yet; false when another instance added one first.
   */
  addSigningKey(
    key: Omit<SigningKeyRow, 'active' | 'retiredAt'>,
    rotate: boolean,
  ): Promise<boolean>;
  getActiveSigningKey(): Promise<SigningKeyRow | null>;
  /** The active key and every retired key that signed a pass valid on or after `today`. */
  listPublishedSigningKeys(today: string): Promise<SigningKeyRow[]>;

  /**
   * Writes to the pull feed: each of these stores the entity and its change in one transaction,
   * and change writers take turns, so a change's `seq` is never below one already committed.
   * The same transaction drops the entity's earlier changes and every change whose entity ended
   * before `feedCutoff(change.createdAt)` (`feed.ts`).
   */
  insertPass(pass: PassRow, change: NewChange): Promise<void>;
  getPass(id: string): Promise<PassRow | null>;
  /** Passes in creation order; with `gateId`, those valid there (its own and every-gate ones). */
  listPasses(filter: { gateId?: string; includeRevoked?: boolean }): Promise<PassRow[]>;
  /**
   * Revokes a pass and logs `change(revoked row)`, once: revoking again changes nothing
   * (`changed` false). Null when there is no such pass.
   */
  revokePass(
    id: string,
    now: number,
    change: (revoked: PassRow) => NewChange,
  ): Promise<{ pass: PassRow; changed: boolean } | null>;
  insertWatch(watch: WatchRow, change: NewChange): Promise<void>;
  /** Removes an entry and logs `change(removed row)`; false when there is no such entry. */
  deleteWatch(id: string, change: (removed: WatchRow) => NewChange): Promise<boolean>;
  listWatch(): Promise<WatchRow[]>;
  /** Up to `limit` changes after `afterSeq` that phones of `gateId` see, in `seq` order. */
  listChanges(gateId: string, afterSeq: number, limit: number): Promise<ChangeRow[]>;

  /** Throws when the database does not answer. */
  ping(): Promise<void>;
  /**
   * Throws (code `GATELOG_DB_REPLACED`) once the database file was removed or replaced under
   * the running server, which would go on writing to the file it opened and lose it all at the
   * next start. SQLite only; looks at the file at most once a second.
   */
  checkIntact?(): void;
  close(): Promise<void>;
}
