/**
 * The page's side of the service worker (STYLE habit 6: the only page code that talks to it).
 *
 * - Registers /sw.js in production builds; dev and browsers without service workers skip it.
 * - Tracks "a new version is installed and waiting". It is only ever applied by `applyUpdate()`,
 *   i.e. when the guard taps Update: first the page is told (`gatelog:before-update`, whose
 *   `detail.waitUntil(promise)` lets the entry form flush its draft), then the waiting worker
 *   gets `SKIP_WAITING`, and the page reloads once the new worker controls it.
 * - Checks for new versions now and then while the app stays open through a 12-hour shift.
 * - Relays the worker's Background Sync wake-up (`SYNC_REQUESTED`) to the sync engine, and lets
 *   the sync engine ask for one (`requestBackgroundSync`).
 */
// workbox-window is loaded when the worker is registered, not with the entry form.
import type { Workbox } from 'workbox-window';
import { listenForInstallPrompt } from './install-prompt';
import { SW_SYNC_TAG, type PageToSw, type SwToPage } from './sw-messages';

/** Dispatched on `window` just before an accepted update reloads the page. */
export const BEFORE_UPDATE_EVENT = 'gatelog:before-update';

/** `detail` of the `gatelog:before-update` event. */
export interface BeforeUpdateDetail {
  /** The reload waits for this promise (up to UPDATE_SETTLE_MAX_MS). */
  waitUntil(promise: Promise<unknown>): void;
}

/** The reload waits at least this long, so a debounced draft save gets to run. */
export const UPDATE_SETTLE_MS = 300;
/** …and at most this long, so a stuck save cannot block the update forever. */
export const UPDATE_SETTLE_MAX_MS = 5_000;
/** How often an open app looks for a new version. */
export const UPDATE_CHECK_INTERVAL_MS = 60 * 60 * 1000;
/** Coming back to the app looks for a new version at most this often. */
const UPDATE_CHECK_ON_VISIBLE_MIN_MS = 10 * 60 * 1000;

export interface UpdateState {
  /** A new version is installed and waiting for the guard's yes. */
  waiting: boolean;
  /** The guard said "Later" to this waiting version. */
  dismissed: boolean;
  /** The guard said yes; the page is about to reload. */
  applying: boolean;
}

export interface RegisterOptions {
  /** Reloads the page once the new version controls it; tests replace it. */
  reload?: () => void;
}

const IDLE: UpdateState = { waiting: false, dismissed: false, applying: false };

let wb: Workbox | undefined;
let registering = false;
let registration: ServiceWorkerRegistration | undefined;
let reloadPage: () => void = () => location.reload();
let state: UpdateState = IDLE;
/** The waiting worker the offer is about, when known. */
let offeredWorker: ServiceWorker | undefined;
let lastCheckAt = 0;
const listeners = new Set<() => void>();

function setState(next: Partial<UpdateState>): void {
  state = { ...state, ...next };
  for (const l of listeners) l();
}

/** Registers the service worker (production only) and starts listening for the install prompt. */
export function registerServiceWorker(options: RegisterOptions = {}): void {
  listenForInstallPrompt();
  if (import.meta.env.DEV || typeof navigator === 'undefined' || !('serviceWorker' in navigator)) {
    return;
  }
  if (registering) return;
  registering = true;
  if (options.reload) reloadPage = options.reload;
  import('workbox-window')
    .then(({ Workbox }) =>
      register(
        new Workbox(`${import.meta.env.BASE_URL}sw.js`, { scope: import.meta.env.BASE_URL }),
      ),
    )
    .catch((err: unknown) => console.warn('GateLog: service worker registration failed', err));
}

function register(workbox: Workbox): void {
  wb = workbox;
  wb.addEventListener('waiting', (e) => markWaiting(e.sw));
  // Another tab accepted an update: this page still runs the old code on the new worker, whose
  // precache no longer holds the old lazy chunks. Offer the reload like any other update.
  wb.addEventListener('controlling', (e) => {
    if (e.isUpdate && !state.applying) markWaiting();
  });
  navigator.serviceWorker.addEventListener('message', (e: MessageEvent) => {
    if ((e.data as SwToPage | undefined)?.type === 'SYNC_REQUESTED') {
      for (const l of syncListeners) l();
    }
  });

  void wb
    .register()
    .then((reg) => {
      if (!reg) return;
      registration = reg;
      // workbox-window stops following updates after the first one it sees from outside its
      // own register(); follow them here too so a second new version is offered as well.
      reg.addEventListener('updatefound', () => {
        const sw = reg.installing;
        sw?.addEventListener('statechange', () => {
          if (
            sw.state === 'installed' &&
            reg.waiting === sw &&
            navigator.serviceWorker.controller
          ) {
            markWaiting(sw);
          }
        });
      });
      lastCheckAt = Date.now();
      setInterval(() => void checkForUpdate(), UPDATE_CHECK_INTERVAL_MS);
      document.addEventListener('visibilitychange', () => {
        if (
          document.visibilityState === 'visible' &&
          Date.now() - lastCheckAt > UPDATE_CHECK_ON_VISIBLE_MIN_MS
        ) {
          void checkForUpdate();
        }
      });
    })
    .catch((err: unknown) => {
      // No service worker means no offline start; the app itself still works online.
      console.warn('GateLog: service worker registration failed', err);
    });
}

