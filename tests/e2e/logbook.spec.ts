/**
 * The logbook at a busy gate, in the built app: shown, then left for the entry form, it is kept
 * rendered hidden (kept-logbook.tsx) but lets go of the thousands of rows it showed once its
 * newest rows were read again: the phone does not carry them while the guard logs people.
 */
import { inPage, seedInPage } from '../bench/support/seed';
import { expect, test } from './support/fixtures';
import { nameBox, openApp, startShift } from './support/app';
import { objectsWithProperty } from './support/heap';

const TODAY = 3_000;

test('a logbook shown and then hidden lets go of the rows it showed', async ({ page }) => {
  await openApp(page);
  await startShift(page, 'Wang Wei');
  await inPage(page, seedInPage, {
    total: TODAY,
    today: TODAY,
    pending: 0,
    people: 500,
    perShift: TODAY,
  });
  await page.reload();
  await expect(nameBox(page)).toBeVisible();

  // A logbook row (log-store.ts's LogRow) is the one object with a `haystack` of its own.
  const rows = () => objectsWithProperty(page, 'haystack');
  await page.getByRole('link', { name: 'Logbook' }).click();
  const list = page.getByRole('list', { name: 'Entries' });
  await expect(list).toHaveAttribute('aria-busy', 'false', { timeout: 30_000 });
  expect(await rows()).toBeGreaterThanOrEqual(TODAY);

  await page.getByRole('link', { name: 'Checkpoint' }).click();
  await expect(nameBox(page)).toBeVisible();
  // Hidden, its newest rows are read again once the page is idle; then it holds those alone
  // (and the few its unchanged rows' buttons still refer to).
  await expect.poll(rows, { timeout: 20_000, intervals: [1_000] }).toBeLessThan(200);
  await expect(page.locator('section.logbook')).toBeHidden();
});
