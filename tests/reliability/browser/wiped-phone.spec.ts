/**
 * Scenario 13, the phone's side — the phone's storage is wiped, on a phone the server already
 * knows. Before its first batch after a start, the app asks the server what it last acknowledged
 * from this phone (`GET /api/v1/device/config`: lastRecordId, lastSyncAt). When the enrollment
 * survived (or was put back) but that record is gone, the sync bar says the phone's records were
 * erased and when the server last received one; the guard's OK hides it for good, and logging
 * goes on. When the enrollment was wiped too, the phone cannot know — it is simply not enrolled —
 * and only the committee's device list tells what the server last received from it.
 */
import type { Page } from '@playwright/test';
import { uuidv7Time } from '../../../src/app/db/uuid';
import { logEntry, nameBox, startShift } from '../../e2e/support/app';
import { listDevices } from './support/committee';
import { expect, forEachDatabase, test } from './support/fixtures';
import {
  enrollAndStartShift,
  expectServerHoldsExactly,
  guest,
  phoneRecords,
  syncBar,
  waitUntilNothingPending,
} from './support/phone';

type Setting = { key: string; value: unknown };

/** Some settings rows of the phone, read straight from IndexedDB. */
function readSettings(page: Page, keys: string[]): Promise<Setting[]> {
  return page.evaluate(
    (keys) =>
      new Promise<Setting[]>((resolve, reject) => {
        const open = indexedDB.open('gatelog');
        open.onerror = () => reject(open.error ?? new Error('open failed'));
        open.onsuccess = () => {
          const tx = open.result.transaction('settings', 'readonly');
          const rows: Setting[] = [];
          for (const key of keys) {
            const get = tx.objectStore('settings').get(key);
            get.onsuccess = () => rows.push(get.result as Setting);
          }
          tx.oncomplete = () => (open.result.close(), resolve(rows));
        };
      }),
    keys,
  );
}

/** Puts settings rows back into the phone's database (the app has made a fresh one). */
function writeSettings(page: Page, rows: Setting[]): Promise<void> {
  return page.evaluate(
    (rows) =>
      new Promise<void>((resolve, reject) => {
        const open = indexedDB.open('gatelog');
        open.onerror = () => reject(open.error ?? new Error('open failed'));
        open.onsuccess = () => {
          const tx = open.result.transaction('settings', 'readwrite');
          for (const row of rows) tx.objectStore('settings').put(row);
          tx.oncomplete = () => (open.result.close(), resolve());
          tx.onerror = () => reject(tx.error ?? new Error('write failed'));
        };
      }),
    rows,
  );
}

/** Wipes the phone's database (and the remembered language) from a page that is not the app. */
async function wipeStorage(page: Page): Promise<void> {
  await page.goto('/healthz');
  await page.evaluate(
    () =>
      new Promise<void>((resolve, reject) => {
        localStorage.clear();
        const del = indexedDB.deleteDatabase('gatelog');
        del.onsuccess = () => resolve();
        del.onerror = () => reject(del.error ?? new Error('delete failed'));
        del.onblocked = () => reject(new Error('the database is still open somewhere'));
      }),
  );
}

/** A time as the app writes it in English (i18n formatDateTime). */
function formatted(page: Page, when: string | number): Promise<string> {
  return page.evaluate(
    (when) =>
      new Intl.DateTimeFormat('en', {
        month: 'short',
        day: 'numeric',
        hour: '2-digit',
        minute: '2-digit',
        hourCycle: 'h23',
      }).format(new Date(when)),
    when,
  );
}

/** Under the header, in the page's flow (not in the sticky sync line). */
const erasedNotice = (page: Page) =>
  page.getByRole('alert').filter({ hasText: 'records were erased' });

/** Reloads and waits until the sync engine has asked the server about this phone. */
async function reloadAndAsk(page: Page): Promise<void> {
  const asked = page.waitForResponse((r) => r.url().endsWith('/api/v1/device/config'));
  await page.reload();
  expect((await asked).status()).toBe(200);
}

/** Enrolls, logs three entries, sends them; returns the gate and what the phone sent. */
async function phoneWithHistory(page: Page, server: Parameters<typeof enrollAndStartShift>[1]) {
  const gate = await enrollAndStartShift(page, server);
  for (let i = 1; i <= 3; i++) await logEntry(page, guest('Before wipe', i));
  await waitUntilNothingPending(page, 30_000);
  const sent = (await phoneRecords(page)).map((r) => r.id).sort();
  // A phone that has its records gets no notice.
  await reloadAndAsk(page);
  await expect(nameBox(page)).toBeVisible();
  await expect(syncBar(page)).toContainText('Every record has been sent');
  await expect(erasedNotice(page)).toHaveCount(0);
  const device = (await listDevices(server)).find((d) => d.gateId === gate.id)!;
  expect(device.lastRecordId).toBe(sent.at(-1));
  expect(device.lastSyncAt).not.toBeNull();
  return { gate, sent, device };
}

forEachDatabase(() => {
  test('records wiped, enrollment put back: the sync bar says what the server last received, and logging goes on', async ({
    page,
    server,
  }) => {
    const { gate, sent, device } = await phoneWithHistory(page, server);
    const kept = await readSettings(page, ['enrollment', 'gate']);

    await wipeStorage(page);
    await page.goto('/?lang=en');
    await expect(page.getByRole('button', { name: 'Start shift' })).toBeVisible();
    await writeSettings(page, kept);
    await reloadAndAsk(page);

    const notice = erasedNotice(page);
    await expect(notice).toBeVisible();
    await expect(notice).toContainText('This phone’s records were erased.');
    await expect(notice).toContainText(await formatted(page, device.lastSyncAt!));
    await expect(notice).toContainText(await formatted(page, uuidv7Time(device.lastRecordId!)!));
    expect(await phoneRecords(page)).toEqual([]);

    // Read: OK hides it, and a restart does not bring it back for the same loss.
    await notice.getByRole('button', { name: 'OK' }).click();
    await expect(notice).toBeHidden();
    await reloadAndAsk(page);
    await expect(page.getByRole('button', { name: 'Start shift' })).toBeVisible();
    await expect(erasedNotice(page)).toHaveCount(0);

    // The phone carries on; the server keeps the old records and takes the new one.
    await startShift(page, 'Zhou Min');
    await logEntry(page, guest('After wipe', 1));
    await waitUntilNothingPending(page, 30_000);
    const now = (await phoneRecords(page)).map((r) => r.id);
    expect(now).toHaveLength(1);
    await expectServerHoldsExactly(server, gate.id, [...sent, ...now]);
  });

  test('everything wiped, enrollment too: the phone cannot know and is not enrolled; the committee still sees the last record', async ({
    page,
    server,
  }) => {
    const { gate, device } = await phoneWithHistory(page, server);

    await wipeStorage(page);
    await page.goto('/?lang=en');
    await expect(page.getByRole('button', { name: 'Start shift' })).toBeVisible();
    await expect(
      syncBar(page).getByRole('link', { name: /This phone is not enrolled/ }),
    ).toBeVisible();
    await expect(erasedNotice(page)).toHaveCount(0);
    expect(await phoneRecords(page)).toEqual([]);

    const after = (await listDevices(server)).find((d) => d.id === device.id)!;
    expect(after.gateId).toBe(gate.id);
    expect(after.lastRecordId).toBe(device.lastRecordId);
    expect(after.lastSyncAt).toBe(device.lastSyncAt);
  });
});