/**
 * Offers the waiting version. One worker is reported twice — by the listener above as soon as
 * it is installed, by workbox-window's `waiting` 200 ms later — so a "Later" tapped in between
 * must stand for that worker; only another one (or no known worker) offers again.
 */
function markWaiting(sw?: ServiceWorker): void {
  if (state.waiting && sw !== undefined && sw === offeredWorker) return;
  offeredWorker = sw;
  if (!state.waiting || state.dismissed) setState({ waiting: true, dismissed: false });
}

/** Looks for a new version on the server (quietly does nothing offline). */
export async function checkForUpdate(): Promise<void> {
  if (!wb || !navigator.onLine) return;
  lastCheckAt = Date.now();
  try {
    await wb.update();
  } catch {
    // Offline or the server is down: try again at the next check.
  }
}

/** Subscribes to changes of the update state; returns the unsubscribe function. */
export function subscribeUpdateState(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** The current update state (a stable object between changes). */
export function getUpdateState(): UpdateState {
  return state;
}

/** "Later": hides the offer until the app is opened again or an even newer version arrives. */
export function dismissUpdate(): void {
  setState({ dismissed: true });
}

/**
 * "Update": lets the page save what it holds, then activates the waiting version and reloads
 * under it. With no worker waiting (another tab already activated it) it just reloads.
 */
export async function applyUpdate(): Promise<void> {
  if (state.applying) return;
  setState({ applying: true });
  await settleBeforeUpdate();
  const waiting = registration?.waiting;
  if (!wb || !waiting) {
    reloadPage();
    return;
  }
  wb.addEventListener('controlling', () => reloadPage());
  wb.messageSkipWaiting(); // { type: 'SKIP_WAITING' } to registration.waiting
}

/** Tells the page an update is about to reload it, and waits for what it asks to finish. */
async function settleBeforeUpdate(): Promise<void> {
  const pending: Promise<unknown>[] = [];
  const detail: BeforeUpdateDetail = { waitUntil: (p) => void pending.push(p) };
  dispatchEvent(new CustomEvent<BeforeUpdateDetail>(BEFORE_UPDATE_EVENT, { detail }));
  const everything = Promise.allSettled([delay(UPDATE_SETTLE_MS), ...pending]);
  await Promise.race([everything, delay(UPDATE_SETTLE_MAX_MS)]);
}

const delay = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** The build version the active service worker was built from, or undefined when there is none. */
export async function getServiceWorkerVersion(timeoutMs = 2_000): Promise<string | undefined> {
  const controller = typeof navigator !== 'undefined' ? navigator.serviceWorker?.controller : null;
  if (!controller) return undefined;
  const channel = new MessageChannel();
  const answer = new Promise<string | undefined>((resolve) => {
    channel.port1.onmessage = (e: MessageEvent) =>
      resolve(typeof e.data === 'string' ? e.data : undefined);
  });
  const message: PageToSw = { type: 'GET_VERSION' };
  controller.postMessage(message, [channel.port2]);
  return Promise.race([answer, delay(timeoutMs).then(() => undefined)]);
}

const syncListeners = new Set<() => void>();

/**
 * Calls `listener` when the service worker's Background Sync fires (the network is back).
 * Returns the unsubscribe function.
 */
export function onSyncRequested(listener: () => void): () => void {
  syncListeners.add(listener);
  return () => syncListeners.delete(listener);
}

interface SyncManagerLike {
  register(tag: string): Promise<void>;
}

/**
 * Asks the browser to wake the service worker when the network comes back, even if the page is
 * closed by then (Chromium's Background Sync). Resolves false where there is none (iOS, Firefox):
 * the page syncs on its next start and on `online` anyway.
 */
export async function requestBackgroundSync(): Promise<boolean> {
  if (typeof navigator === 'undefined' || !('serviceWorker' in navigator)) return false;
  try {
    const reg = registration ?? (await navigator.serviceWorker.getRegistration());
    const sync = (reg as (ServiceWorkerRegistration & { sync?: SyncManagerLike }) | undefined)
      ?.sync;
    if (!sync) return false;
    await sync.register(SW_SYNC_TAG);
    return true;
  } catch {
    return false;
  }
}
