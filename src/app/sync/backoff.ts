/**
 * How long to wait before trying the server again (DESIGN.md §5.6). Exponential backoff with
 * FULL jitter: a fleet of phones that lost the server together does not come back together.
 * Backoff only delays; it never drops a record and never gives up.
 */

export const SYNC_MIN_BACKOFF_MS = 1_000;
export const SYNC_MAX_BACKOFF_MS = 5 * 60_000;
/**
 * A server's `Retry-After` is honoured up to this long. Beyond it the answer is more likely a
 * misconfigured proxy than a plan, and a guard's records should not wait for hours.
 */
export const SYNC_MAX_RETRY_AFTER_MS = 15 * 60_000;
/** Spread added after a `Retry-After`, so phones told "30 s" do not all return at once. */
export const SYNC_RETRY_AFTER_SPREAD_MS = 1_000;

/** The ceiling of the n-th retry's delay (n = failures so far, from 0): min(cap, base·2ⁿ). */
export function backoffCeiling(failures: number): number {
  const n = Math.max(0, Math.min(failures, 30));
  return Math.min(SYNC_MAX_BACKOFF_MS, SYNC_MIN_BACKOFF_MS * 2 ** n);
}

/** A delay uniformly drawn from [0, ceiling): full jitter. `random` returns [0, 1). */
export function backoffDelay(failures: number, random: () => number = Math.random): number {
  const r = Math.min(Math.max(random(), 0), 1 - Number.EPSILON);
  return Math.floor(r * backoffCeiling(failures));
}

/**
 * The delay before the next attempt after a failure: the server's `Retry-After` when it gave
 * one (capped, plus a small spread), else the jittered backoff.
 */
export function retryDelay(
  failures: number,
  retryAfterMs: number | undefined,
  random: () => number = Math.random,
): number {
  if (retryAfterMs === undefined) return backoffDelay(failures, random);
  const r = Math.min(Math.max(random(), 0), 1 - Number.EPSILON);
  return (
    Math.min(Math.max(0, retryAfterMs), SYNC_MAX_RETRY_AFTER_MS) +
    Math.floor(r * SYNC_RETRY_AFTER_SPREAD_MS)
  );
}
