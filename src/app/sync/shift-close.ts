/**
 * End of shift (DESIGN.md §5.7): send everything, then ask the server what it holds of the
 * shift. The phone sends the count and the SHA-256 of the shift's sorted record ids; a receipt
 * exists only when the server's count and digest agree. Until then the guard sees what is
 * missing, and the phone keeps trying.
 */
import { shiftDigestInput, type ShiftReceipt } from '../../shared';
import {
  getSetting,
  getShift,
  listEndedShifts,
  listRejected,
  setShiftOfAnotherPhone,
  saveReceipt,
  shiftRecordIds,
  type RecordWithState,
} from '../db';
import { AuthError, HttpError, createApiClient } from './api-client';
import { SYNC_MIN_BACKOFF_MS, retryDelay } from './backoff';
import { sha256Hex } from './sha256';
import { flushSync, realClock, type RunResult, type SyncClock } from './sync-engine';

export type ShiftCloseOutcome =
  | { status: 'complete'; receipt: ShiftReceipt }
  | {
      status: 'incomplete';
      /** Records the phone holds for the shift (rejected ones left out). */
      expected: number;
      /** Records the server holds for the shift. */
      received: number;
      /** Records of this phone still waiting to be sent (all shifts). */
      pending: number;
      /** The shift's records the server refused, with reasons. */
      rejected: RecordWithState[];
    }
  | { status: 'not_enrolled' }
  | { status: 'auth' }
  /** The server says another phone of the gate began the shift: only that phone can end it. */
  | { status: 'another_phone' }
  | {
      status: 'error';
      message: string;
      retryAfterMs?: number | undefined;
      /** Records of this phone still waiting to be sent, when known. */
      pending?: number;
    };

export interface ShiftCloseOptions {
  fetch?: typeof fetch;
  /** Sends everything first; defaults to the app's runner (`flushSync`). */
  flush?: () => Promise<RunResult>;
  now?: () => number;
}

/** The count and digest of what the phone believes the server should hold for the shift. */
export async function shiftDigest(
  shiftId: string,
): Promise<{ recordCount: number; digest: string }> {
  const ids = await shiftRecordIds(shiftId);
  return { recordCount: ids.length, digest: await sha256Hex(shiftDigestInput(ids)) };
}

/** The server's error code for a shift another phone began (409). */
const SHIFT_OF_ANOTHER_PHONE = 'shift_of_another_phone';

/** One attempt: flush, then POST /api/v1/shifts/{id}/close. Never throws for network trouble. */
export async function closeShift(
  shiftId: string,
  opts: ShiftCloseOptions = {},
): Promise<ShiftCloseOutcome> {
  const enrollment = await getSetting('enrollment');
  if (!enrollment) return { status: 'not_enrolled' };
  const flushed = await (opts.flush ?? flushSync)();
  if (flushed.outcome === 'auth') return { status: 'auth' };
  const { recordCount, digest } = await shiftDigest(shiftId);
  const api = createApiClient({
    serverUrl: enrollment.serverUrl,
    token: enrollment.token,
    fetch: opts.fetch,
    now: opts.now,
  });
  let answer;
  try {
    answer = await api.closeShift(shiftId, { recordCount, digest });
  } catch (e) {
    if (e instanceof AuthError) return { status: 'auth' };
    if (e instanceof HttpError && e.status === 409 && e.code === SHIFT_OF_ANOTHER_PHONE) {
      // Kept with the shift: the next shift's start says no receipt is to come, not "once online".
      await setShiftOfAnotherPhone(shiftId, true);
      return { status: 'another_phone' };
    }
    return {
      status: 'error',
      message: e instanceof Error ? e.message : String(e),
      retryAfterMs: e instanceof HttpError ? e.retryAfterMs : undefined,
      pending: flushed.pending,
    };
  }
  await setShiftOfAnotherPhone(shiftId, false);
  if (answer.complete && answer.receipt && answer.receipt.recordCount === recordCount) {
    await saveReceipt(shiftId, answer.receipt);
    return { status: 'complete', receipt: answer.receipt };
  }
  const rejected = (await listRejected()).filter((r) => r.shiftId === shiftId);
  return {
    status: 'incomplete',
    expected: recordCount,
    received: answer.received,
    pending: flushed.pending,
    rejected,
  };
}

