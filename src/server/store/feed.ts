/**
 * What the pull feed keeps (both stores apply it in the transaction that logs a change).
 *
 * - **An entity's latest change only.** Every change carries the entity's whole state, so a
 *   phone whose cursor is before an entity's latest change gets that change and needs none of
 *   the earlier ones; a phone past it has already had it. Dropping the earlier ones therefore
 *   changes what no phone ends up with, whatever its cursor, even between two pages.
 * - **Nothing of an entity long past its last day.** A pass past its valid-until is refused as
 *   expired, and a watch entry past its until raises no alert, on every phone whatever else it
 *   was told; phones drop both a few days later. `FEED_KEEPS_ENDED_DAYS` is generous for time
 *   zones (a compound's date is at most a day off the server's UTC one).
 *
 * A new phone's first pull is then one change per live pass and watch entry, not the
 * committee's whole history.
 */
import type { ChangeKind } from './types';

export const FEED_KEEPS_ENDED_DAYS = 7;
const DAY_MS = 86_400_000;

/** Changes whose entity ended before this day (YYYY-MM-DD) leave the feed. */
export function feedCutoff(now: number): string {
  return new Date(now - FEED_KEEPS_ENDED_DAYS * DAY_MS).toISOString().slice(0, 10);
}

/** The kinds that are changes of the same entity (a pass, or a watch entry and its removal). */
export function sameEntityKinds(kind: ChangeKind): readonly [ChangeKind, ChangeKind] {
  return kind === 'pass' ? ['pass', 'pass'] : ['watch', 'unwatch'];
}
