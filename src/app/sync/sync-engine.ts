/**
 * The sync runner (DESIGN.md §5): outbox → batches → POST /api/v1/sync → per-record acks.
 *
 * Delivery is at-least-once against an idempotent server, so the only state changes are the
 * ones an answer proves: `accepted`/`duplicates` → synced, `rejected` → rejected (never resent).
 * A lost answer just means the same records go again and come back as duplicates. Failures
 * only delay: network/5xx back off with full jitter, 429/503 wait for `Retry-After`, 413 halves
 * the batch (a lone record still too large is rejected locally as `too_large` so the queue never
 * blocks), 401/403 stop until the phone is enrolled again.
 *
 * Before its first batch after each start (or enrollment) the runner asks the server what it last
 * acknowledged from this phone (`GET /api/v1/device/config`, `lastRecordId`). When the phone no
 * longer holds that record, its storage was wiped while the enrollment was kept or restored:
 * the status carries an `erased` notice (kept in settings until the guard taps OK, and not
 * raised again for the same record), so the
 * guard and the committee learn what the server still has. A phone that lost its enrollment too
 * cannot ask: it is simply not enrolled, and the committee sees the device's last record in
 * `GET /api/v1/devices`.
 *
 * After the push, the same run pulls what the committee changed (sync/pull.ts: resident passes,
 * the watchlist, gate rules, signing keys), so the gate can check passes with no network later.
 * Pull failures never hold a record back; only a refused token stops the runner, as for pushes.
 *
 * One runner per device: Web Locks (`gatelog-sync`, ifAvailable) across tabs, and a promise
 * guard inside a tab. A tab that finds the lock taken runs once it is let go (the other tab done
 * or closed), and looks again after SYNC_LOCK_BUSY_RETRY_MS in any case. Without Web Locks two
 * tabs may both send a batch; the server's `ON CONFLICT DO NOTHING` makes that harmless.
 *
 * Everything the runner touches from the outside (clock, fetch, random, lock, window events)
 * is injectable, so tests drive it with a fake clock and a fake server.
 *
 * Service worker contract (the SW side lives in src/sw; STYLE habit 6 keeps the page's side in
 * src/app/pwa, so the runner reaches it only through that bridge): after a failed attempt the
 * runner asks for Background Sync with tag `gatelog-sync` (`registration.sync.register`, via
 * `requestBackgroundSync`). On its `sync` event the SW posts `{ type: 'SYNC_REQUESTED' }` to every
 * window client; pwa/register relays it (`onSyncRequested`) and the runner runs. With no window
 * open the SW does nothing: the next app start syncs.
 */
import {
  SYNC_MAX_BATCH_BYTES,
  SYNC_MAX_RECORDS,
  type DeviceConfig,
  type DeviceStatus,
  type GateLog,
  type SyncResponse,
} from '../../shared';
import {
  UNDO_WINDOW_MS,
  adoptLegacyPending,
  deleteSetting,
  dropOrphans,
  getRecord,
  getSetting,
  localIsoWithOffset,
  markRejected,
  outboxStats,
  purgeAcknowledged,
  resendAfter,
  setSetting,
  settleBatch,
  settledThrough,
  takePendingBatch,
  uuidv7,
  wasPurged,
  type ErasedNotice,
  type LastSync,
  type PendingBatch,
} from '../db';
import { onSyncRequested, requestBackgroundSync } from '../pwa/register';
import {
  AuthError,
  HttpError,
  NetworkError,
  ResponseError,
  createApiClient,
  type ApiClient,
} from './api-client';
import { retryDelay } from './backoff';
import { pullChanges, type PullContext } from './pull';
import {
  INITIAL_SYNC_STATUS,
  clockStatus,
  followEngine,
  getSyncStatus,
  type SyncErrorInfo,
  type SyncStatus,
} from './sync-store';

export type { SyncErrorInfo, SyncStatus };

/** The storage facts a batch's device status carries. */
type StorageFacts = Pick<DeviceStatus, 'persisted' | 'usageBytes' | 'quotaBytes'>;

/** What an answer says of the server's clock (the sync answer, the device config). */
type ServerClock = Pick<SyncResponse, 'serverTime' | 'utcOffsetMinutes'>;