/** The receipt kept with the shift, if it still covers every record the shift has. */
export async function savedReceipt(shiftId: string): Promise<ShiftReceipt | undefined> {
  const shift = await getShift(shiftId);
  if (!shift?.receipt) return undefined;
  const ids = await shiftRecordIds(shiftId);
  return shift.receipt.recordCount === ids.length ? shift.receipt : undefined;
}

export interface RetryOptions extends ShiftCloseOptions {
  signal?: AbortSignal;
  clock?: SyncClock;
  random?: () => number;
  /** Each attempt's outcome, and when the next one will be (device ms), if any. */
  onOutcome?: (outcome: ShiftCloseOutcome, nextAttemptAt: number | undefined) => void;
}

/**
 * Calls `closeShift` until the receipt comes back, backing off between attempts (full jitter,
 * 1 s … 5 min, Retry-After honoured). Stops early when the phone is not enrolled, the token is
 * refused, the shift is another phone's, or `signal` aborts; resolves with the last outcome.
 */
export async function closeShiftWithRetry(
  shiftId: string,
  opts: RetryOptions = {},
): Promise<ShiftCloseOutcome> {
  const clock = opts.clock ?? realClock;
  const random = opts.random ?? Math.random;
  const saved = await savedReceipt(shiftId);
  if (saved) {
    const outcome: ShiftCloseOutcome = { status: 'complete', receipt: saved };
    opts.onOutcome?.(outcome, undefined);
    return outcome;
  }
  let failures = 0;
  for (;;) {
    let outcome: ShiftCloseOutcome;
    try {
      outcome = await closeShift(shiftId, { ...opts, now: opts.now ?? (() => clock.now()) });
    } catch (e) {
      outcome = { status: 'error', message: e instanceof Error ? e.message : String(e) };
    }
    if (opts.signal?.aborted) return outcome;
    const final =
      outcome.status === 'complete' ||
      outcome.status === 'not_enrolled' ||
      outcome.status === 'auth' ||
      outcome.status === 'another_phone';
    const retryAfter = outcome.status === 'error' ? outcome.retryAfterMs : undefined;
    const delay = final
      ? 0
      : Math.max(SYNC_MIN_BACKOFF_MS, retryDelay(failures++, retryAfter, random));
    opts.onOutcome?.(outcome, final ? undefined : clock.now() + delay);
    if (final) return outcome;
    const aborted = await sleep(delay, clock, opts.signal);
    if (aborted) return outcome;
  }
}

/** How many of the latest ended shifts the runner asks receipts for. */
export const WAITING_SHIFTS_CHECKED = 10;

/**
 * Asks the server for the receipt of every recent ended shift that has none yet, once each,
 * after a sync run has sent what it could (`flushed`). A shift ended offline gets its receipt
 * this way once the network is back, with the next guard's shift on screen. Stops at the
 * first failure to reach the server; the next run tries again. A shift the server says is
 * another phone's has no receipt to come and does not hold up the others.
 */
export async function closeWaitingShifts(
  flushed: RunResult,
  opts: Omit<ShiftCloseOptions, 'flush'> = {},
): Promise<void> {
  for (const shift of await listEndedShifts(WAITING_SHIFTS_CHECKED)) {
    // A shift with its receipt is done (an ended shift takes no more records); one whose
    // records retention deleted can no longer be counted on the phone. Nothing is read of
    // either: this runs after every run that sent something.
    if (shift.receipt !== undefined || shift.purgedAt !== undefined) continue;
    const outcome = await closeShift(shift.id, { ...opts, flush: () => Promise.resolve(flushed) });
    if (!['complete', 'incomplete', 'another_phone'].includes(outcome.status)) return;
  }
}

/** Waits `ms`; resolves true when aborted first. */
function sleep(ms: number, clock: SyncClock, signal: AbortSignal | undefined): Promise<boolean> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve(true);
    const onAbort = () => {
      clock.clearTimeout(handle);
      resolve(true);
    };
    const handle = clock.setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve(false);
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
