/**
 * DESIGN §2: one-thumb entry. The entry form is taller than a phone's screen; its Save button
 * stays on screen above the tab bar wherever the form is scrolled, and the confirmation of the
 * last save never covers it, so the next person can be saved at once, from the form's top. Undo
 * puts the entry back in the form, where a reload or the app opened again finds it.
 */
import type { BrowserContext, Locator, Page } from '@playwright/test';
import { nameBox, openApp, startShift } from './support/app';
import { expectAccessible } from './support/axe';
import { expect, test } from './support/fixtures';
import { phoneRecords } from './support/phone';

/** End shift, its confirmation, and the end of shift shown, in this tab. */
async function endShiftHere(page: Page): Promise<void> {
  await page.getByRole('link', { name: 'End shift' }).click();
  await page.getByRole('button', { name: 'End shift' }).click();
  await page.getByRole('button', { name: 'End shift' }).click();
  await expect(page.getByRole('heading', { name: 'Shift ended' })).toBeVisible();
}

/**
 * A shift of Wang Wei started in `page`, and a second tab of the app with `name` and a temperature
 * typed on its entry form, not saved: that tab.
 */
async function secondTabTyping(page: Page, context: BrowserContext, name: string): Promise<Page> {
  await openApp(page);
  await startShift(page, 'Wang Wei');
  const other = await context.newPage();
  await openApp(other);
  await expect(nameBox(other)).toBeVisible();
  await nameBox(other).fill(name);
  await other.getByRole('textbox', { name: 'Temperature', exact: true }).fill('36.6');
  return other;
}

/**
 * secondTabTyping's tab with Li Lie saved there, then Zhao Liu typed and Undo tapped: its question
 * open, holding Li Lie's entry back.
 */
async function undoAskedInSecondTab(page: Page, context: BrowserContext) {
  const other = await secondTabTyping(page, context, 'Li Lie');
  await other.getByRole('button', { name: 'Save', exact: true }).click();
  const undo = other.getByRole('button', { name: 'Undo', exact: true });
  await expect(undo).toBeVisible();
  await nameBox(other).fill('Zhao Liu');
  await undo.click();
  const question = other.getByRole('alertdialog', {
    name: 'Replace what you typed with the entry of Li Lie?',
  });
  await expect(question).toBeVisible();
  return { other, question };
}

async function box(locator: Locator) {
  const b = await locator.boundingBox();
  if (!b) throw new Error('not laid out');
  return b;
}

const overlaps = (a: { y: number; height: number }, b: { y: number; height: number }): boolean =>
  a.y < b.y + b.height && b.y < a.y + a.height;

test('Save is on screen, above the tab bar, and its confirmation over neither it nor the form, wherever the form is scrolled', async ({
  page,
}) => {
  await openApp(page);
  await startShift(page, 'Wang Wei');
  const save = page.getByRole('button', { name: 'Save', exact: true });
  const tabs = page.getByRole('navigation');
  // The form is taller than the screen, Save is not at its end of the page but on screen.
  expect(await page.evaluate(() => document.documentElement.scrollHeight)).toBeGreaterThan(
    page.viewportSize()!.height * 1.5,
  );
  await expect(save).toBeInViewport({ ratio: 1 });
  expect(overlaps(await box(save), await box(tabs))).toBe(false);

  await nameBox(page).fill('Li Lei');
  await page.getByRole('textbox', { name: 'Temperature', exact: true }).fill('36.6');
  await save.click();
  const toast = page.getByText('Saved: Li Lei');
  await expect(toast).toBeVisible();

  for (const where of ['top', 'end'] as const) {
    await page.evaluate((to) => {
      window.scrollTo(0, to === 'top' ? 0 : document.documentElement.scrollHeight);
    }, where);
    await expect(save).toBeInViewport({ ratio: 1 });
    expect(overlaps(await box(save), await box(tabs))).toBe(false);
    expect(overlaps(await box(save), await box(toast))).toBe(false);
  }
  // Nor over the form where the next person is entered: an Undo under the thumb there took the
  // last entry back when the guard meant to pick a category.
  await page.evaluate(() => window.scrollTo(0, 0));
  for (const control of [
    page.getByRole('radio', { name: 'In', exact: true }),
    nameBox(page),
    page.getByRole('radio', { name: 'Other', exact: true }),
    page.getByRole('radio', { name: 'Staff', exact: true }),
  ]) {
    expect(overlaps(await box(control), await box(toast))).toBe(false);
  }

  // The next person, saved with a tap while the confirmation still shows.
  await nameBox(page).fill('Han Meimei');
  await page.getByRole('textbox', { name: 'Temperature', exact: true }).fill('36.4');
  await save.click({ trial: true, timeout: 2_000 });
  await save.click();
  await expect(page.getByText('Saved: Han Meimei')).toBeVisible();
});

