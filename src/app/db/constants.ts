/**
 * Database constants the first screen needs before Dexie loads (load.ts), kept apart from the
 * modules that import Dexie.
 */

/** The app's IndexedDB database (tests use others, see `setDb`). */
export const DB_NAME = 'gatelog';

/** The newest schema version db.ts declares (Dexie's; IndexedDB's own is ten times it). */
export const DB_VERSION = 3;

/** How long after Save the guard may undo; the outbox holds a record back this long. */
export const UNDO_WINDOW_MS = 5_000;

/**
 * How long an Undo that first asks the guard (it would replace what they typed) holds the record
 * back: the question takes longer to read than the undo window leaves.
 */
export const UNDO_QUESTION_MS = 30_000;

/**
 * An open Undo question holds its record back a lease at a time, renewed every
 * UNDO_HOLD_RENEW_MS while the question is open (up to UNDO_QUESTION_MS): a tab killed with the
 * question open leaves a hold that lapses within the lease, and End shift in another tab, which
 * names holds with more than UNDO_WINDOW_MS left, stops naming it within lease − window (5 s).
 */
export const UNDO_HOLD_LEASE_MS = 10_000;
export const UNDO_HOLD_RENEW_MS = 2_000;
