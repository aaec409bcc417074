/**
 * The messages between the page and the service worker, and the name of the database both open.
 * The page may not import src/sw, nor the service worker the app, so src/app/pwa/sw-messages.ts
 * and src/app/db/constants.ts hold the same definitions: change both together
 * (tests/unit/sw-copies.test.ts checks they agree).
 */

/**
 * The phone's database, which the service worker opens as a navigation comes in (sw.ts); the
 * page's name for it is DB_NAME in src/app/db/constants.ts.
 */
export const DB_NAME = 'gatelog';

/** The Background Sync tag the page registers and the service worker answers. */
export const SW_SYNC_TAG = 'gatelog-sync';

export type PageToSw = { type: 'SKIP_WAITING' } | { type: 'GET_VERSION' };

export type SwToPage = { type: 'SYNC_REQUESTED' };