/** How often, at most, the engine applies the phone's retention after a good run. */
export const RETENTION_EVERY_MS = 60 * 60 * 1000;
/** The Web Locks name shared by every tab of the app. */
export const SYNC_LOCK_NAME = 'gatelog-sync';
/** After a save: wait out the undo window (plus a little), then send. */
export const SYNC_SOON_DELAY_MS = UNDO_WINDOW_MS + 500;
/** When another tab holds the lock, look again after this long. */
export const SYNC_LOCK_BUSY_RETRY_MS = 30_000;
/**
 * A save while the runner backs off from a network or server failure (not a server's own
 * Retry-After) brings a try this long after the last failure at the latest: with the server back
 * after a long outage, a busy gate's records went only when a backoff of up to 5 min ran out.
 */
export const SYNC_SAVE_RETRY_MS = 30_000;
/**
 * Automatic runs pull passes, the watchlist and the gate's rules at most this often; "Sync now"
 * and the first run after the network comes back always do.
 */
export const SYNC_PULL_MIN_INTERVAL_MS = 30_000;

export type SyncTrigger = 'start' | 'online' | 'visible' | 'save' | 'timer' | 'manual' | 'sw';

export type RunOutcome =
  /** Everything eligible was sent (records in the undo window may still wait). */
  | 'done'
  | 'not_enrolled'
  | 'auth'
  /** A failure; the next attempt is scheduled. */
  | 'retry_later'
  /** Another tab is syncing. */
  | 'busy';

export interface RunResult {
  outcome: RunOutcome;
  synced: number;
  rejected: number;
  /** Records still pending after the run. */
  pending: number;
}

export interface SyncClock {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/**
 * Runs `fn` if the named lock is free; `{ acquired: false }` when someone else holds it, with
 * `whenFree` when the lock can say when it is let go (Web Locks: a request that waits its turn).
 */
export type SyncLock = <T>(
  name: string,
  fn: () => Promise<T>,
) => Promise<{ acquired: true; value: T } | { acquired: false; whenFree?: () => Promise<void> }>;

/** The browser around the runner; every part optional (node tests, old browsers). */
export interface SyncEnvironment {
  /** Fires `online` / `offline`. */
  window?: Pick<EventTarget, 'addEventListener' | 'removeEventListener'>;
  /** Fires `visibilitychange`. */
  document?: Pick<EventTarget, 'addEventListener' | 'removeEventListener'> & {
    visibilityState: DocumentVisibilityState;
  };
  /** Calls the listener when the service worker asks for a sync; returns unsubscribe. */
  onSyncRequested?: (listener: () => void) => () => void;
  /** Asks the browser to wake the service worker when the network is back. */
  requestBackgroundSync?: () => Promise<unknown>;
  onLine?: () => boolean;
}

export interface SyncEngineOptions {
  appVersion: string;
  fetch?: typeof fetch;
  clock?: SyncClock;
  random?: () => number;
  /** Defaults to Web Locks where present, else a no-op lock (the in-tab guard still holds). */
  lock?: SyncLock;
  env?: SyncEnvironment;
  storageEstimate?: () => Promise<
    { usage?: number | undefined; quota?: number | undefined } | undefined
  >;
  /** Asked when the 'persistence' setting is absent. */
  persisted?: () => Promise<boolean | undefined>;
  soonDelayMs?: number;
  /**
   * The pull (passes, watchlist, rules: sync/pull.ts), run after each push that got through.
   * Its failures never hold records back; only a refused token counts, as for the push.
   */
  pull?: (ctx: PullContext) => Promise<unknown>;
  /** What is known before the stored state is read (the app's start-up read, sync-store). */
  initialStatus?: Partial<SyncStatus>;
}

export const realClock: SyncClock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
};

/** Runs `fn` without any cross-tab lock. */
export const noLock: SyncLock = async (_name, fn) => ({ acquired: true, value: await fn() });

/** A `SyncLock` on Web Locks (`ifAvailable`), or undefined when the browser has none. */
export function webLock(): SyncLock | undefined {
  const locks = typeof navigator !== 'undefined' ? navigator.locks : undefined;
  if (!locks) return undefined;
  return async <T>(name: string, fn: () => Promise<T>) => {
    let value: { v: T } | undefined;
    await locks.request(name, { ifAvailable: true }, async (lock) => {
      if (lock) value = { v: await fn() };
    });
    if (value) return { acquired: true, value: value.v };
    // Waits its turn behind whoever holds the lock (a tab closing lets go of it too), and lets
    // go at once.
    const whenFree = () => locks.request(name, () => undefined).then(() => undefined);
    return { acquired: false, whenFree };
  };
}

