/**
 * The sync runner's state for React, read from the status store (sync-store.ts) so the header
 * needs no engine to draw it. Pending and rejected counts, and when records last went, come
 * straight from the database (a live query), so a save in this tab or another shows at once,
 * before any run, and so does a send by the other tab's runner (one runner sends for all tabs).
 */
import { useSyncExternalStore } from 'react';
import type { RecordWithState } from '../db';
import { useDbQuery } from '../db/use-db-query';
import { getSyncStatus, subscribeSyncStatus, type SyncStatus } from './sync-store';

/** Online/offline, running, pending, rejected, last sync, next attempt, last error, auth. */
export function useSyncStatus(): SyncStatus {
  const status = useSyncExternalStore(subscribeSyncStatus, getSyncStatus);
  const stats = useDbQuery(async (db) => {
    const [counts, lastSync] = await Promise.all([db.outboxStats(), db.getSetting('lastSync')]);
    return { ...counts, lastSync };
  }, []);
  if (!stats) return status;
  const { pending, rejected, lastSync } = stats;
  return { ...status, pending, rejected, lastSyncAt: lastSync?.at ?? status.lastSyncAt };
}

/** The records the server refused, newest first, with reasons (undefined while loading). */
export function useRejectedRecords(enabled = true): RecordWithState[] | undefined {
  return useDbQuery((db) => (enabled ? db.listRejected() : Promise.resolve([])), [enabled]);
}