test('after a save from far down the form, the next person starts at its top', async ({ page }) => {
  await openApp(page);
  await startShift(page, 'Wang Wei');
  await nameBox(page).fill('Han Meimei');
  await page.getByRole('textbox', { name: 'Temperature', exact: true }).fill('36.5');
  await page.getByRole('textbox', { name: 'Note', exact: true }).fill('Delivers for building 3');
  await expect(nameBox(page)).not.toBeInViewport();

  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(page.getByText('Saved: Han Meimei')).toBeVisible();
  await expect(nameBox(page)).toHaveValue('');
  await expect(page.getByRole('radio', { name: 'In', exact: true })).toBeInViewport({ ratio: 1 });
  await expect(nameBox(page)).toBeInViewport({ ratio: 1 });
});

test('a shift ended in another tab shows in this one at once; the entry typed here waits for the next shift', async ({
  page,
  context,
}) => {
  // Half-typed in the other tab, not saved.
  const other = await secondTabTyping(page, context, 'Feng Bo');

  await endShiftHere(page);

  // The other tab, untouched, now asks for a shift and says why, naming the entry it keeps.
  await expect(other.getByRole('button', { name: 'Start shift' })).toBeVisible();
  await expect(nameBox(other)).toHaveCount(0);
  await expect(other.getByText('An entry (Feng Bo) was not saved')).toBeVisible();
  expect(await phoneRecords(other)).toEqual([]);

  await startShift(other, 'Lin Na');
  await expect(nameBox(other)).toHaveValue('Feng Bo');
  await other.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(other.getByText('Saved: Feng Bo')).toBeVisible();
  // Saved once, with the new shift; the first tab shows the new shift too.
  const saved = await phoneRecords(other);
  expect(saved.map((r) => r.name)).toEqual(['Feng Bo']);
  await page.getByRole('link', { name: 'Checkpoint' }).click();
  await expect(nameBox(page)).toBeVisible();
  await expect(page.getByRole('banner')).toContainText('Lin Na');
});

test('a tab on End shift when another tab ends the shift says it was ended there', async ({
  page,
  context,
}) => {
  await openApp(page);
  await startShift(page, 'Wang Wei');
  await page.getByRole('link', { name: 'End shift' }).click();
  await expect(page.getByRole('button', { name: 'End shift' })).toBeVisible();
  const other = await context.newPage();
  await openApp(other);
  await endShiftHere(other);
  await expect(other.getByText(/was ended in another tab/)).toHaveCount(0);

  await expect(page.getByRole('heading', { name: 'Shift ended' })).toBeVisible();
  // (The kept logbook, hidden, says it too.)
  await expect(page.getByRole('alert')).toHaveText(
    'The shift of Wang Wei was ended in another tab of the app.',
  );
});

test('End shift names the entry an Undo question holds in another tab; ended, the entry stays saved and the question is gone', async ({
  page,
  context,
}) => {
  const { other, question } = await undoAskedInSecondTab(page, context);

  await page.getByRole('link', { name: 'End shift' }).click();
  await page.getByRole('button', { name: 'End shift' }).click();
  await expect(
    page.getByText(
      'Another tab of the app is asking whether to undo the entry of Li Lie. Ending the shift keeps it saved and sends it; to undo it, answer there first.',
    ),
  ).toBeVisible();
  await page.getByRole('button', { name: 'End shift' }).click();
  await expect(page.getByRole('heading', { name: 'Shift ended' })).toBeVisible();

  // The other tab's question went with its form; the entry is saved once, no longer undoable.
  await expect(question).toBeHidden();
  await expect(other.getByRole('button', { name: 'Start shift' })).toBeVisible();
  const records = await phoneRecords(other);
  expect(records.map((r) => r.name)).toEqual(['Li Lie']);
});

