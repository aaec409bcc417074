/**
 * The outbox: the pending records the sync runner sends, in `id` order, and the outcome of each
 * send (synced, or rejected with the server's reason). A record is pending while it has a row in
 * the `outbox` table and rejected while it has one in `rejections`; the records themselves are
 * never rewritten. Counters kept in the same transactions let the status bar read the outbox
 * without a scan.
 */
import Dexie from 'dexie';
import type { Rejection } from '../../shared';
import {
  db,
  type Counter,
  type GateLogDb,
  type OutboxEntry,
  type RecordWithState,
  type RejectedEntry,
  type StoredRecord,
  type SyncState,
} from './db';
import type { LastSync } from './settings-schema';
import { announceTablesWritten, noteWrite } from './writes';

/** The running outbox counters, changed in the caller's transaction. */
export async function bumpCounter(key: 'pending' | 'rejected', by: number): Promise<void> {
  const row = await db.counters.get(key);
  await db.counters.put({ key, n: Math.max(0, (row?.n ?? 0) + by) });
}

export interface BatchLimits {
  maxRecords: number;
  maxBytes: number;
  /** Only records saved at or before this time (ms) go: the undo window. */
  savedAtOrBefore: number;
  /**
   * The read begins after this id: a run passes the last id up to which everything it read was
   * settled. Not only faster: the phone's IndexedDB keeps the outbox rows deleted since as
   * tombstones until it sweeps them, and a read from the first id would step over every one.
   */
  after?: string;
  /** Records answered whose answer is still being written: passed over as no longer pending. */
  answered?: ReadonlySet<string>;
}

export interface PendingBatch {
  /** The next pending records in `id` order, as stored: `settleBatch` needs no second read. */
  records: StoredRecord[];
  /** When the first pending record the read met was made, sent now or not: the oldest one. */
  oldestPendingAt?: string;
  /** The first pending record the read met and left for later (undo window, size). */
  firstLeft?: string;
  /**
   * When the first pending record the read did not take was made (left for later, or past a
   * full batch): once this batch is answered, the oldest one the phone still holds.
   */
  oldestLeftAt?: string;
  /** The pending count as the read found it. */
  pending: number;
  /**
   * Outbox rows the read met whose record is gone: undone by a tab of the previous release after
   * this one adopted it (`adoptLegacyPending`), which deletes the record alone. For `dropOrphans`.
   */
  orphans?: string[];
}

/**
 * Dexie's connection, for the sync's reads and writes made with IndexedDB's own API: on the
 * phone a batch's 500 records through Dexie's Table API cost the main thread several times what
 * IndexedDB itself needs (docs/performance.md). Given at once when open, so a transaction made
 * with it begins at the call, in the order of the calls.
 */
function connection(): IDBDatabase | Promise<IDBDatabase> {
  return db.isOpen() ? db.backendDB() : db.open().then(() => db.backendDB());
}

/**
 * The next pending records within the batch limits (at least one if any), in one read-only
 * transaction, begun at the call: one written after the call sees nothing of it.
 */
export function takePendingBatch(limits: BatchLimits): Promise<PendingBatch> {
  try {
    const idb = connection();
    return idb instanceof Promise
      ? idb.then((c) => readPending(c, limits))
      : readPending(idb, limits);
  } catch (e) {
    // A connection the browser closed under Dexie (the site's data cleared): a failed read, as
    // through Dexie, never a throw at the call.
    return Promise.reject(e instanceof Error ? e : new Error(String(e)));
  }
}