/** The browser's own environment, as far as it exists. */
export function browserEnvironment(): SyncEnvironment {
  const env: SyncEnvironment = {};
  if (typeof window !== 'undefined') env.window = window;
  if (typeof document !== 'undefined') env.document = document;
  if (typeof navigator !== 'undefined') env.onLine = () => navigator.onLine;
  env.onSyncRequested = onSyncRequested;
  env.requestBackgroundSync = requestBackgroundSync;
  return env;
}

async function browserStorageEstimate() {
  if (typeof navigator === 'undefined' || !navigator.storage?.estimate) return undefined;
  return navigator.storage.estimate();
}

async function browserPersisted() {
  if (typeof navigator === 'undefined' || !navigator.storage?.persisted) return undefined;
  return navigator.storage.persisted();
}

interface RunRequest {
  flush: boolean;
  manual: boolean;
}

export class SyncEngine {
  private readonly appVersion: string;
  private readonly fetchFn: typeof fetch | undefined;
  private readonly clock: SyncClock;
  private readonly random: () => number;
  private readonly lock: SyncLock;
  private readonly env: SyncEnvironment;
  private readonly storageEstimate: NonNullable<SyncEngineOptions['storageEstimate']>;
  private readonly persisted: NonNullable<SyncEngineOptions['persisted']>;
  private readonly soonDelayMs: number;
  private readonly pull: SyncEngineOptions['pull'];
  private lastPullAt = Number.NEGATIVE_INFINITY;
  private lastRetentionAt = Number.NEGATIVE_INFINITY;

  private status: SyncStatus = INITIAL_SYNC_STATUS;
  private readonly listeners = new Set<() => void>();

  private inflight: Promise<RunResult> | null = null;
  private queued: Promise<RunResult> | null = null;
  private queuedRequest: RunRequest = { flush: false, manual: false };

  private timer: unknown = undefined;
  private timerAt: number | undefined = undefined;
  /** No automatic attempt before this (device ms): backoff or the server's Retry-After. */
  private notBefore = 0;
  /** `notBefore` is the server's own Retry-After: nothing but the guard's tap comes sooner. */
  private serverWait = false;
  /** Consecutive failures, the backoff exponent. */
  private failures = 0;
  private stopListening: (() => void) | undefined;
  /** Waiting for another tab to let the sync lock go. */
  private waitingForLock = false;
  private bgSyncAsked = false;
  private starting: Promise<void> | undefined;
  /** The erased-storage check ran since the last start or enrollment. */
  private erasedChecked = false;
  /** Receipts of ended shifts were asked for since the last start or enrollment. */
  private shiftsChecked = false;

  constructor(opts: SyncEngineOptions) {
    this.appVersion = opts.appVersion.slice(0, 40);
    this.fetchFn = opts.fetch;
    this.clock = opts.clock ?? realClock;
    this.random = opts.random ?? Math.random;
    this.lock = opts.lock ?? webLock() ?? noLock;
    this.env = opts.env ?? {};
    this.storageEstimate = opts.storageEstimate ?? browserStorageEstimate;
    this.persisted = opts.persisted ?? browserPersisted;
    this.soonDelayMs = opts.soonDelayMs ?? SYNC_SOON_DELAY_MS;
    this.pull = opts.pull;
    this.status = {
      ...INITIAL_SYNC_STATUS,
      ...opts.initialStatus,
      online: this.env.onLine?.() ?? true,
    };
  }

  // ---- observable state -------------------------------------------------------------------

  getStatus = (): SyncStatus => this.status;

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  private set(patch: Partial<SyncStatus>): void {
    this.status = { ...this.status, ...patch };
    this.listeners.forEach((l) => l());
  }

  // ---- triggers ---------------------------------------------------------------------------

