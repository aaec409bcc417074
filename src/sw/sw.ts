/// <reference lib="webworker" />
/**
 * GateLog's service worker. It keeps the app shell on the phone so a cold start with no network
 * opens straight to the entry form (DESIGN §8), and nothing else:
 * - precaches the build (the list vite-plugin-pwa injects) and drops caches of older builds;
 * - answers navigations other than /api/ with the precached index.html, and opens the phone's
 *   database as it does (see openDatabaseEarly);
 * - never caches /api: records live in IndexedDB, and sync must see the real network;
 * - waits when a new version is installed until the page says `SKIP_WAITING` (the guard tapped
 *   "Update"): a silent skipWaiting could reload a half-filled form away (STYLE habit 6);
 * - turns a Background Sync `sync` event into a `SYNC_REQUESTED` message to the open pages,
 *   whose sync engine does the work; with no page open it does nothing, and the page syncs on
 *   its next start.
 */
import { clientsClaim } from 'workbox-core';
import {
  cleanupOutdatedCaches,
  createHandlerBoundToURL,
  precacheAndRoute,
} from 'workbox-precaching';
import { NavigationRoute, registerRoute } from 'workbox-routing';
import { DB_NAME, SW_SYNC_TAG, type PageToSw, type SwToPage } from './messages';

declare const self: ServiceWorkerGlobalScope;

/** The Background Sync event; not in TypeScript's WebWorker lib yet. */
interface SyncEvent extends ExtendableEvent {
  readonly tag: string;
  readonly lastChance: boolean;
}

cleanupOutdatedCaches();
precacheAndRoute(self.__WB_MANIFEST);

/** How long the connection openDatabaseEarly makes stays open: past the page's own first read. */
const EARLY_OPEN_HOLD_MS = 10_000;

/**
 * Opens the phone's database while the page it answers loads. The browser opens a database's
 * files only for its first connection, and that first open costs more the more the phone holds
 * (about 0.1–0.25 s more with 100,000 records than with none, in docs/performance.md). Begun
 * here, it runs while the page's scripts are compiled and evaluated; begun by the page, it
 * would only start once they are, and the first screen would wait for it. The connection
 * reads nothing, creates no database on a new phone, and closes when Dexie asks for a newer
 * version or a deletion, or after EARLY_OPEN_HOLD_MS.
 */
function openDatabaseEarly(): void {
  let request: IDBOpenDBRequest;
  try {
    request = indexedDB.open(DB_NAME);
  } catch {
    return; // no IndexedDB here: the page tells the guard
  }
  // A new phone: opening must not create an empty database (the page's Dexie makes it, with
  // its stores), so the upgrade an open of a missing database starts is aborted.
  request.onupgradeneeded = () => request.transaction?.abort();
  request.onsuccess = () => {
    const idb = request.result;
    idb.onversionchange = () => idb.close();
    setTimeout(() => idb.close(), EARLY_OPEN_HOLD_MS);
  };
}

const appShell = createHandlerBoundToURL('index.html');
registerRoute(
  new NavigationRoute(
    (options) => {
      openDatabaseEarly();
      return appShell(options);
    },
    {
      // The committee's page is the server's, never the guard's app.
      denylist: [/^\/api(\/|$)/, /^\/healthz$/, /^\/committee(\/|$)/],
    },
  ),
);

// Take over the open pages on the first install, so the very first visit is already offline-ready.
// On an update this runs only after the page asked for SKIP_WAITING.
clientsClaim();

self.addEventListener('message', (event: ExtendableMessageEvent) => {
  const data = event.data as PageToSw | undefined;
  if (data?.type === 'SKIP_WAITING') {
    void self.skipWaiting();
  } else if (data?.type === 'GET_VERSION') {
    // workbox-window's messageSW() listens on the port it sent.
    event.ports[0]?.postMessage(__APP_VERSION__);
  }
});

self.addEventListener('sync', (event) => {
  const e = event as SyncEvent;
  if (e.tag !== SW_SYNC_TAG) return;
  e.waitUntil(tellPagesToSync());
});

async function tellPagesToSync(): Promise<void> {
  const pages = await self.clients.matchAll({ type: 'window', includeUncontrolled: true });
  const message: SwToPage = { type: 'SYNC_REQUESTED' };
  for (const page of pages) page.postMessage(message);
}