function readPending(idb: IDBDatabase, limits: BatchLimits): Promise<PendingBatch> {
  const tx = idb.transaction(['outbox', 'records', 'counters'], 'readonly');
  const counter = tx.objectStore('counters').get('pending');
  const outbox = tx.objectStore('outbox');
  const recordStore = tx.objectStore('records');
  const answered = limits.answered ?? new Set<string>();
  const records: StoredRecord[] = [];
  let oldestPendingAt: string | undefined;
  let firstLeft: string | undefined;
  let oldestLeftAt: string | undefined;
  const orphans: string[] = [];
  let bytes = 0;
  /** Takes the next record met, in id order; true once the batch is full and one more seen. */
  const take = (entry: OutboxEntry, s: StoredRecord): boolean => {
    if (answered.has(s.id)) return false;
    if (records.length >= limits.maxRecords) {
      // The batch is full: this one is the oldest left.
      oldestLeftAt ??= s.record.occurredAt;
      return true;
    }
    oldestPendingAt ??= s.record.occurredAt;
    const size = JSON.stringify(s.record).length + 1;
    if (
      entry.savedAt > limits.savedAtOrBefore ||
      (records.length > 0 && bytes + size > limits.maxBytes)
    ) {
      firstLeft ??= s.id;
      oldestLeftAt ??= s.record.occurredAt;
      return false;
    }
    bytes += size;
    records.push(s);
    return false;
  };
  // Answered records after `after` are still pending here (their answer is being written): the
  // read asks for as many more, and one past a full batch, in one request; more only when the
  // undo window or the size limit left some out.
  let answeredAhead = 0;
  for (const id of answered) if (limits.after === undefined || id > limits.after) answeredAhead++;
  const count = limits.maxRecords + answeredAhead + 1;
  const readFrom = (after: string | undefined) => {
    const range = after === undefined ? null : IDBKeyRange.lowerBound(after, true);
    const read = outbox.getAll(range, count);
    read.onsuccess = () => {
      const entries = read.result as OutboxEntry[];
      if (entries.length === 0) return;
      // The records of a backlog are the newest ones, one after the other: one read of as many
      // records from the first id finds them all (500 reads by key cost the phone's main thread
      // ≈2.5 times as much at 4× CPU). Any it did not find (an acknowledged record among them,
      // one refused and sent again) is read by its key.
      const span = recordStore.getAll(
        IDBKeyRange.bound(entries[0]!.id, entries.at(-1)!.id),
        entries.length,
      );
      span.onsuccess = () => {
        const found = new Map<string, StoredRecord>();
        for (const s of span.result as StoredRecord[]) found.set(s.id, s);
        const gets = entries.filter((e) => !found.has(e.id)).map((e) => recordStore.get(e.id));
        const takeAll = () => {
          for (const get of gets) {
            const s = get.result as StoredRecord | undefined;
            if (s) found.set(s.id, s);
          }
          for (const entry of entries) {
            const s = found.get(entry.id);
            if (!s) orphans.push(entry.id);
            else if (take(entry, s)) return;
          }
          if (entries.length === count) readFrom(entries.at(-1)!.id);
        };
        // A transaction's requests answer in the order made: the last one's answer is the
        // moment all are in.
        if (gets.length === 0) takeAll();
        else gets.at(-1)!.onsuccess = takeAll;
      };
    };
  };
  readFrom(limits.after);
  return new Promise((resolve, reject) => {
    tx.oncomplete = () =>
      resolve({
        records,
        pending: (counter.result as Counter | undefined)?.n ?? 0,
        ...(oldestPendingAt !== undefined && { oldestPendingAt }),
        ...(firstLeft !== undefined && { firstLeft }),
        ...(oldestLeftAt !== undefined && { oldestLeftAt }),
        ...(orphans.length > 0 && { orphans }),
      });
    tx.onabort = () => reject(tx.error ?? new DOMException('The read was aborted', 'AbortError'));
  });
}

/**
 * Where the next read of a run may begin (its `after`): the last id of `batch` up to which every
 * record the read met was settled; `previous` when its first was not.
 */
