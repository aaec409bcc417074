/**
 * The phone's database (IndexedDB through Dexie). Every record a guard saves lives here with
 * its outbox state until the server has acknowledged it; nothing else in the app keeps data.
 *
 * Versions are append-only: never edit a released `version(n)`; add `version(n + 1)` with an
 * `upgrade()` and a test that opens a database written by version n.
 */
import Dexie, { type EntityTable } from 'dexie';

export { liveQuery } from 'dexie';
import type { GateLog, GateRules, Person, ShiftReceipt } from '../../shared';
import { DB_NAME } from './constants';

export type SyncState = 'pending' | 'synced' | 'rejected';

/**
 * A record on the phone: the wire record as sent, plus its list fields. Written once by the
 * Save and never changed after (an undo deletes it within its window; a correction is a record
 * of its own): its outbox state lives in `outbox` and `rejections`, so the sync marks 10,000
 * records without rewriting one (docs/performance.md). Rows written before version 3 may still
 * carry the `syncState` and `syncedAt` they had then; nothing reads them.
 */
export interface StoredRecord {
  id: string;
  record: GateLog;
  shiftId: string;
  gateId: string;
  /** Local calendar date of `occurredAt` (YYYY-MM-DD), for "today at this gate". */
  day: string;
  /** Device ms when saved. */
  savedAt: number;
  fever: boolean;
}

/** The server's reason for refusing a record. */
export interface RecordRejection {
  code: string;
  message: string;
}

/** A record with its outbox state, as the screens show it. */
export interface RecordWithState extends StoredRecord {
  syncState: SyncState;
  /** Why the server refused it (rejected records only). */
  rejection?: RecordRejection;
}

/**
 * A record waiting to be sent: its row in the outbox, written in the Save's transaction and
 * deleted in the one that writes the server's answer. A record is pending exactly while it has
 * one.
 */
export interface OutboxEntry {
  id: string;
  /** The shift it was saved in (End shift closes the undo windows of its records). */
  shiftId: string;
  /**
   * When its undo window counts from: the save (ms), moved on while an Undo waits on the
   * guard's answer (holdForUndo). The sync sends nothing still in its window.
   */
  savedAt: number;
}

/** A record the server refused, with its reason: never sent again unless the guard asks. */
export interface RejectedEntry extends RecordRejection {
  id: string;
}

export interface ShiftCounts {
  total: number;
  in: number;
  out: number;
  fever: number;
  returnees: number;
  refused: number;
}

export interface Shift {
  id: string;
  gateId: string;
  guard: string;
  startedAt: string;
  endedAt?: string;
  counts: ShiftCounts;
  /** The server's receipt, once it agreed that every record of the shift arrived. */
  receipt?: ShiftReceipt;
  /** When retention deleted the shift's acknowledged records (its counts stay). */
  purgedAt?: string;
  /**
   * The server holds the shift as begun on another phone of the gate (409
   * shift_of_another_phone): no receipt for it comes to this phone.
   */
  anotherPhone?: true;
}

/** Someone logged before on this phone, for quick lookup. */
export interface KnownPerson {
  /** ID number when known, else name + phone: one row per person. */
  key: string;
  person: Person;
  name: string;
  phone: string;
  /** The ID number reversed, so "last digits" is a prefix search on an index. */
  idRev: string;
  address: string;
  lastSeenAt: number;
  visits: number;
  /**
   * The home quarantine end this phone registered for them as a returnee (YYYY-MM-DD), so the
   * gate stops them going out before the committee's watchlist reaches the phone.
   */
  quarantineUntil?: string;
}

export interface Setting {
  key: string;
  value: unknown;
}

/** Running totals kept in the same transaction as the records they count (no scans at start). */
export interface Counter {
  key: 'pending' | 'rejected';
  n: number;
}

/** A resident pass as pulled from the server; `token` is what its QR code carries. */
export interface CachedPass {
  id: string;
  name: string;
  address: string;
  validUntil: string;
  status: 'active' | 'revoked';
  token: string;
}