  /**
   * Loads the stored state, listens to `online`, `visibilitychange` and the service worker,
   * and syncs once. Returns `stop`. Calling it twice is harmless.
   */
  start(): () => void {
    if (this.stopListening) return this.stop;
    const { window: win, document: doc } = this.env;
    const onOnline = () => {
      this.set({ online: true });
      // The network is back: a network backoff is moot. A server's Retry-After still holds.
      if (this.status.lastError?.kind === 'network') this.notBefore = 0;
      // What the committee changed while it was gone (rules, passes, watchlist) comes at once.
      this.lastPullAt = Number.NEGATIVE_INFINITY;
      this.trigger('online');
    };
    const onOffline = () => this.set({ online: false });
    const onVisibility = () => {
      if (doc?.visibilityState === 'visible') this.trigger('visible');
    };
    win?.addEventListener('online', onOnline);
    win?.addEventListener('offline', onOffline);
    doc?.addEventListener('visibilitychange', onVisibility);
    const offSw = this.env.onSyncRequested?.(() => this.trigger('sw'));
    this.stopListening = () => {
      win?.removeEventListener('online', onOnline);
      win?.removeEventListener('offline', onOffline);
      doc?.removeEventListener('visibilitychange', onVisibility);
      offSw?.();
    };
    this.starting = this.hydrate().then(() => this.trigger('start'));
    return this.stop;
  }

  stop = (): void => {
    this.stopListening?.();
    this.stopListening = undefined;
    this.clearTimer();
  };

  /** Asks for a sync. Automatic triggers respect backoff and Retry-After; 'manual' does not. */
  trigger(reason: SyncTrigger): void {
    if (reason === 'manual') {
      void this.runOnce({ manual: true });
      return;
    }
    if (this.status.authProblem) return;
    const now = this.clock.now();
    const delay = reason === 'save' ? this.soonDelayMs : 0;
    let notBefore = this.notBefore;
    const failedAt = this.status.lastError?.at;
    if (reason === 'save' && !this.serverWait && typeof failedAt === 'number') {
      notBefore = Math.min(notBefore, failedAt + SYNC_SAVE_RETRY_MS);
    }
    this.schedule(Math.max(now + delay, notBefore));
  }

  /** After a save: sends once the undo window has passed (never pushes an earlier run back). */
  syncSoon(): void {
    this.trigger('save');
  }

  /** The "Sync now" button. */
  syncNow(): Promise<RunResult> {
    return this.runOnce({ manual: true });
  }

  /** End of shift: sends everything now, the undo window included. */
  flush(): Promise<RunResult> {
    return this.runOnce({ flush: true, manual: true });
  }

  /** After a (re-)enrollment: forget the auth problem and the backoff, and sync. */
  onEnrolled(): void {
    this.erasedChecked = false;
    this.shiftsChecked = false;
    this.failures = 0;
    this.notBefore = 0;
    this.lastPullAt = Number.NEGATIVE_INFINITY;
    this.set({ authProblem: false, lastError: undefined, enrolled: true });
    this.trigger('start');
  }

  private schedule(at: number): void {
    if (this.timer !== undefined && this.timerAt !== undefined && this.timerAt <= at) return;
    this.clearTimer();
    const delay = Math.max(0, at - this.clock.now());
    this.timerAt = at;
    this.timer = this.clock.setTimeout(() => {
      this.timer = undefined;
      this.timerAt = undefined;
      this.set({ nextAttemptAt: undefined });
      void this.runOnce();
    }, delay);
    this.set({ nextAttemptAt: at });
  }

