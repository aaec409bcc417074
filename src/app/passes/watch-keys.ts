/**
 * What the watchlist is searched by, from what the guard typed: the canonical pass number, and
 * the SHA-256 of the ID number and of the phone as the phone keeps them. Loaded with the first
 * person typed (use-watchlist.ts), not with the entry form.
 */
import { normalizePassId, watchHashInput } from '../../shared/passes';
import { sha256Hex } from '../sync/sha256';

export type WatchKeyKind = 'pass' | 'id' | 'phone';

/** The key for one field's value (undefined: nothing to search by). */
export async function watchKey(kind: WatchKeyKind, value: string): Promise<string | undefined> {
  if (kind === 'pass') return normalizePassId(value);
  return sha256Hex(watchHashInput(kind, value));
}
