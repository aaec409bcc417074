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
}

/**
 * The next pending records in `id` order, within the batch limits (at least one if any), as
 * stored: `settleBatch` writes their outcome without reading them again.
 */
export async function takePendingBatch(limits: BatchLimits): Promise<StoredRecord[]> {
  const batch: StoredRecord[] = [];
  let bytes = 0;
  await db.records
    .where('[syncState+id]')
    .between(['pending', Dexie.minKey], ['pending', Dexie.maxKey])
    .until(() => batch.length >= limits.maxRecords)
    .each((s) => {
      if (s.savedAt > limits.savedAtOrBefore) return;
      const size = JSON.stringify(s.record).length + 1;
      if (batch.length > 0 && bytes + size > limits.maxBytes) return;
      bytes += size;
      batch.push(s);
    });
  return batch;
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
  oldestPendingAt?: string;
}

/** Pending and rejected counts from the running counters, plus the oldest pending record. */
export async function outboxStats(): Promise<OutboxStats> {
  return db.transaction('r', [db.records, db.counters], async () => {
    const [pending, rejected, oldest] = await Promise.all([
      db.counters.get('pending'),
      db.counters.get('rejected'),
      db.records
        .where('[syncState+id]')
        .between(['pending', Dexie.minKey], ['pending', Dexie.maxKey])
        .first(),
    ]);
    return {
      pending: pending?.n ?? 0,
      rejected: rejected?.n ?? 0,
      ...(oldest ? { oldestPendingAt: oldest.record.occurredAt } : {}),
    };
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