  private clearTimer(): void {
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer);
    this.timer = undefined;
    this.timerAt = undefined;
    if (this.status.nextAttemptAt !== undefined) this.set({ nextAttemptAt: undefined });
  }

  // ---- the run ----------------------------------------------------------------------------

  /**
   * One run: sends batches until nothing eligible is pending or something fails. A call while a
   * run is in progress waits for it and then runs once more (calls made meanwhile share that
   * second run), so one tab never has two runs in flight.
   */
  runOnce(opts: { flush?: boolean; manual?: boolean } = {}): Promise<RunResult> {
    const req: RunRequest = { flush: opts.flush ?? false, manual: opts.manual ?? false };
    if (!this.inflight) return this.startRun(req);
    this.queuedRequest = {
      flush: this.queuedRequest.flush || req.flush,
      manual: this.queuedRequest.manual || req.manual,
    };
    if (!this.queued) {
      const next = () => {
        const r = this.queuedRequest;
        this.queued = null;
        this.queuedRequest = { flush: false, manual: false };
        return this.startRun(r);
      };
      this.queued = this.inflight.then(next, next);
    }
    return this.queued;
  }

  /** Resolves once no run is in progress or queued (tests, and callers that must wait). */
  async idle(): Promise<void> {
    await this.starting;
    while (this.inflight || this.queued) {
      await (this.queued ?? this.inflight)?.catch(() => undefined);
    }
  }

  private startRun(req: RunRequest): Promise<RunResult> {
    const run = this.lockedRun(req).finally(() => {
      if (this.inflight === run) this.inflight = null;
    });
    this.inflight = run;
    return run;
  }

  private async lockedRun(req: RunRequest): Promise<RunResult> {
    if (this.status.authProblem && !req.manual) return this.result('auth', 0, 0);
    this.set({ running: true });
    try {
      const got = await this.lock(SYNC_LOCK_NAME, () => this.sendAll(req));
      if (got.acquired) return got.value;
      // Another tab is sending. Look again as soon as it lets the lock go (done, or closed half
      // way), and in any case after a while.
      this.schedule(this.clock.now() + SYNC_LOCK_BUSY_RETRY_MS);
      if (got.whenFree) this.lookWhenFree(got.whenFree);
      return await this.result('busy', 0, 0);
    } catch (e) {
      // IndexedDB trouble (storage evicted, blocked upgrade…): retry like any failure.
      return this.fail(e, 0, 0).catch(() => ({
        outcome: 'retry_later' as const,
        synced: 0,
        rejected: 0,
        pending: this.status.pending,
      }));
    } finally {
      this.set({ running: false });
    }
  }

  /** One wait for the other tab's lock at a time; then a run, backoff and Retry-After allowing. */
  private lookWhenFree(whenFree: () => Promise<void>): void {
    if (this.waitingForLock) return;
    this.waitingForLock = true;
    whenFree().then(
      () => {
        this.waitingForLock = false;
        // Only while started: a stopped engine (a tab going away) starts nothing.
        if (this.stopListening) this.schedule(Math.max(this.clock.now(), this.notBefore));
      },
      // The busy retry's timer stands.
      () => (this.waitingForLock = false),
    );
  }

  private async sendAll(req: RunRequest): Promise<RunResult> {
    const enrollment = await getSetting('enrollment');
    if (!enrollment) {
      this.set({ enrolled: false });
      return this.result('not_enrolled', 0, 0);
    }
    this.set({ enrolled: true });
    await adoptLegacyPending();
    const api = createApiClient({
      serverUrl: enrollment.serverUrl,
      token: enrollment.token,
      fetch: this.fetchFn,
      now: () => this.clock.now(),
    });
    // Read once a run, while the first batch is read: a read of the settings before each batch
    // waited behind the last answer's write.
    const storage = this.storageFacts();
    if (!this.erasedChecked) await this.checkErased(api);
    let maxRecords = SYNC_MAX_RECORDS;
    let synced = 0;
    let rejected = 0;
    // Every pending record up to this id was answered in this run: the next read begins after it.
    let after: string | undefined;
    // The last answer, being written (its records settled, the sync recorded) while the next
    // batch is sent. Awaited before the next answer is written, before a failure is reported and
    // before the run ends: a failure to write it fails the run there.
    let writing: Promise<unknown> | undefined;
    // A read begun before an answer was written passes over the records it answered, and leaves
    // them out of its pending count. Outbox rows it found without their record (a tab of the
    // previous release undid them) are deleted before the batch goes, and leave its count too.
    const read = (answered = new Set<string>()) =>
      takePendingBatch({
        maxRecords,
        maxBytes: SYNC_MAX_BATCH_BYTES,
        savedAtOrBefore: req.flush ? Number.POSITIVE_INFINITY : this.clock.now() - UNDO_WINDOW_MS,
        after,
        answered,
      }).then(async (taken) => {
        const dropped = taken.orphans ? await dropOrphans(taken.orphans) : 0;
        return { ...taken, pending: Math.max(0, taken.pending - answered.size - dropped) };
      });
    let next = read();
    for (;;) {
      const taken = await next.catch(async (e: unknown) => {
        await writing;
        throw e;
      });
      const held = taken.records;
      if (held.length === 0) break;
      const batch = held.map((s) => s.record);
      let res: SyncResponse;
      try {
        res = await api.sync({
          batchId: uuidv7(this.clock.now()),
          device: this.deviceStatus(taken, await storage),
          records: batch,
        });
      } catch (e) {
        if (e instanceof HttpError && e.status === 413) {
          if (batch.length > 1) {
            maxRecords = Math.max(1, Math.floor(batch.length / 2));
          } else {
            await markRejected([tooLarge(batch[0]!)]);
            rejected++;
          }
          // Begun after the last answer's write: it finds that answer written.
          next = read();
          continue;
        }
        await writing;
        return this.fail(e, synced, rejected);
      }
      await writing;
      const sent = new Set(batch.map((r) => r.id));
      const ok = [...res.accepted, ...res.duplicates].filter((id) => sent.has(id));
      const refused = res.rejected.filter((r) => sent.has(r.id));
      if (ok.length + refused.length === 0) {
        // An answer that acknowledges nothing would make this loop spin: treat it as a failure.
        return this.fail(
          new ResponseError('the server acknowledged none of the batch'),
          synced,
          rejected,
        );
      }
      synced += ok.length;
      rejected += refused.length;
      const answered = new Set([...ok, ...refused.map((r) => r.id)]);
      after = settledThrough(taken, answered, after);
      // Begun before this answer is written, so IndexedDB runs it first: the next request goes
      // while the answer is written.
      next = read(answered);
      const { lastSync, clock } = this.serverClock(res);
      writing = Promise.all([
        settleBatch(held, ok, refused, lastSync),
        this.succeeded(lastSync, clock),
      ]);
      writing.catch(() => {});
    }
    await writing;
    const pullRefused = await this.pullAfterPush(enrollment, req);
    if (pullRefused) return this.fail(pullRefused, synced, rejected);
    await this.applyRetention();
    const result = await this.result('done', synced, rejected);
    await this.closeWaitingShifts(result);
    // Whatever is still pending is inside the undo window (or was saved during the run).
    if (result.pending > 0) this.schedule(this.clock.now() + this.soonDelayMs);
    return result;
  }

  /**
   * Receipts of ended shifts that have none yet (a shift ended offline): asked for at the first
   * run and after each run that sent something, so a shift's last records are in. Loaded on
   * demand: most runs have none to ask for.
   */
  private async closeWaitingShifts(result: RunResult): Promise<void> {
    if (result.synced === 0 && this.shiftsChecked) return;
    this.shiftsChecked = true;
    try {
      const { closeWaitingShifts } = await import('./shift-close');
      await closeWaitingShifts(result, { fetch: this.fetchFn, now: () => this.clock.now() });
    } catch {
      // Only a receipt waits: the next run asks again.
    }
  }

  /**
   * Asks the server for the last record it acknowledged from this phone, before anything is sent
   * (a batch would move that mark onto a record the phone has). The phone deletes an
   * acknowledged record only by retention, which remembers what it deleted; so when that record
   * is missing here and retention did not take it, the phone's storage was wiped.
   * Failures only postpone the check to the next run; the batch goes either way.
   */
  private async checkErased(api: ApiClient): Promise<void> {
    let config: DeviceConfig;
    try {
      config = await api.deviceConfig();
    } catch (e) {
      // A server without the endpoint has nothing to compare with; anything else: next run.
      if (e instanceof HttpError && e.status === 404) this.erasedChecked = true;
      return;
    }
    this.erasedChecked = true;
    // The server's clock and zone, asked at every start: a phone just enrolled, or with nothing
    // to send, hears that its own are wrong before it logs a day's entries by them.
    this.set(this.serverClock(config).clock);
    const last = config.lastRecordId;
    // What this enrollment holds as sent after that record, the server does not have (it was
    // restored from a backup): it goes again.
    await resendAfter(last ?? null, config.deviceId);
    if (!last || (await getRecord(last)) || (await wasPurged(last))) return;
    if ((await getSetting('erased'))?.lastRecordId === last) return; // known, maybe read already
    const notice: ErasedNotice = {
      lastRecordId: last,
      lastSyncAt: config.lastSyncAt ?? null,
      detectedAt: localIsoWithOffset(new Date(this.clock.now())),
    };
    await setSetting('erased', notice);
    this.set({ erased: notice });
  }

  /**
   * Deletes what the server has long acknowledged (DESIGN §7), at most once an hour: its
   * transaction writes to the records, and a save at a busy gate should not wait behind it after
   * every batch. A failure waits for the next time.
   */
  private async applyRetention(): Promise<void> {
    const now = this.clock.now();
    if (now - this.lastRetentionAt < RETENTION_EVERY_MS) return;
    this.lastRetentionAt = now;
    try {
      await purgeAcknowledged(now);
    } catch {
      // Nothing is lost by keeping records longer.
    }
  }

  /** The guard has read the erased-storage notice. */
  async dismissErased(): Promise<void> {
    const notice = await getSetting('erased');
    if (notice) {
      const dismissedAt = localIsoWithOffset(new Date(this.clock.now()));
      await setSetting('erased', { ...notice, dismissedAt });
    }
    this.set({ erased: undefined });
  }

  /**
   * A batch went through: the status says so at once (its `lastSync` is stored with the batch's
   * answer, settleBatch); the promise is the auth problem's end in the settings, which the caller
   * awaits with that write.
   */
  private async succeeded(
    lastSync: LastSync,
    clock: Pick<SyncStatus, 'clockSkewMs' | 'zoneOffsets'>,
  ): Promise<void> {
    this.failures = 0;
    this.notBefore = 0;
    const hadAuthProblem = this.status.authProblem;
    this.set({
      lastSyncAt: lastSync.at,
      lastError: undefined,
      authProblem: false,
      online: true,
      ...clock,
    });
    if (hadAuthProblem) await deleteSetting('authProblem');
  }

  /** An answer's server time and zone against the phone's, now: as stored, and as the status. */
  private serverClock({ serverTime, utcOffsetMinutes }: ServerClock) {
    const now = new Date(this.clock.now());
    const lastSync: LastSync = {
      at: localIsoWithOffset(now),
      serverTime,
      ...(utcOffsetMinutes !== undefined && { serverUtcOffsetMinutes: utcOffsetMinutes }),
    };
    return { lastSync, clock: clockStatus(lastSync, now) };
  }

  /** The pull, when due; returns the error only when the server refused the token. */
  private async pullAfterPush(
    enrollment: { serverUrl: string; token: string; deviceId: string },
    req: RunRequest,
  ): Promise<AuthError | undefined> {
    const now = this.clock.now();
    if (!this.pull || (!req.manual && now - this.lastPullAt < SYNC_PULL_MIN_INTERVAL_MS)) return;
    try {
      await this.pull({
        serverUrl: enrollment.serverUrl,
        token: enrollment.token,
        deviceId: enrollment.deviceId,
        fetch: this.fetchFn,
        now: () => this.clock.now(),
      });
      this.lastPullAt = now;
    } catch (e) {
      // Offline or a server hiccup: the passes on the phone stay as they were; next run.
      if (e instanceof AuthError) return e;
    }
  }

  private async fail(e: unknown, synced: number, rejected: number): Promise<RunResult> {
    const at = this.clock.now();
    if (e instanceof AuthError) {
      await setSetting('authProblem', { status: e.status, at: localIsoWithOffset(new Date(at)) });
      this.clearTimer();
      this.set({
        authProblem: true,
        lastError: { kind: 'auth', status: e.status, message: e.message, at },
      });
      return this.result('auth', synced, rejected);
    }
    const lastError: SyncErrorInfo =
      e instanceof HttpError
        ? { kind: 'http', status: e.status, message: e.message, at }
        : e instanceof NetworkError
          ? { kind: 'network', message: e.message, at }
          : e instanceof ResponseError
            ? { kind: 'response', message: e.message, at }
            : { kind: 'storage', message: e instanceof Error ? e.message : String(e), at };
    const serverWait =
      e instanceof HttpError && (e.status === 429 || e.status === 503) ? e.retryAfterMs : undefined;
    const delay = retryDelay(this.failures, serverWait, this.random);
    this.failures++;
    this.notBefore = at + delay;
    this.serverWait = serverWait !== undefined;
    this.clearTimer();
    this.schedule(this.notBefore);
    this.set({ lastError });
    this.askForBackgroundSync();
    return this.result('retry_later', synced, rejected);
  }

  private async result(outcome: RunOutcome, synced: number, rejected: number): Promise<RunResult> {
    try {
      const stats = await outboxStats();
      this.set({ pending: stats.pending, rejected: stats.rejected });
    } catch {
      // Counts stay as they were; the run's outcome still stands.
    }
    return { outcome, synced, rejected, pending: this.status.pending };
  }

  private async hydrate(): Promise<void> {
    try {
      const [lastSync, authProblem, enrollment, stats, erased] = await Promise.all([
        getSetting('lastSync'),
        getSetting('authProblem'),
        getSetting('enrollment'),
        outboxStats(),
        getSetting('erased'),
      ]);
      this.set({
        erased: erased?.dismissedAt === undefined ? erased : undefined,
        lastSyncAt: lastSync?.at,
        ...clockStatus(lastSync, new Date(this.clock.now())),
        authProblem: authProblem !== undefined,
        enrolled: enrollment !== undefined,
        pending: stats.pending,
        rejected: stats.rejected,
      });
    } catch {
      // The first run reports storage trouble through lastError.
    }
  }

  /**
   * What the phone tells of itself with a batch: what it still holds once this batch is answered
   * (the committee's list shows the last one it heard: "pending" as read before the batch made a
   * phone that had sent everything look as if it held its last batch still), and its storage as
   * read at the run's start.
   */
  private deviceStatus(batch: PendingBatch, storage: StorageFacts): DeviceStatus {
    const pending = Math.max(0, batch.pending - batch.records.length);
    const status: DeviceStatus = { appVersion: this.appVersion, pending, ...storage };
    if (pending > 0 && batch.oldestLeftAt) status.oldestPendingAt = batch.oldestLeftAt;
    return status;
  }

  /** Whether the phone's storage is persistent, and how full it is: what is known of it. */
  private async storageFacts(): Promise<StorageFacts> {
    const facts: StorageFacts = {};
    try {
      const persisted = (await getSetting('persistence'))?.granted ?? (await this.persisted());
      if (persisted !== undefined) facts.persisted = persisted;
      const estimate = await this.storageEstimate();
      if (typeof estimate?.usage === 'number' && estimate.usage >= 0)
        facts.usageBytes = estimate.usage;
      if (typeof estimate?.quota === 'number' && estimate.quota >= 0)
        facts.quotaBytes = estimate.quota;
    } catch {
      // Storage facts are nice to have; the records go without them.
    }
    return facts;
  }

  /** Lets the service worker wake the page when the network returns (Chrome/Android). */
  private askForBackgroundSync(): void {
    const ask = this.env.requestBackgroundSync;
    if (!ask || this.bgSyncAsked) return;
    this.bgSyncAsked = true;
    ask()
      .catch(() => {
        // No Background Sync (iOS, Firefox): `online` and app start cover it.
      })
      .finally(() => {
        this.bgSyncAsked = false;
      });
  }
}

