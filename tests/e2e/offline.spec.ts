/**
 * DESIGN §8: the app shell is precached; a cold start with no network opens straight to the app,
 * and a whole stretch of a shift can be logged offline without losing an entry.
 */
import {
  canReachServer,
  daysAgo,
  logEntry,
  mobile,
  openApp,
  residentId,
  startShift,
  waitForServiceWorker,
  type EntryInput,
} from './support/app';
import { expect, test } from './support/fixtures';

const ENTRIES = 20;
const FEVER_AT = 4;
const RETURNEE_AT = 9;

function entry(i: number): EntryInput {
  const direction = i % 4 === 3 ? 'out' : 'in';
  return {
    direction,
    name: `Person ${String(i + 1).padStart(2, '0')}`,
    idNumber: residentId(i),
    phone: mobile(i),
    temperature:
      i === FEVER_AT ? '38.5' : direction === 'in' ? (36.2 + (i % 5) / 10).toFixed(1) : undefined,
    returnee: i === RETURNEE_AT ? { origin: 'Jiangsu Suzhou', arrivedOn: daysAgo(2) } : undefined,
  };
}

test('works offline from a cold start: 20 entries logged and listed', async ({
  page,
  context,
  server,
}) => {
  // First visit online: the service worker installs, precaches the shell and takes control.
  await openApp(page);
  await waitForServiceWorker(page);
  await expect(page.getByRole('button', { name: 'Start shift' })).toBeVisible();

  // The network goes away: the browser is offline and the server answers nothing at all.
  await context.setOffline(true);
  server.setOffline(true);
  await page.reload();
  await expect(page.getByRole('button', { name: 'Start shift' })).toBeVisible();
  // Not `navigator.onLine`: Chromium 150 tells a document loaded after the switch the machine's
  // own state (156 tells it offline). What counts is that nothing reaches the server.
  expect(await canReachServer(page)).toBe(false);

  await startShift(page, 'Wang Wei');
  const entries = Array.from({ length: ENTRIES }, (_, i) => entry(i));
  for (const [i, e] of entries.entries()) await logEntry(page, e, { fever: i === FEVER_AT });

  // Closed and opened again, still offline: the entries are all there.
  await page.reload();
  await expect(page.getByRole('textbox', { name: 'Name', exact: true })).toBeVisible();
  // Tall enough for the virtualised list to render every row.
  await page.setViewportSize({ width: 390, height: 2600 });
  await page.getByRole('link', { name: 'Logbook' }).click();
  await expect(page.getByRole('heading', { name: 'Logbook' })).toBeVisible();

  const counts = page.getByRole('group', { name: /Counts/ });
  const count = (label: string) => counts.getByRole('button', { name: new RegExp(`^${label}\\s`) });
  const ins = entries.filter((e) => e.direction === 'in').length;
  await expect(count('In')).toHaveText(new RegExp(`\\b${ins}$`));
  await expect(count('Out')).toHaveText(new RegExp(`\\b${ENTRIES - ins}$`));
  await expect(count('Fever')).toHaveText(/\b1$/);
  await expect(count('Returnees')).toHaveText(/\b1$/);
  await expect(count('Unsynced')).toHaveText(new RegExp(`\\b${ENTRIES}$`));

  const list = page.getByRole('list', { name: 'Entries' });
  await expect(list.getByRole('listitem')).toHaveCount(ENTRIES);
  for (const e of entries) await expect(list.getByText(e.name, { exact: true })).toBeVisible();
  await expect(
    list.getByRole('listitem').filter({ hasText: entries[FEVER_AT]!.name }),
  ).toContainText('38.5');
});