export function settledThrough(
  batch: Pick<PendingBatch, 'records' | 'firstLeft'>,
  settled: ReadonlySet<string>,
  previous: string | undefined,
): string | undefined {
  let through = previous;
  for (const { id } of batch.records) {
    if (!settled.has(id) || (batch.firstLeft !== undefined && batch.firstLeft < id)) break;
    through = id;
  }
  return through;
}

/**
 * Writes the server's answer to a batch in one transaction, begun at the call: acknowledged
 * records leave the outbox, refused ones leave it for `rejections` with the reason, and the
 * sync's `lastSync` setting is written when given (in the same transaction: one fewer a batch,
 * and the two never disagree). The records themselves are not touched. Only records of `batch`
 * still in the outbox change (an id the batch did not hold, or a record no longer pending, is
 * left alone). Made with IndexedDB's own API (see `connection`); Dexie's live queries hear of it
 * as of their own writes.
 */
export function settleBatch(
  batch: readonly StoredRecord[],
  acked: readonly string[],
  refused: readonly Rejection[],
  lastSync?: LastSync,
): Promise<void> {
  const held = new Set(batch.map((s) => s.id));
  const ids = [...acked, ...refused.map((r) => r.id)].filter((id) => held.has(id)).sort();
  if (ids.length === 0 && !lastSync) return Promise.resolve();
  const stores = [
    'outbox',
    'counters',
    ...(refused.length > 0 ? ['rejections' as const] : []),
    ...(lastSync ? ['settings' as const] : []),
  ];
  const idb = connection();
  const write = (idb: IDBDatabase) =>
    new Promise<void>((resolve, reject) => {
      const tx = idb.transaction(stores, 'readwrite');
      let failure: unknown;
      tx.oncomplete = () => {
        noteWrite();
        announceTablesWritten(stores);
        resolve();
      };
      tx.onabort = () =>
        reject(failure ?? tx.error ?? new DOMException('The answer was not written', 'AbortError'));
      const outbox = tx.objectStore('outbox');
      const counters = tx.objectStore('counters');
      if (lastSync) tx.objectStore('settings').put({ key: 'lastSync', value: lastSync });
      if (ids.length === 0) return;
      // Keys only: which of them are still pending.
      const openKeys = outbox.getAllKeys(IDBKeyRange.bound(ids[0]!, ids.at(-1)!));
      const pending = counters.get('pending');
      const rejected = counters.get('rejected');
      // A transaction's requests answer in the order made: the others are in by now.
      rejected.onsuccess = () => {
        try {
          const open = openKeys.result as string[];
          const still = new Set(open);
          let written = 0;
          const gone: string[] = [];
          for (const id of acked) {
            if (!held.has(id) || !still.delete(id)) continue;
            gone.push(id);
            written++;
          }
          // Every outbox row from the first acknowledged to the last acknowledged (the common
          // answer): one range deleted; else each by its key.
          if (gone.length > 0 && gone.length === open.length) {
            outbox.delete(IDBKeyRange.bound(open[0]!, open.at(-1)!));
          } else {
            for (const id of gone) outbox.delete(id);
          }
          let refusedCount = 0;
          for (const { id, code, message } of refused) {
            if (!held.has(id) || !still.delete(id)) continue;
            outbox.delete(id);
            tx.objectStore('rejections').put({ id, code, message } satisfies RejectedEntry);
            refusedCount++;
          }
          written += refusedCount;
          const before = (pending.result as Counter | undefined)?.n ?? 0;
          counters.put({ key: 'pending', n: Math.max(0, before - written) });
          if (refusedCount > 0) {
            const n = (rejected.result as Counter | undefined)?.n ?? 0;
            counters.put({ key: 'rejected', n: n + refusedCount });
          }
        } catch (e) {
          failure = e;
          tx.abort();
        }
      };
    });
  return idb instanceof Promise ? idb.then(write) : write(idb);
}

/** Marks acknowledged records synced (out of the outbox). Records no longer pending are left alone. */
export async function markSynced(ids: readonly string[]): Promise<void> {
  await settleBatch(await readAll(ids), ids, []);
}

