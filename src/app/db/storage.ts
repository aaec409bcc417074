/**
 * Storage health: asks the browser once to keep this site's data (so IndexedDB is not evicted
 * under pressure) and reports usage and quota. Unknown where the browser has no StorageManager.
 */
import { getSetting, setSetting } from './settings-repo';

/** On the first save, asks for persistent storage and remembers the answer. */
export async function requestPersistenceOnce(): Promise<void> {
  const known = await getSetting('persistence');
  if (known?.asked) return;
  const granted = (await navigator.storage?.persist?.().catch(() => false)) ?? false;
  await setSetting('persistence', { asked: true, granted });
}

export interface StorageHealth {
  persisted: boolean | undefined;
  usageBytes: number | undefined;
  quotaBytes: number | undefined;
}

export async function storageHealth(): Promise<StorageHealth> {
  const storage = typeof navigator !== 'undefined' ? navigator.storage : undefined;
  const [persisted, estimate] = await Promise.all([
    storage?.persisted?.().catch(() => undefined),
    storage?.estimate?.().catch(() => undefined),
  ]);
  return { persisted, usageBytes: estimate?.usage, quotaBytes: estimate?.quota };
}

/** True for the browser's "storage full" error, however Dexie wraps it. */
export function isQuotaError(e: unknown): boolean {
  const err = e as { name?: string; inner?: { name?: string } } | null;
  return err?.name === 'QuotaExceededError' || err?.inner?.name === 'QuotaExceededError';
}
