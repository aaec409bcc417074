/**
 * The service worker's own jobs (src/sw/sw.ts), seen from the page: navigation fallback but
 * never for the API, the Background Sync wake-up relayed to the page, and its build version.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { openApp, waitForServiceWorker } from './support/app';
import { expect, test } from './support/fixtures';
import { PROJECT_ROOT } from './support/server';
import { LAN_HOST } from './support/lan-host';
import { expectAccessible } from './support/axe';

const { version } = JSON.parse(readFileSync(join(PROJECT_ROOT, 'package.json'), 'utf8')) as {
  version: string;
};

test('offline, any app address opens the app, but /api is never answered from the cache', async ({
  page,
  context,
  server,
}) => {
  await openApp(page);
  await waitForServiceWorker(page);
  await context.setOffline(true);
  server.setOffline(true);

  await page.goto('/somewhere/deep?lang=en');
  await expect(page.getByRole('button', { name: 'Start shift' })).toBeVisible();

  await expect(page.goto('/api/v1/device/config')).rejects.toThrow();
});

test('a Background Sync wake-up reaches the open page as SYNC_REQUESTED', async ({ page }) => {
  await openApp(page);
  await waitForServiceWorker(page);
  const messages = await page.evaluate(async () => {
    const seen: unknown[] = [];
    navigator.serviceWorker.addEventListener('message', (e) => seen.push(e.data));
    const reg = (await navigator.serviceWorker.ready) as ServiceWorkerRegistration & {
      sync: { register(tag: string): Promise<void> };
    };
    await reg.sync.register('gatelog-sync');
    // Online, Chromium fires the sync event right away.
    for (let i = 0; i < 50 && seen.length === 0; i++) await new Promise((r) => setTimeout(r, 100));
    return seen;
  });
  expect(messages).toContainEqual({ type: 'SYNC_REQUESTED' });
});

test('tells the page which build it is', async ({ page }) => {
  await openApp(page);
  await waitForServiceWorker(page);
  const answer = await page.evaluate(
    () =>
      new Promise<unknown>((resolve) => {
        const channel = new MessageChannel();
        channel.port1.onmessage = (e) => resolve(e.data);
        navigator.serviceWorker.controller!.postMessage({ type: 'GET_VERSION' }, [channel.port2]);
      }),
  );
  expect(answer).toBe(version);
});

test('on a plain-http address that is not localhost, the phone is told it will not open offline', async ({
  page,
  server,
}) => {
  const lan = new URL(server.url);
  lan.hostname = LAN_HOST;
  await page.goto(`${lan.origin}/?lang=en`);
  const notice = page.getByRole('region', {
    name: 'Not a secure (https) address: it will not open offline',
  });
  await expect(notice).toContainText(`${lan.host} is not an https address`);
  // Chromium's own reason: no service worker, so no offline start and no install, there.
  expect(await page.evaluate(() => [window.isSecureContext, 'serviceWorker' in navigator])).toEqual(
    [false, false],
  );
  await expectAccessible(page, 'the plain-http notice');

  // At the server's own loopback address (a secure context) nothing of the kind is said.
  await openApp(page);
  await waitForServiceWorker(page);
  await expect(page.getByRole('region', { name: /^Not a secure/ })).toHaveCount(0);
});

test('opens the phone database as a navigation comes in, and steps aside for an upgrade', async ({
  page,
}) => {
  await openApp(page);
  await waitForServiceWorker(page);
  // This start is answered by the service worker, which opens the database as it does and
  // holds that connection for a few seconds.
  await page.reload();
  await expect(page.getByRole('button', { name: 'Start shift' })).toBeVisible();
  // A newer version of the app opens the database at a newer version: every other connection
  // (the page's own, the service worker's) must close, or the upgrade waits ("blocked").
  const outcome = await page.evaluate(async () => {
    const version = await new Promise<number>((resolve) => {
      const open = indexedDB.open('gatelog');
      open.onsuccess = () => {
        open.result.close();
        resolve(open.result.version);
      };
    });
    return new Promise<string>((resolve) => {
      const open = indexedDB.open('gatelog', version + 1);
      open.onblocked = () => resolve('blocked');
      open.onerror = () => resolve(`failed: ${open.error?.name}`);
      open.onsuccess = () => {
        open.result.close();
        resolve('upgraded');
      };
    });
  });
  expect(outcome).toBe('upgraded');
});
