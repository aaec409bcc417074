/**
 * The logbook at a busy gate, in the built app: shown, then left for the entry form, it is kept
 * rendered hidden (kept-logbook.tsx) but lets go of the thousands of rows it showed once its
 * newest rows were read again: the phone does not carry them while the guard logs people.
 */
import { inPage, seedInPage } from '../bench/support/seed';
import type { Page } from '@playwright/test';
import { expect, test } from './support/fixtures';
import { logEntry, nameBox, openApp, startShift } from './support/app';
import { box, onTop, overlaps } from './support/boxes';
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

const SAVED_WORDS = {
  en: {
    logbook: 'Logbook',
    checkpoint: 'Checkpoint',
    correct: 'Correct',
    name: 'Name',
    save: 'Save correction',
    saved: 'Correction saved',
    back: 'Back',
  },
  'zh-CN': {
    logbook: '登记簿',
    checkpoint: '登记',
    correct: '更正',
    name: '姓名',
    save: '保存更正',
    saved: '更正已保存',
    back: '返回',
  },
} as const;

for (const lang of ['en', 'zh-CN'] as const) {
  test(`after "Correction saved" the tab bar's links are on screen and take a tap at once (${lang})`, async ({
    page,
  }) => {
    const w = SAVED_WORDS[lang];
    await page.setViewportSize({ width: 360, height: 740 });
    await openApp(page);
    await startShift(page, 'Wang Wei');
    await logEntry(page, { direction: 'in', name: 'Li Lei', temperature: '36.5' });
    await page.goto(`/?lang=${lang}`);
    const nav = page.getByRole('navigation');
    const links = nav.getByRole('link');
    await nav.getByRole('link', { name: w.logbook, exact: true }).click();
    await page
      .getByRole('list')
      .getByRole('button', { name: /Li Lei/ })
      .click();
    // The entry's sheet, before a correction: a modal layer over the whole screen, the tab bar
    // under it (Back leaves it); after one, it sits the same.
    const sheet = page.getByRole('dialog');
    await expect(sheet.getByRole('button', { name: w.correct, exact: true })).toBeVisible();
    const before = await box(sheet);
    expect(before).toEqual({ x: 0, y: 0, width: 360, height: 740 });
    await sheet.getByRole('button', { name: w.correct, exact: true }).click();
    await sheet.getByRole('textbox', { name: w.name, exact: true }).fill('Li Leilei');
    await sheet.getByRole('button', { name: w.save }).click();
    const saved = page.getByText(w.saved);
    await expect(saved).toBeVisible();
    expect(await box(sheet)).toEqual(before);

    // Back at the list while "Correction saved" still shows: every tab whole on screen, nothing
    // over it, and the entry form a tap away.
    await sheet.getByRole('button', { name: w.back, exact: true }).click();
    await expect(sheet).toBeHidden();
    await expect(saved).toBeVisible();
    const savedBox = await box(saved);
    await expect(links).toHaveCount(4);
    for (const link of await links.all()) {
      const b = await box(link);
      const words = await link.innerText();
      expect(b.y, words).toBeGreaterThanOrEqual(0);
      expect(b.y + b.height, words).toBeLessThanOrEqual(740);
      expect(overlaps(b, savedBox), words).toBe(false);
      expect(await onTop(link), words).toBe(true);
    }
    await nav.getByRole('link', { name: w.checkpoint, exact: true }).click({ timeout: 1_000 });
    await expect(page.getByRole('textbox', { name: w.name, exact: true })).toBeVisible();
  });
}
