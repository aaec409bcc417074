/**
 * The watchlist at the gate: whether the person on the form is under home quarantine (by pass
 * number, ID number or phone — the last two compared as SHA-256 hashes, as the phone keeps
 * them), and how fresh the list is. Live: a pull that adds or removes someone shows at once.
 */
import { useLiveQuery } from 'dexie-react-hooks';
import { useEffect, useState } from 'react';
import { normalizePassId, watchHashInput } from '../../shared/passes';
import { findWatch, getPullStatus, type CachedWatch, type PullStatus } from '../db';
import { sha256Hex } from '../sync/sha256';

interface Hashed {
  /** The input the hash is of, so a stale hash is never used for new input. */
  of: string;
  hash: string | undefined;
}

function useHash(kind: 'id' | 'phone', value: string): string | undefined {
  const [hashed, setHashed] = useState<Hashed>({ of: '', hash: undefined });
  const input = value.trim();
  useEffect(() => {
    if (!input) return;
    let alive = true;
    void sha256Hex(watchHashInput(kind, input)).then(
      (hash) => alive && setHashed({ of: input, hash }),
    );
    return () => {
      alive = false;
    };
  }, [kind, input]);
  return input && hashed.of === input ? hashed.hash : undefined;
}

/** The watchlist entry in force today for this person, if any. */
export function useWatchMatch(
  person: { passId: string; idNumber: string; phone: string },
  today: string,
): CachedWatch | undefined {
  const passId = normalizePassId(person.passId);
  const idHash = useHash('id', person.idNumber);
  const phoneHash = useHash('phone', person.phone);
  return useLiveQuery(
    () =>
      passId || idHash || phoneHash ? findWatch({ passId, idHash, phoneHash }, today) : undefined,
    [passId, idHash, phoneHash, today],
  );
}

/** How fresh the phone's passes and watchlist are (undefined while loading). */
export function usePullStatus(today: string): PullStatus | undefined {
  return useLiveQuery(() => getPullStatus(today), [today]);
}
