/**
 * The service worker and the page may not import each other, so each keeps its own copy of what
 * they share (src/sw/messages.ts): the copies must agree.
 */
import { describe, expect, it } from 'vitest';
import { DB_NAME } from '../../src/app/db/constants';
import { SW_SYNC_TAG } from '../../src/app/pwa/sw-messages';
import * as sw from '../../src/sw/messages';

describe("the service worker's copies of the page's names", () => {
  it('opens the database the page opens', () => {
    expect(sw.DB_NAME).toBe(DB_NAME);
  });

  it('answers the Background Sync tag the page registers', () => {
    expect(sw.SW_SYNC_TAG).toBe(SW_SYNC_TAG);
  });
});
