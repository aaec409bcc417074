/**
 * Storage health for the settings screen: whether the browser promised to keep this site's
 * data, what the phone asked and was answered before, usage and quota. Where the browser has no
 * StorageManager (older browsers, jsdom) everything is simply unknown.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import {
  getSetting,
  setSetting,
  storageHealth,
  type Persistence,
  type StorageHealth,
} from '../../db';

export interface StorageStatus extends StorageHealth {
  /** What was asked and answered before, as remembered on the phone. */
  persistence: Persistence | undefined;
  /** The browser can be asked to keep the data. */
  canAsk: boolean;
}

const storageManager = (): StorageManager | undefined =>
  typeof navigator !== 'undefined' ? navigator.storage : undefined;

export function useStorageHealth() {
  const [status, setStatus] = useState<StorageStatus | undefined>(undefined);
  const [asking, setAsking] = useState(false);
  const alive = useRef(true);

  const refresh = useCallback(async () => {
    const [health, persistence] = await Promise.all([storageHealth(), getSetting('persistence')]);
    if (!alive.current) return;
    setStatus({ ...health, persistence, canAsk: typeof storageManager()?.persist === 'function' });
  }, []);

  useEffect(() => {
    alive.current = true;
    void refresh();
    return () => {
      alive.current = false;
    };
  }, [refresh]);

  /** Asks the browser again to keep the data, remembers the answer and shows it. */
  const askPersistence = useCallback(async () => {
    const persist = storageManager()?.persist;
    if (typeof persist !== 'function') return;
    setAsking(true);
    try {
      const granted = await persist.call(storageManager()).catch(() => false);
      await setSetting('persistence', { asked: true, granted });
      await refresh();
    } finally {
      if (alive.current) setAsking(false);
    }
  }, [refresh]);

  return { status, asking, refresh, askPersistence };
}
