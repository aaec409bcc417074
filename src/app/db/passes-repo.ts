/**
 * Resident passes and the watchlist as the gate screen reads them: whether someone on the form is
 * on the watchlist, and how fresh the lists are. The pull's writes and the pass check's reads are
 * in pull-repo.ts, which only lazy code uses. Everything read back is parsed; bad stored data
 * reads as absent.
 */
import * as z from 'zod/mini';
import { isWatchEnded } from '../../shared/passes';
import { db, type CachedWatch } from './db';

export const asOfSchema = z.object({ at: z.string(), serverTime: z.string() });
export type PullAsOf = z.infer<typeof asOfSchema>;

/** A row of the pull's own state, parsed (absent or unreadable: undefined). */
export async function readPullState<T>(
  key: string,
  schema: z.ZodMiniType<T>,
): Promise<T | undefined> {
  const row = await db.pullState.get(key);
  if (!row) return undefined;
  const parsed = schema.safeParse(row.value);
  return parsed.success ? parsed.data : undefined;
}

export interface WatchQuery {
  passId?: string | undefined;
  /** SHA-256 hex of `watchHashInput('id', …)`. */
  idHash?: string | undefined;
  /** SHA-256 hex of `watchHashInput('phone', …)`. */
  phoneHash?: string | undefined;
}

/**
 * The watchlist entry for a person, if any is in force on `today` (by pass, ID or phone): by
 * `isWatchEnded`, the rule the committee's page and the command line mark ended entries by.
 */
export async function findWatch(q: WatchQuery, today: string): Promise<CachedWatch | undefined> {
  const found: CachedWatch[] = [];
  if (q.passId) found.push(...(await db.watchlist.where('passId').equals(q.passId).toArray()));
  if (q.idHash) found.push(...(await db.watchlist.where('idHash').equals(q.idHash).toArray()));
  if (q.phoneHash)
    found.push(...(await db.watchlist.where('phoneHash').equals(q.phoneHash).toArray()));
  return found
    .filter((w) => typeof w.until === 'string' && !isWatchEnded(w.until, today))
    .sort((a, b) => (a.until < b.until ? 1 : a.until > b.until ? -1 : 0))[0];
}

export interface PullStatus {
  /** When the phone last had the whole watchlist; undefined before the first complete pull. */
  asOf: PullAsOf | undefined;
  /** Entries in force today. */
  watchCount: number;
  passCount: number;
}

/** What the gate screen says about the lists: as of when, how many. */
export async function getPullStatus(today: string): Promise<PullStatus> {
  const [asOf, watchCount, passCount] = await Promise.all([
    readPullState('asOf', asOfSchema),
    // Through the index: the entries `isWatchEnded` does not call ended (until on or after today).
    db.watchlist.where('until').aboveOrEqual(today).count(),
    db.passes.count(),
  ]);
  return { asOf, watchCount, passCount };
}
