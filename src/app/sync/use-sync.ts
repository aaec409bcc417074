/**
 * The sync runner's state for React, read from the status store (sync-store.ts) so the header
 * needs no engine to draw it. Pending and rejected counts come straight from the database (a live
 * query), so a save in this tab or another shows at once, before any run.
 */
import { useSyncExternalStore } from 'react';
import type { StoredRecord } from '../db';
import { useDbQuery } from '../db/use-db-query';
import { getSyncStatus, subscribeSyncStatus, type SyncStatus } from './sync-store';

/** Online/offline, running, pending, rejected, last sync, next attempt, last error, auth. */
export function useSyncStatus(): SyncStatus {
  const status = useSyncExternalStore(subscribeSyncStatus, getSyncStatus);
  const stats = useDbQuery((db) => db.outboxStats(), []);
  return stats ? { ...status, pending: stats.pending, rejected: stats.rejected } : status;
}

/** The records the server refused, newest first, with reasons (undefined while loading). */
export function useRejectedRecords(enabled = true): StoredRecord[] | undefined {
  return useDbQuery((db) => (enabled ? db.listRejected() : Promise.resolve([])), [enabled]);
}