function tooLarge(record: GateLog) {
  return {
    id: record.id,
    code: 'too_large',
    message: 'The server refused this record as too large, even on its own.',
  };
}

// ---- the app's one engine ---------------------------------------------------------------------

let engine: SyncEngine | undefined;

function appVersion(): string {
  return typeof __APP_VERSION__ === 'string' ? __APP_VERSION__ : 'dev';
}

/** The app's engine (created on first use, not started); the status bar follows it. */
export function getSyncEngine(): SyncEngine {
  if (!engine) {
    engine = new SyncEngine({
      appVersion: appVersion(),
      env: browserEnvironment(),
      pull: pullChanges,
      initialStatus: getSyncStatus(),
    });
    followEngine(engine);
  }
  return engine;
}

/** Replaces the app's engine (tests); the status bar follows the new one. */
export function setSyncEngine(next: SyncEngine | undefined): void {
  engine?.stop();
  engine = next;
  followEngine(next);
}

/** Starts the app's engine (sync-store's `startSync`, after the first paint). Returns `stop`. */
export function startSync(): () => void {
  return getSyncEngine().start();
}

/** Call after saving a record: it goes once its undo window has passed. */
export function syncSoon(): void {
  getSyncEngine().syncSoon();
}

/** "Sync now". */
export function syncNow(): Promise<RunResult> {
  return getSyncEngine().syncNow();
}

/** Hides the erased-storage notice (the guard tapped OK). */
export function dismissErasedNotice(): Promise<void> {
  return getSyncEngine().dismissErased();
}

/** Sends everything now, the undo window included (end of shift). */
export function flushSync(): Promise<RunResult> {
  return getSyncEngine().flush();
}
