/**
 * The messages between the page and the service worker: the page's copy of src/sw/messages.ts
 * (the app may not import src/sw). Change both together.
 */

/** The Background Sync tag the page registers and the service worker answers. */
export const SW_SYNC_TAG = 'gatelog-sync';

export type PageToSw = { type: 'SKIP_WAITING' } | { type: 'GET_VERSION' };

export type SwToPage = { type: 'SYNC_REQUESTED' };
