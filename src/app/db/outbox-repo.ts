/**
 * The outbox: the pending records the sync runner sends, in `id` order, and the outcome of each
 * send (synced, or rejected with the server's reason). Counters kept in the same transactions
 * let the status bar read the outbox without a scan.
 */
import Dexie from 'dexie';
import type { GateLog, Rejection } from '../../shared';
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

/** The next pending records in `id` order, within the batch limits (at least one if any). */
export async function takePendingBatch(limits: BatchLimits): Promise<GateLog[]> {
  const batch: GateLog[] = [];
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
      batch.push(s.record);
    });
  return batch;
}

/** Marks acknowledged records `synced`. Records no longer pending are left alone. */
export async function markSynced(ids: readonly string[], at = Date.now()): Promise<void> {
  if (ids.length === 0) return;
  await db.transaction('rw', [db.records, db.counters], async () => {
    const rows = await db.records.bulkGet([...ids]);
    const changed = rows.filter((r): r is StoredRecord => r?.syncState === 'pending');
    await db.records.bulkPut(
      changed.map((r) => ({ ...r, syncState: 'synced' as const, syncedAt: at })),
    );
    await bumpCounter('pending', -changed.length);
  });
}

/** Marks records the server refused `rejected`, with its reason: never resent, never hidden. */
export async function markRejected(rejections: readonly Rejection[]): Promise<void> {
  if (rejections.length === 0) return;
  await db.transaction('rw', [db.records, db.counters], async () => {
    const rows = await db.records.bulkGet(rejections.map((r) => r.id));
    const changed: StoredRecord[] = [];
    rows.forEach((row, i) => {
      const why = rejections[i]!;
      if (row?.syncState === 'pending') {
        changed.push({
          ...row,
          syncState: 'rejected',
          rejection: { code: why.code, message: why.message },
        });
      }
    });
    await db.records.bulkPut(changed);
    await bumpCounter('pending', -changed.length);
    await bumpCounter('rejected', changed.length);
  });
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
