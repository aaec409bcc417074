/**
 * The sync engine as the first screen sees it, without loading it. The engine (sync-engine.ts,
 * with the API client and the pull) is a lazy chunk, started once the first screen has painted;
 * until then this store holds what the start-up read found (last sync, auth problem, enrollment,
 * erased notice) and the browser's online flag, so the status bar is right from its first frame.
 * Once loaded, the engine starts from this status and publishes every change here.
 *
 * The commands (`syncSoon`, `syncNow`…) load the engine on demand; the first one loads it.
 */
import type { ErasedNotice } from '../db';
import type * as EngineNamespace from './sync-engine';

export interface SyncErrorInfo {
  kind: 'network' | 'http' | 'auth' | 'response' | 'storage';
  status?: number;
  message: string;
  /** Device ms. */
  at: number;
}

/** What the status bar shows. A new object on every change (for useSyncExternalStore). */
export interface SyncStatus {
  online: boolean;
  running: boolean;
  /** Undefined until the stored enrollment has been read. */
  enrolled: boolean | undefined;
  pending: number;
  rejected: number;
  /** ISO time of the last batch the server acknowledged. */
  lastSyncAt: string | undefined;
  /** Device ms of the next automatic attempt, when one is scheduled. */
  nextAttemptAt: number | undefined;
  lastError: SyncErrorInfo | undefined;
  /** The server refused the device token: the phone must be enrolled again. */
  authProblem: boolean;
  /** The server holds records from this phone that the phone no longer has (storage wiped). */
  erased: ErasedNotice | undefined;
  /**
   * The phone's clock minus the server's at the last sync, when off by more than
   * CLOCK_SKEW_WARN_MS: the guard is asked to set it (records are filed by the phone's time).
   */
  clockSkewMs: number | undefined;
  /**
   * The phone's UTC offset and the server's, in minutes east of UTC, when they differ: the
   * phone's "today" and its records' times are its own zone's, so the guard is asked to set it.
   */
  zoneOffsets: ZoneOffsets | undefined;
}

export interface ZoneOffsets {
  phone: number;
  server: number;
}

/** How far the phone's clock may be off the server's before the guard is told. */
export const CLOCK_SKEW_WARN_MS = 5 * 60_000;

/** `clockSkewMs` of a sync that ended at `at` (the phone's time) with the server's `serverTime`. */
function clockSkew(lastSync: { at: string; serverTime?: string } | undefined): number | undefined {
  if (!lastSync?.serverTime) return undefined;
  const skew = Date.parse(lastSync.at) - Date.parse(lastSync.serverTime);
  return Number.isFinite(skew) && Math.abs(skew) > CLOCK_SKEW_WARN_MS ? skew : undefined;
}

/**
 * `zoneOffsets` of the last sync: the phone's offset now (set right since, it is right) and the
 * server's then; undefined when they agree or the server sent none.
 */
function zoneMismatch(
  lastSync: { serverUtcOffsetMinutes?: number } | undefined,
  now: Date = new Date(),
): ZoneOffsets | undefined {
  const server = lastSync?.serverUtcOffsetMinutes;
  if (server === undefined) return undefined;
  const phone = -now.getTimezoneOffset() || 0;
  return phone === server ? undefined : { phone, server };
}

/** The clock's part of the status from the last sync (both its checks). */
export function clockStatus(
  lastSync: { at: string; serverTime?: string; serverUtcOffsetMinutes?: number } | undefined,
  now?: Date,
): Pick<SyncStatus, 'clockSkewMs' | 'zoneOffsets'> {
  return { clockSkewMs: clockSkew(lastSync), zoneOffsets: zoneMismatch(lastSync, now) };
}

export const INITIAL_SYNC_STATUS: SyncStatus = {
  online: true,
  running: false,
  enrolled: undefined,
  pending: 0,
  rejected: 0,
  lastSyncAt: undefined,
  nextAttemptAt: undefined,
  lastError: undefined,
  authProblem: false,
  erased: undefined,
  clockSkewMs: undefined,
  zoneOffsets: undefined,
};

const browserOnline = () => (typeof navigator !== 'undefined' ? navigator.onLine : true);

let status: SyncStatus = { ...INITIAL_SYNC_STATUS, online: browserOnline() };
let following: (() => void) | undefined;
const listeners = new Set<() => void>();

function publish(next: SyncStatus): void {
  status = next;
  listeners.forEach((l) => l());
}

export const getSyncStatus = (): SyncStatus => status;

export function subscribeSyncStatus(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** What the start-up read found, shown until an engine publishes (then ignored). */
export function seedSyncStatus(patch: Partial<SyncStatus>): void {
  if (!following) publish({ ...status, ...patch });
}

interface StatusSource {
  getStatus(): SyncStatus;
  subscribe(listener: () => void): () => void;
}

/** Shows this engine's status from now on (undefined: none, back to the initial status). */
export function followEngine(engine: StatusSource | undefined): void {
  following?.();
  following = undefined;
  if (!engine) {
    publish({ ...INITIAL_SYNC_STATUS, online: browserOnline() });
    return;
  }
  const update = () => publish(engine.getStatus());
  following = engine.subscribe(update);
  update();
}

type EngineModule = typeof EngineNamespace;
let engineModule: Promise<EngineModule> | undefined;

/** The engine's module, loaded once. */
export function loadSyncEngine(): Promise<EngineModule> {
  engineModule ??= import('./sync-engine');
  return engineModule;
}

/** Starts the app's engine (after the first paint, main.tsx): sync on start, online, visible… */
export function startSync(): Promise<void> {
  return loadSyncEngine().then((m) => void m.startSync());
}

/** Call after saving a record: it goes once its undo window has passed. */
export function syncSoon(): void {
  void loadSyncEngine().then((m) => m.syncSoon());
}

/** "Sync now". */
export function syncNow(): Promise<void> {
  return loadSyncEngine().then((m) => void m.syncNow());
}

/** Hides the erased-storage notice (the guard tapped OK). */
export function dismissErasedNotice(): Promise<void> {
  return loadSyncEngine().then((m) => m.dismissErasedNotice());
}
