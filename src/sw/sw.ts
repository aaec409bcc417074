/// <reference lib="webworker" />
/**
 * GateLog's service worker. It keeps the app shell on the phone so a cold start with no network
 * opens straight to the entry form (DESIGN §8), and nothing else:
 * - precaches the build (the list vite-plugin-pwa injects) and drops caches of older builds;
 * - answers navigations other than /api/ with the precached index.html;
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
import { SW_SYNC_TAG, type PageToSw, type SwToPage } from './messages';

declare const self: ServiceWorkerGlobalScope;

/** The Background Sync event; not in TypeScript's WebWorker lib yet. */
interface SyncEvent extends ExtendableEvent {
  readonly tag: string;
  readonly lastChance: boolean;
}

cleanupOutdatedCaches();
precacheAndRoute(self.__WB_MANIFEST);

registerRoute(
  new NavigationRoute(createHandlerBoundToURL('index.html'), {
    // The committee's page is the server's, never the guard's app.
    denylist: [/^\/api(\/|$)/, /^\/healthz$/, /^\/committee(\/|$)/],
  }),
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