/** Someone under home quarantine; ID number and phone only as hashes ('' when absent). */
export interface CachedWatch {
  id: string;
  name: string;
  until: string;
  address: string;
  passId: string;
  idHash: string;
  phoneHash: string;
}

/** The pull's own state: cursor, signing keys, when the lists were last complete. */
export interface PullStateRow {
  key: string;
  value: unknown;
}

export class GateLogDb extends Dexie {
  records!: EntityTable<StoredRecord, 'id'>;
  shifts!: EntityTable<Shift, 'id'>;
  settings!: EntityTable<Setting, 'key'>;
  people!: EntityTable<KnownPerson, 'key'>;
  counters!: EntityTable<Counter, 'key'>;
  passes!: EntityTable<CachedPass, 'id'>;
  watchlist!: EntityTable<CachedWatch, 'id'>;
  pullState!: EntityTable<PullStateRow, 'key'>;
  outbox!: EntityTable<OutboxEntry, 'id'>;
  rejections!: EntityTable<RejectedEntry, 'id'>;

  constructor(name = DB_NAME) {
    // No query cache: it applies every write to the cached answers of live queries before the
    // transaction commits, which cost each Save ≈5–10 ms at 4× CPU (docs/performance.md). Live
    // queries still follow every change; they read again once it has committed.
    super(name, { cache: 'disabled' });
    this.version(1).stores({
      records: 'id, [syncState+id], [shiftId+id], [gateId+day+id], savedAt',
      shifts: 'id, startedAt',
      settings: 'key',
      people: 'key, name, phone, idRev, address, lastSeenAt',
      counters: 'key',
    });
    // Resident passes and the watchlist, pulled from the server (src/app/sync/pull.ts). Only
    // new tables: nothing of version 1 changes, so the upgrade has nothing to move.
    this.version(2).stores({
      passes: 'id, validUntil',
      watchlist: 'id, passId, idHash, phoneHash, until',
      pullState: 'key',
    });
    // The outbox state out of the records (docs/performance.md): a record is pending while it
    // has a row in `outbox`, rejected while it has one in `rejections`, else acknowledged.
    // Pending and refused records get their rows here (found through the old index, a backlog
    // at most); acknowledged ones are not rewritten, so a phone with a week of records opens
    // the new version at once. The records' old indexes stay: new records have no `syncState`,
    // so `[syncState+id]` holds no entry of theirs (no cost to a Save), and it finds, with no
    // scan, a record a tab of the previous release still open saves the old way
    // (adoptLegacyPending); that tab's End shift still reads `savedAt`.
    this.version(3)
      .stores({ outbox: 'id, savedAt', rejections: 'id' })
      .upgrade(async (tx) => {
        type Old = StoredRecord & {
          syncState?: SyncState;
          rejection?: RecordRejection;
          syncedAt?: number;
        };
        const records = tx.table<Old, string>('records');
        const inState = (state: SyncState) =>
          records
            .where('[syncState+id]')
            .between([state, Dexie.minKey], [state, Dexie.maxKey])
            .toArray();
        const [pending, rejected] = await Promise.all([inState('pending'), inState('rejected')]);
        const strip = ({ syncState: _s, rejection: _r, syncedAt: _a, ...rest }: Old) => rest;
        await Promise.all([
          tx
            .table<OutboxEntry, string>('outbox')
            .bulkPut(pending.map((r) => ({ id: r.id, shiftId: r.shiftId, savedAt: r.savedAt }))),
          tx.table<RejectedEntry, string>('rejections').bulkPut(
            rejected.map((r) => ({
              id: r.id,
              code: r.rejection?.code ?? 'rejected',
              message: r.rejection?.message ?? '',
            })),
          ),
          records.bulkPut([...pending, ...rejected].map(strip)),
        ]);
      });
  }
}

export type { GateRules };

/** The one database of the app. Tests may swap it with `setDb` (fake-indexeddb). */
export let db = new GateLogDb();

/** Replaces the singleton (tests, or a reset after the phone's storage was wiped). */
export function setDb(next: GateLogDb): void {
  db = next;
}