// A tab gone with its question open (closed, or killed with the browser's app): nothing in it
// lets the entry go, so the hold it renewed while open lapses by itself.
test('End shift stops naming the Undo question of a tab gone with it open within seconds', async ({
  page,
  context,
}) => {
  const { other } = await undoAskedInSecondTab(page, context);

  await page.getByRole('link', { name: 'End shift' }).click();
  await page.getByRole('button', { name: 'End shift' }).click();
  const asking = page.getByText(
    'Another tab of the app is asking whether to undo the entry of Li Lie.',
    { exact: false },
  );
  await expect(asking).toBeVisible();
  // Still asking while that tab is open, past a hold's first lease.
  await page.waitForTimeout(12_000);
  await expect(asking).toBeVisible();

  // Gone without a word: no unmount lets the entry go.
  await other.close({ runBeforeUnload: false });
  const gone = Date.now();
  await expect(asking).toBeHidden({ timeout: 15_000 });
  expect(Date.now() - gone).toBeLessThan(8_000);
});

test('a correction half-typed in a tab whose shift another tab ends stays, says why it cannot be saved, and in the next shift whose shift it was begun in', async ({
  page,
  context,
}) => {
  await openApp(page);
  await startShift(page, 'Wang Wei');
  await nameBox(page).fill('Li Lei');
  await page.getByRole('textbox', { name: 'Temperature', exact: true }).fill('36.6');
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(page.getByText('Saved: Li Lei')).toBeVisible();
  await page.getByRole('link', { name: 'Logbook' }).click();
  await page.getByRole('button', { name: /Li Lei/ }).click();
  await page.getByRole('button', { name: 'Correct', exact: true }).click();
  const correction = page.getByRole('form', { name: 'Correct this entry' });
  await correction.getByRole('textbox', { name: 'Name', exact: true }).fill('Li Lai');

  const other = await context.newPage();
  await openApp(other);
  await endShiftHere(other);

  await expect(correction.getByRole('alert')).toHaveText(
    'The shift has ended: this correction cannot be saved now. What you typed stays here; start a new shift, then save it.',
  );
  await expect(correction.getByRole('button', { name: 'Save correction' })).toHaveCount(0);
  await expect(correction.getByRole('textbox', { name: 'Name', exact: true })).toHaveValue(
    'Li Lai',
  );
  expect((await phoneRecords(page)).map((r) => r.name)).toEqual(['Li Lei']);

  // The next guard starts a shift in the other tab: the correction is offered here, saying whose
  // shift it was begun in, and saves as this shift's.
  await other.getByRole('link', { name: 'Start the next shift' }).click();
  await startShift(other, 'Lin Na');
  await expect(correction.getByRole('status')).toContainText(
    'This correction was begun in the shift of Wang Wei and never saved.',
  );
  await correction.getByRole('button', { name: 'Save correction' }).click();
  await expect(page.getByText('Correction saved')).toBeVisible();
  expect((await phoneRecords(page)).map((r) => r.name).sort()).toEqual(['Li Lai', 'Li Lei']);
});

test('what was typed just before a reload is still there, and another tab’s Save does not clear it', async ({
  page,
  context,
}) => {
  await openApp(page);
  await startShift(page, 'Wang Wei');
  const other = await context.newPage();
  await openApp(other);
  await expect(nameBox(other)).toBeVisible();

  // Reloaded at once: the stored draft's write (after 300 ms, or on pagehide) has no time to end.
  await nameBox(page).fill('Zhou Jiu');
  await page.reload();
  await expect(nameBox(page)).toHaveValue('Zhou Jiu');

  // The other tab saves its own entry; this tab's half-filled one stays through a reload.
  await nameBox(other).fill('Feng Bo');
  await other.getByRole('textbox', { name: 'Temperature', exact: true }).fill('36.6');
  await other.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(other.getByText('Saved: Feng Bo')).toBeVisible();
  await page.reload();
  await expect(nameBox(page)).toHaveValue('Zhou Jiu');

  // Saved here, it is gone from this tab after a reload at once, and saved once.
  await page.getByRole('textbox', { name: 'Temperature', exact: true }).fill('36.5');
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(page.getByText('Saved: Zhou Jiu')).toBeVisible();
  await page.reload();
  await expect(nameBox(page)).toBeVisible();
  await expect(nameBox(page)).toHaveValue('');
  expect((await phoneRecords(page)).map((r) => r.name).sort()).toEqual(['Feng Bo', 'Zhou Jiu']);
});