/** Marks records the server refused `rejected`, with its reason: never resent, never hidden. */
export async function markRejected(rejections: readonly Rejection[]): Promise<void> {
  await settleBatch(await readAll(rejections.map((r) => r.id)), [], rejections);
}

async function readAll(ids: readonly string[]): Promise<StoredRecord[]> {
  return (await db.records.bulkGet([...ids])).filter((r): r is StoredRecord => r !== undefined);
}

export interface OutboxStats {
  pending: number;
  rejected: number;
}

/** Pending and rejected counts, from the running counters: two reads, never a scan. */
export async function outboxStats(): Promise<OutboxStats> {
  const [pending, rejected] = await db.counters.bulkGet(['pending', 'rejected']);
  return { pending: pending?.n ?? 0, rejected: rejected?.n ?? 0 };
}

/**
 * A refused record sent again, once, because the guard asked (the server may take it now: its
 * rules or its fix changed). It is pending again, its reason gone; refused again, it says so
 * again. False when it was not refused (sent again already, or never refused).
 */
export async function sendAgain(id: string): Promise<boolean> {
  return db.transaction('rw', [db.records, db.rejections, db.outbox, db.counters], async () => {
    const [rejection, stored] = await Promise.all([db.rejections.get(id), db.records.get(id)]);
    if (!rejection || !stored) return false;
    await Promise.all([
      db.rejections.delete(id),
      // Its undo window long over: it goes with the next batch.
      db.outbox.put({ id, shiftId: stored.shiftId, savedAt: stored.savedAt }),
      bumpCounter('rejected', -1),
      bumpCounter('pending', 1),
    ]);
    return true;
  });
}

/**
 * This enrollment's records (`deviceId`) acknowledged after `lastId` (all of them for null)
 * pending again: the server says the last record it acknowledged from this phone is `lastId`,
 * so it no longer has these (it was restored from a backup). Sent again, each is stored once or
 * answered as a duplicate. Returns how many.
 */
export async function resendAfter(lastId: string | null, deviceId: string): Promise<number> {
  return db.transaction('rw', [db.records, db.outbox, db.rejections, db.counters], async () => {
    const after =
      lastId === null ? db.records.toCollection() : db.records.where(':id').above(lastId);
    const [rows, pending, rejected] = await Promise.all([
      after.filter((r) => r.record.deviceId === deviceId).toArray(),
      db.outbox.toCollection().primaryKeys(),
      db.rejections.toCollection().primaryKeys(),
    ]);
    const notAcknowledged = new Set([...pending, ...rejected]);
    const again = rows.filter((r) => !notAcknowledged.has(r.id));
    if (again.length === 0) return 0;
    await Promise.all([
      db.outbox.bulkPut(again.map((r) => ({ id: r.id, shiftId: r.shiftId, savedAt: r.savedAt }))),
      bumpCounter('pending', again.length),
    ]);
    return again.length;
  });
}

/**
 * Records a tab of the previous release, still open after this one upgraded the database, saved
 * the old way: the state in the row (`syncState: 'pending'`), no outbox row. Each gets its outbox
 * row (that tab counted it pending already) and loses the field, so it goes like any other.
 * Read through the old state index, which holds no record saved since the upgrade: an empty
 * range read when there is none. Returns how many.
 */
export async function adoptLegacyPending(): Promise<number> {
  type Legacy = StoredRecord & { syncState?: string };
  const range = () =>
    db.records
      .where('[syncState+id]')
      .between(['pending', Dexie.minKey], ['pending', Dexie.maxKey]);
  if ((await range().primaryKeys()).length === 0) return 0;
  return db.transaction('rw', [db.records, db.outbox], async () => {
    const rows = (await range().toArray()) as Legacy[];
    await Promise.all([
      db.outbox.bulkPut(rows.map((r) => ({ id: r.id, shiftId: r.shiftId, savedAt: r.savedAt }))),
      db.records.bulkPut(rows.map(({ syncState: _old, ...row }) => row)),
    ]);
    return rows.length;
  });
}

