/**
 * The outbox: the pending records the sync runner sends, in `id` order, and the outcome of each
 * send (synced, or rejected with the server's reason). Counters kept in the same transactions
 * let the status bar read the outbox without a scan.
 */
import Dexie from 'dexie';
import type { Rejection } from '../../shared';
import { db, type StoredRecord } from './db';

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
   * settled. Not only faster: the phone's IndexedDB keeps the index entries of records marked
   * since as tombstones until it sweeps them, and a read from the first id would step over
   * every one (the ten-thousandth record's batch then waits ≈100 ms more than the first).
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
}

/**
 * The next pending records within the batch limits (at least one if any), in one read-only
 * transaction, begun at the call: one written after the call sees nothing of it.
 */
export function takePendingBatch(limits: BatchLimits): Promise<PendingBatch> {
  return db.transaction('r', [db.records, db.counters], () => readPending(limits));
}

async function readPending(limits: BatchLimits): Promise<PendingBatch> {
  const records: StoredRecord[] = [];
  let oldestPendingAt: string | undefined;
  let firstLeft: string | undefined;
  let oldestLeftAt: string | undefined;
  let bytes = 0;
  const [counter] = await Promise.all([
    db.counters.get('pending'),
    db.records
      .where('[syncState+id]')
      .between(
        ['pending', limits.after ?? Dexie.minKey],
        ['pending', Dexie.maxKey],
        limits.after === undefined,
      )
      .until((s) => {
        if (records.length < limits.maxRecords || limits.answered?.has(s.id)) return false;
        // The batch is full: this one is the oldest left.
        oldestLeftAt ??= s.record.occurredAt;
        return true;
      })
      .each((s) => {
        if (limits.answered?.has(s.id)) return;
        oldestPendingAt ??= s.record.occurredAt;
        const size = JSON.stringify(s.record).length + 1;
        if (
          s.savedAt > limits.savedAtOrBefore ||
          (records.length > 0 && bytes + size > limits.maxBytes)
        ) {
          firstLeft ??= s.id;
          oldestLeftAt ??= s.record.occurredAt;
          return;
        }
        bytes += size;
        records.push(s);
      }),
  ]);
  return {
    records,
    pending: counter?.n ?? 0,
    ...(oldestPendingAt !== undefined && { oldestPendingAt }),
    ...(firstLeft !== undefined && { firstLeft }),
    ...(oldestLeftAt !== undefined && { oldestLeftAt }),
  };
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

/** Which of `ids` are still pending; reads keys only. */
async function stillPending(ids: readonly string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const sorted = [...ids].sort();
  const keys = await db.records
    .where('[syncState+id]')
    .between(['pending', sorted[0]!], ['pending', sorted.at(-1)!], true, true)
    .primaryKeys();
  const wanted = new Set(ids);
  return new Set(keys.filter((k) => wanted.has(k)));
}

/**
 * Writes the server's answer to a batch in one transaction: acknowledged records `synced`,
 * refused ones `rejected` with the reason. Only records of `batch` that are still pending
 * change (an id the batch did not hold, or a record no longer pending, is left alone).
 */
export async function settleBatch(
  batch: readonly StoredRecord[],
  acked: readonly string[],
  refused: readonly Rejection[],
  at = Date.now(),
): Promise<void> {
  const held = new Map(batch.map((s) => [s.id, s]));
  const ids = [...acked, ...refused.map((r) => r.id)].filter((id) => held.has(id));
  if (ids.length === 0) return;
  await db.transaction('rw', [db.records, db.counters], async () => {
    const [open, pending, rejected] = await Promise.all([
      stillPending(ids),
      db.counters.get('pending'),
      db.counters.get('rejected'),
    ]);
    const rows: StoredRecord[] = [];
    for (const id of acked) {
      if (open.delete(id)) rows.push({ ...held.get(id)!, syncState: 'synced', syncedAt: at });
    }
    let refusedCount = 0;
    for (const { id, code, message } of refused) {
      if (!open.delete(id)) continue;
      rows.push({ ...held.get(id)!, syncState: 'rejected', rejection: { code, message } });
      refusedCount++;
    }
    await Promise.all([
      db.records.bulkPut(rows),
      db.counters.put({ key: 'pending', n: Math.max(0, (pending?.n ?? 0) - rows.length) }),
      refusedCount > 0 &&
        db.counters.put({ key: 'rejected', n: (rejected?.n ?? 0) + refusedCount }),
    ]);
  });
}

/** Marks acknowledged records `synced`. Records no longer pending are left alone. */
export async function markSynced(ids: readonly string[], at = Date.now()): Promise<void> {
  await settleBatch(await readAll(ids), ids, [], at);
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
  return db.transaction('rw', [db.records, db.counters], async () => {
    const stored = await db.records.get(id);
    if (stored?.syncState !== 'rejected') return false;
    const { rejection: _gone, ...rest } = stored;
    await Promise.all([
      db.records.put({ ...rest, syncState: 'pending' }),
      bumpCounter('rejected', -1),
      bumpCounter('pending', 1),
    ]);
    return true;
  });
}

/**
 * This enrollment's records (`deviceId`) marked synced after `lastId` (all of them for null)
 * pending again: the server says the last record it acknowledged from this phone is `lastId`,
 * so it no longer has these (it was restored from a backup). Sent again, each is stored once or
 * answered as a duplicate. Returns how many.
 */
export async function resendAfter(lastId: string | null, deviceId: string): Promise<number> {
  return db.transaction('rw', [db.records, db.counters], async () => {
    const rows = await db.records
      .where('[syncState+id]')
      .between(['synced', lastId ?? Dexie.minKey], ['synced', Dexie.maxKey], lastId === null)
      .filter((r) => r.record.deviceId === deviceId)
      .toArray();
    if (rows.length === 0) return 0;
    await Promise.all([
      db.records.bulkPut(rows.map(({ syncedAt: _sent, ...r }) => ({ ...r, syncState: 'pending' }))),
      bumpCounter('pending', rows.length),
    ]);
    return rows.length;
  });
}

/** Records the server refused, newest first, with their reasons. */
export async function listRejected(): Promise<StoredRecord[]> {
  return db.records
    .where('[syncState+id]')
    .between(['rejected', Dexie.minKey], ['rejected', Dexie.maxKey])
    .reverse()
    .toArray();
}

export async function getRecord(id: string): Promise<StoredRecord | undefined> {
  return db.records.get(id);
}
