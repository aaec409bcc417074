/**
 * The logbook at a busy gate, in the built app: shown, then left for the entry form, it is kept
 * rendered hidden (kept-logbook.tsx) but lets go of the thousands of rows it showed once its
 * newest rows were read again: the phone does not carry them while the guard logs people.
 */
import { inPage, seedInPage } from '../bench/support/seed';
import type { Page } from '@playwright/test';
import { expect, test } from './support/fixtures';
import { logEntry, nameBox, openApp, startShift } from './support/app';
import { objectsWithProperty } from './support/heap';

const TODAY = 3_000;

/** The entry sheet, and how a test opens an entry's correction and reads its fields. */
function corrections(page: Page) {
  const entries = page.getByRole('list', { name: 'Entries' });
  const sheet = page.getByRole('dialog');
  return {
    sheet,
    /** Opens the logbook and the correction of the entry named `name`. */
    correct: async (name: string) => {
      await page.getByRole('link', { name: 'Logbook' }).click();
      if (!(await sheet.isVisible())) await entries.getByRole('button', { name }).first().click();
      await expect(sheet).toHaveAccessibleName('Entry details');
      await sheet.getByRole('button', { name: 'Correct', exact: true }).click();
      await expect(sheet).toHaveAccessibleName('Correct this entry');
    },
    field: (name: string) => sheet.getByRole('textbox', { name, exact: true }),
  };
}

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

test('a correction typed and left by Back is there again when that entry is corrected, until saved or cancelled', async ({
  page,
}) => {
  await openApp(page);
  await startShift(page, 'Wang Wei');
  await logEntry(page, { direction: 'in', name: 'Li Lei', temperature: '36.5' });
  await logEntry(page, { direction: 'in', name: 'Han Meimei', temperature: '36.6' });
  const { sheet, correct, field } = corrections(page);

  await correct('Li Lei');
  await field('Name').fill('Li Leilei');
  await field('Note').fill('Spelled as on the card');
  // The phone's Back leaves the logbook, and the sheet with it.
  await page.goBack();
  await expect(nameBox(page)).toBeVisible();
  await expect(sheet).toBeHidden();

  // Another entry's correction starts from that entry.
  await page.getByRole('link', { name: 'Logbook' }).click();
  if (await sheet.isVisible()) await sheet.getByRole('button', { name: 'Back' }).click();
  await correct('Han Meimei');
  await expect(field('Name')).toHaveValue('Han Meimei');
  await sheet.getByRole('button', { name: 'Cancel' }).click();
  await sheet.getByRole('button', { name: 'Back' }).click();

  await correct('Li Lei');
  await expect(field('Name')).toHaveValue('Li Leilei');
  await expect(field('Note')).toHaveValue('Spelled as on the card');
  // Kept over a reload of the tab too.
  await page.reload();
  await correct('Li Lei');
  await expect(field('Name')).toHaveValue('Li Leilei');

  // Cancelled, it is gone.
  await sheet.getByRole('button', { name: 'Cancel' }).click();
  await sheet.getByRole('button', { name: 'Correct', exact: true }).click();
  await expect(field('Name')).toHaveValue('Li Lei');
  await expect(field('Note')).toHaveValue('');

  // Saved, it is gone too: the entry's next correction starts from it again.
  await field('Name').fill('Li Lei (2)');
  await page.goBack();
  await correct('Li Lei');
  await expect(field('Name')).toHaveValue('Li Lei (2)');
  await sheet.getByRole('button', { name: 'Save correction' }).click();
  await expect(page.getByText('Correction saved')).toBeVisible();
  expect(
    await page.evaluate(() =>
      Object.keys(sessionStorage).filter((k) => k.startsWith('gatelog.correction.')),
    ),
  ).toEqual([]);
});

test('a correction left half-typed when the shift ends is offered in the next shift as begun in the last one, and Cancel discards it', async ({
  page,
}) => {
  await openApp(page);
  await startShift(page, 'Wang Wei');
  await logEntry(page, { direction: 'in', name: 'Li Lei', temperature: '36.5' });
  const { sheet, correct, field } = corrections(page);

  await correct('Li Lei');
  await field('Name').fill('Li Leilei');
  await page.goBack();
  await expect(sheet).toBeHidden();

  await page.getByRole('link', { name: 'End shift' }).click();
  await page.getByRole('button', { name: 'End shift' }).click();
  await page.getByRole('button', { name: 'End shift' }).last().click();
  await page.getByRole('link', { name: 'Start the next shift' }).click();
  await startShift(page, 'Zhao Min');

  // Li Lei came in during the last shift: today's entries list him. What was typed is kept, and
  // said to be the last shift's, not the next guard's to save unawares.
  await page.getByRole('link', { name: 'Logbook' }).click();
  await page.getByRole('button', { name: 'Today' }).click();
  await correct('Li Lei');
  await expect(field('Name')).toHaveValue('Li Leilei');
  await expect(sheet.getByRole('status')).toContainText(
    'This correction was begun in the shift of Wang Wei and never saved.',
  );

  await sheet.getByRole('button', { name: 'Cancel' }).click();
  expect(
    await page.evaluate(() =>
      Object.keys(sessionStorage).filter((k) => k.startsWith('gatelog.correction.')),
    ),
  ).toEqual([]);
  await sheet.getByRole('button', { name: 'Correct', exact: true }).click();
  await expect(field('Name')).toHaveValue('Li Lei');
  await expect(sheet.getByRole('status')).toHaveCount(0);
});