/**
 * Deletes the outbox rows of `ids` whose record is gone, and takes them off the pending count, in
 * one transaction: a tab of the previous release undoes a record by deleting the record alone,
 * so one this release had adopted left its row, which the sync passed over while the count kept
 * it (the sync line never said all was sent). The ids are those a batch read met (`orphans`): a
 * run with none scans nothing. A row whose record is back, or already gone, is left. Returns how
 * many it deleted.
 */
export async function dropOrphans(ids: readonly string[]): Promise<number> {
  if (ids.length === 0) return 0;
  const each = [...new Set(ids)];
  return db.transaction('rw', [db.records, db.outbox, db.counters], async () => {
    const [rows, records] = await Promise.all([db.outbox.bulkGet(each), db.records.bulkGet(each)]);
    const gone = each.filter((_, i) => rows[i] !== undefined && records[i] === undefined);
    if (gone.length === 0) return 0;
    await Promise.all([db.outbox.bulkDelete(gone), bumpCounter('pending', -gone.length)]);
    return gone.length;
  });
}

/** Ids of records waiting to be sent, and of records the server refused. */
export interface OutboxStates {
  pending: ReadonlySet<string>;
  rejected: ReadonlySet<string>;
}

/** A record's outbox state, from the ids waiting and refused: else it was acknowledged. */
export function stateOf(id: string, { pending, rejected }: OutboxStates): SyncState {
  return pending.has(id) ? 'pending' : rejected.has(id) ? 'rejected' : 'synced';
}

/** Ids of every record waiting to be sent, and of every record the server refused. */
export async function outboxStates(d: GateLogDb = db): Promise<{
  pending: Set<string>;
  rejected: Set<string>;
}> {
  const [pending, rejected] = await Promise.all([
    d.outbox.toCollection().primaryKeys(),
    d.rejections.toCollection().primaryKeys(),
  ]);
  return { pending: new Set(pending), rejected: new Set(rejected) };
}

/** Records with their outbox states, in the same order. */
export async function withStates(
  d: GateLogDb,
  rows: readonly StoredRecord[],
): Promise<RecordWithState[]> {
  const ids = rows.map((r) => r.id);
  const [pending, rejected] = await Promise.all([d.outbox.bulkGet(ids), d.rejections.bulkGet(ids)]);
  return rows.map((r, i) => {
    const rejection = rejected[i];
    if (pending[i]) return { ...r, syncState: 'pending' };
    if (rejection) {
      return {
        ...r,
        syncState: 'rejected',
        rejection: { code: rejection.code, message: rejection.message },
      };
    }
    return { ...r, syncState: 'synced' };
  });
}

/** Records the server refused, newest first, with their reasons. */
export async function listRejected(): Promise<RecordWithState[]> {
  return db.transaction('r', [db.records, db.rejections], async () => {
    const rejections = await db.rejections.reverse().toArray();
    const rows = await db.records.bulkGet(rejections.map((r) => r.id));
    return rows.flatMap((r, i) => {
      const { code, message } = rejections[i]!;
      return r ? [{ ...r, syncState: 'rejected' as const, rejection: { code, message } }] : [];
    });
  });
}

/** A record with its outbox state. */
export async function getRecord(id: string): Promise<RecordWithState | undefined> {
  const d = db;
  return d.transaction('r', [d.records, d.outbox, d.rejections], async () => {
    const stored = await d.records.get(id);
    return stored && (await withStates(d, [stored]))[0];
  });
}

/** The outbox row of a record: none once it has been sent (or undone). */
export async function getOutboxEntry(id: string): Promise<OutboxEntry | undefined> {
  return db.outbox.get(id);
}
