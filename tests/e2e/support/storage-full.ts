/**
 * A phone whose storage is full, as the storage-full browser tests make one (Chromium's
 * `Storage.overrideQuotaForOrigin` on a profile on disk): the probe that tells when the quota
 * has taken hold, the reopening that makes it take hold, and the app's message.
 */
import type { CDPSession, Page } from '@playwright/test';
import { expect } from '@playwright/test';
import { nameBox } from './app';

/** A 1 KB write into a scratch database of the origin: what IndexedDB says about it. */
export function probeWrite(page: Page): Promise<string> {
  return page.evaluate(
    () =>
      new Promise<string>((resolve) => {
        const open = indexedDB.open('gatelog-quota-probe');
        open.onupgradeneeded = () => open.result.createObjectStore('probe');
        open.onerror = () => resolve(open.error?.name ?? 'error');
        open.onsuccess = () => {
          const tx = open.result.transaction('probe', 'readwrite');
          tx.objectStore('probe').put('x'.repeat(1024), Date.now());
          tx.oncomplete = () => (open.result.close(), resolve('ok'));
          tx.onabort = () => (open.result.close(), resolve(tx.error?.name ?? 'aborted'));
        };
      }),
  );
}

/**
 * The guard closes the app and opens it again a moment later; meanwhile the browser stops the
 * idle service worker, so nothing of the origin keeps its storage open (a new quota takes hold
 * only on storage opened anew).
 */
export async function reopen(page: Page, cdp: CDPSession, url: string): Promise<void> {
  await page.goto('about:blank');
  await cdp.send('ServiceWorker.enable');
  await cdp.send('ServiceWorker.stopAllWorkers');
  await page.waitForTimeout(4_000);
  await page.goto(url);
  await expect(nameBox(page)).toBeVisible();
}

/** The app's words for a Save refused for want of room ('error.quota', English). */
export const QUOTA_MESSAGE =
  'The phone’s storage is full: this entry was not saved. Everything saved before is still there. Free some space and try again.';