test('Undo puts the entry back in the form to fix: a reload at once, or the app opened again, finds it there until it is saved', async ({
  page,
  context,
}) => {
  await openApp(page);
  await startShift(page, 'Wang Wei');
  const temperature = (p: typeof page) =>
    p.getByRole('textbox', { name: 'Temperature', exact: true });
  await nameBox(page).fill('Li Lie');
  await temperature(page).fill('36.6');
  await page.getByRole('textbox', { name: 'Note', exact: true }).fill('Visits building 3');
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await page.getByRole('button', { name: 'Undo', exact: true }).click();
  await expect(
    page.getByText('Undone: the entry is back in the form to fix and save again'),
  ).toBeVisible();
  await expect(nameBox(page)).toHaveValue('Li Lie');
  await expect(nameBox(page)).toBeFocused();
  expect(await phoneRecords(page)).toEqual([]);

  // Reloaded at once: the form's own draft-keeping has had no time to write anything.
  await page.reload();
  await expect(nameBox(page)).toHaveValue('Li Lie');
  await expect(temperature(page)).toHaveValue('36.6');
  // Opened again (a new tab has no copy of this tab's draft): the stored draft holds it.
  await page.close();
  const again = await context.newPage();
  await openApp(again);
  await expect(nameBox(again)).toHaveValue('Li Lie');
  await expect(again.getByRole('textbox', { name: 'Note', exact: true })).toHaveValue(
    'Visits building 3',
  );

  await nameBox(again).fill('Li Lei');
  await again.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(again.getByText('Saved: Li Lei')).toBeVisible();
  expect((await phoneRecords(again)).map((r) => r.name)).toEqual(['Li Lei']);
});

test('Undo once the next person is begun asks first: Keep typing keeps both, Undo and replace (even past the undo window) puts the entry back, kept over a reload', async ({
  page,
}) => {
  await openApp(page);
  await startShift(page, 'Wang Wei');
  const save = page.getByRole('button', { name: 'Save', exact: true });
  const note = page.getByRole('textbox', { name: 'Note', exact: true });
  const question = page.getByRole('alertdialog', {
    name: 'Replace what you typed with the entry of Li Lie?',
  });
  const saveAndBeginNext = async () => {
    await nameBox(page).fill('Li Lie');
    await page.getByRole('textbox', { name: 'Temperature', exact: true }).fill('36.6');
    await save.click();
    const undo = page.getByRole('button', { name: 'Undo', exact: true });
    await expect(undo).toBeVisible();
    await nameBox(page).fill('Zhao Liu');
    await note.fill('Visits building 3');
    await undo.click();
    await expect(question).toBeVisible();
  };

  await saveAndBeginNext();
  const keep = question.getByRole('button', { name: 'Keep typing' });
  await expect(keep).toBeFocused();
  await expectAccessible(page, 'the undo question');
  // A modal question: Tab goes round its two answers, not out to the form behind.
  await page.keyboard.press('Tab');
  await expect(question.getByRole('button', { name: 'Undo and replace' })).toBeFocused();
  await page.keyboard.press('Tab');
  await expect(keep).toBeFocused();
  await keep.click();
  await expect(question).toBeHidden();
  await expect(nameBox(page)).toHaveValue('Zhao Liu');
  await expect(nameBox(page)).toBeFocused();
  await expect(note).toHaveValue('Visits building 3');
  expect((await phoneRecords(page)).map((r) => r.name)).toEqual(['Li Lie']);

  // The next person saved as typed; then the same again, answered the other way.
  await page.getByRole('textbox', { name: 'Temperature', exact: true }).fill('36.4');
  await save.click();
  await expect(page.getByText('Saved: Zhao Liu')).toBeVisible();
  await saveAndBeginNext();
  // Read slowly, past the 5 s undo window: the entry was held back meanwhile, still undoable.
  await page.waitForTimeout(6_000);
  await question.getByRole('button', { name: 'Undo and replace' }).click();
  await expect(
    page.getByText('Undone: the entry is back in the form to fix and save again'),
  ).toBeVisible();
  await expect(nameBox(page)).toHaveValue('Li Lie');
  await expect(note).toHaveValue('');
  expect((await phoneRecords(page)).map((r) => r.name).sort()).toEqual(['Li Lie', 'Zhao Liu']);
  // Reloaded at once: the stored draft (written with the undo) holds the entry undone.
  await page.reload();
  await expect(nameBox(page)).toHaveValue('Li Lie');
});
