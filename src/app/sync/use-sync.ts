/**
 * The sync runner's state for React. Pending and rejected counts come straight from the
 * database (a live query), so a save in this tab or another shows at once, before any run.
 */
import { useLiveQuery } from 'dexie-react-hooks';
import { useSyncExternalStore } from 'react';
import { listRejected, outboxStats, type StoredRecord } from '../db';
import { getSyncEngine, type SyncStatus } from './sync-engine';

/** Online/offline, running, pending, rejected, last sync, next attempt, last error, auth. */
export function useSyncStatus(): SyncStatus {
  const engine = getSyncEngine();
  const status = useSyncExternalStore(engine.subscribe, engine.getStatus);
  const stats = useLiveQuery(() => outboxStats(), []);
  return stats ? { ...status, pending: stats.pending, rejected: stats.rejected } : status;
}

/** The records the server refused, newest first, with reasons (undefined while loading). */
export function useRejectedRecords(enabled = true): StoredRecord[] | undefined {
  return useLiveQuery(() => (enabled ? listRejected() : Promise.resolve([])), [enabled]);
}
