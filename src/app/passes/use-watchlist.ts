/**
 * The watchlist at the gate: whether the person on the form is under home quarantine (by pass
 * number, ID number or phone — the last two compared as SHA-256 hashes, as the phone keeps
 * them), and how fresh the list is. Live: a pull that adds or removes someone shows at once.
 */
import { useEffect, useState } from 'react';
import type { CachedWatch, PullStatus } from '../db';
import { useDbQuery } from '../db/use-db-query';
import type { WatchKeyKind } from './watch-keys';

interface Keyed {
  /** The input the key is of, so a stale key is never used for new input. */
  of: string;
  key: string | undefined;
}

function useWatchKey(kind: WatchKeyKind, value: string): string | undefined {
  const [keyed, setKeyed] = useState<Keyed>({ of: '', key: undefined });
  const input = value.trim();
  useEffect(() => {
    if (!input) return;
    let alive = true;
    void import('./watch-keys')
      .then((m) => m.watchKey(kind, input))
      .then((key) => alive && setKeyed({ of: input, key }));
    return () => {
      alive = false;
    };
  }, [kind, input]);
  return input && keyed.of === input ? keyed.key : undefined;
}

/** The watchlist entry in force today for this person, if any. */
export function useWatchMatch(
  person: { passId: string; idNumber: string; phone: string },
  today: string,
): CachedWatch | undefined {
  const passId = useWatchKey('pass', person.passId);
  const idHash = useWatchKey('id', person.idNumber);
  const phoneHash = useWatchKey('phone', person.phone);
  return useDbQuery(
    (db) =>
      passId || idHash || phoneHash
        ? db.findWatch({ passId, idHash, phoneHash }, today)
        : undefined,
    [passId, idHash, phoneHash, today],
  );
}

/**
 * A returnee this phone registered, whose home quarantine lasts through `today`, as a watchlist
 * entry: the gate stops them going out even before the committee lists them (a phone offline
 * all shift would hear of that only at its next pull).
 */
export function useOwnQuarantine(
  person: { idNumber: string; phone: string },
  today: string,
): CachedWatch | undefined {
  const idNumber = person.idNumber.trim();
  const phone = person.phone.trim();
  return useDbQuery(
    async (db) => {
      if (!idNumber && !phone) return undefined;
      const known = await db.findOwnQuarantine({ idNumber, phone }, today);
      return known?.quarantineUntil === undefined
        ? undefined
        : {
            id: `own:${known.key}`,
            name: known.name,
            until: known.quarantineUntil,
            address: known.address,
            passId: '',
            idHash: '',
            phoneHash: '',
          };
    },
    [idNumber, phone, today],
  );
}

/** How fresh the phone's passes and watchlist are (undefined while loading). */
export function usePullStatus(today: string): PullStatus | undefined {
  return useDbQuery((db) => db.getPullStatus(today), [today]);
}
