/**
 * A tab gone with an Undo question open (closed, or killed with the browser's app): nothing in it
 * lets its entry go, so the hold it renewed while open lapses by itself, and End shift in another
 * tab stops saying that tab is asking within seconds, not after the question's 30 s.
 */
import { nameBox, openApp, startShift } from './support/app';
import { expect, test } from './support/fixtures';

test('End shift stops naming the Undo question of a tab gone with it open within seconds', async ({
  page,
  context,
}) => {
  await openApp(page);
  await startShift(page, 'Wang Wei');
  const other = await context.newPage();
  await openApp(other);
  await expect(nameBox(other)).toBeVisible();
  await nameBox(other).fill('Li Lie');
  await other.getByRole('textbox', { name: 'Temperature', exact: true }).fill('36.6');
  await other.getByRole('button', { name: 'Save', exact: true }).click();
  const undo = other.getByRole('button', { name: 'Undo', exact: true });
  await expect(undo).toBeVisible();
  await nameBox(other).fill('Zhao Liu');
  await undo.click();
  await expect(
    other.getByRole('alertdialog', { name: 'Replace what you typed with the entry of Li Lie?' }),
  ).toBeVisible();

  await page.getByRole('link', { name: 'End shift' }).click();
  await page.getByRole('button', { name: 'End shift' }).click();
  const asking = page.getByText(
    'Another tab of the app is asking whether to undo the entry of Li Lie.',
    {
      exact: false,
    },
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
