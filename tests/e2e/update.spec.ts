/**
 * DESIGN §8: a new version is offered, never forced, and accepting it does not lose the
 * half-filled entry form. The "new version" is the same build with a changed sw.js (a byte
 * changes, so the browser installs it as a new worker) — one build instead of two.
 */
import type { Page } from '@playwright/test';
import { nameBox, openApp, startShift, waitForServiceWorker } from './support/app';
import { expect, test } from './support/fixtures';

/** The next version: the same worker, plus an answer that tells it apart from the current one. */
const NEXT_WORKER_CODE = `
self.addEventListener('message', (e) => {
  if (e.data && e.data.type === 'E2E_WHICH') e.ports[0].postMessage('next');
});
`;
const withNextVersion = (body: string) => `${body}\n${NEXT_WORKER_CODE}`;

/** Which worker controls the page: 'next' for the new version, null for the first one. */
function controllingVersion(page: Page): Promise<string | null> {
  return page.evaluate(async () => {
    const sw = navigator.serviceWorker.controller;
    if (!sw) return 'none';
    const channel = new MessageChannel();
    const answer = new Promise<string>((resolve) => {
      channel.port1.onmessage = (e) => resolve(String(e.data));
    });
    sw.postMessage({ type: 'E2E_WHICH' }, [channel.port2]);
    return Promise.race([answer, new Promise<null>((r) => setTimeout(() => r(null), 1_000))]);
  });
}

test('a waiting new version is offered, and a half-filled form survives the update', async ({
  page,
  server,
}) => {
  await openApp(page);
  await waitForServiceWorker(page);
  const firstWorker = await page.evaluate(() => navigator.serviceWorker.controller!.scriptURL);
  expect(firstWorker).toMatch(/\/sw\.js$/);

  await startShift(page, 'Li Na');
  // A returnee from a city that is no key region: the section's own fields hold what was typed.
  await page.getByRole('radio', { name: 'Another city' }).check();
  await page.getByRole('textbox', { name: 'From' }).fill('江苏南京');
  await nameBox(page).fill('Zhang San');

  // The server now has a new version; the app finds it and offers it, without applying it.
  server.override('/sw.js', withNextVersion);
  await page.evaluate(async () => {
    const reg = await navigator.serviceWorker.getRegistration();
    await reg!.update();
  });
  const banner = page.getByRole('region', { name: 'A new version is ready' });
  await expect(banner).toBeVisible();
  await expect(banner.getByRole('button', { name: 'Later' })).toBeVisible();
  // Not over Save: the guard goes on with the queue and answers it later.
  const save = await page.getByRole('button', { name: 'Save', exact: true }).boundingBox();
  const over = await banner.boundingBox();
  expect(over!.y + over!.height <= save!.y || save!.y + save!.height <= over!.y).toBe(true);
  // Offered, not forced: the old worker still controls the page and the form is untouched.
  expect(await controllingVersion(page)).toBeNull();
  await expect(nameBox(page)).toHaveValue('Zhang San');

  // Type a little more right before accepting: the draft save is still pending (debounced).
  await nameBox(page).pressSequentially(' Feng');
  const reloaded = page.waitForEvent('load');
  await banner.getByRole('button', { name: 'Update' }).click();
  await reloaded;

  // The page runs under the new worker, with the form as the guard left it.
  await waitForServiceWorker(page);
  await expect
    .poll(() =>
      page.evaluate(async () => {
        const reg = await navigator.serviceWorker.getRegistration();
        return { waiting: !!reg?.waiting, controlled: !!navigator.serviceWorker.controller };
      }),
    )
    .toEqual({ waiting: false, controlled: true });
  expect(await controllingVersion(page)).toBe('next');
  await expect(nameBox(page)).toHaveValue('Zhang San Feng');
  await expect(page.getByRole('radio', { name: 'Another city' })).toBeChecked();
  await expect(page.getByRole('textbox', { name: 'From' })).toHaveValue('江苏南京');
  await expect(page.getByRole('region', { name: 'A new version is ready' })).toBeHidden();
});

test('"Later" keeps the current version and hides the offer', async ({ page, server }) => {
  await openApp(page);
  await waitForServiceWorker(page);
  server.override('/sw.js', withNextVersion);
  await page.evaluate(async () => (await navigator.serviceWorker.getRegistration())!.update());
  const banner = page.getByRole('region', { name: 'A new version is ready' });
  await expect(banner).toBeVisible();
  await banner.getByRole('button', { name: 'Later' }).click();
  await expect(banner).toBeHidden();
  // Still waiting, not activated: nothing was forced.
  expect(await controllingVersion(page)).toBeNull();
  expect(
    await page.evaluate(async () => !!(await navigator.serviceWorker.getRegistration())?.waiting),
  ).toBe(true);
});
