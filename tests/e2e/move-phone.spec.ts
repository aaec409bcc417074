/**
 * The committee moves a phone to another gate the way a clerk would: it revokes the phone, then
 * gives it the new gate's enrollment code. The phone was offline meanwhile and still holds
 * entries of its first gate. Its revoked token can no longer send them, and the new one is for
 * another gate; enrolled again, the phone names its earlier enrollment, and the server takes
 * them with the new token for the first gate. And an enrollment whose answer the network lost is
 * had again with the same code, in the same window or after the app was closed and opened again.
 * Real Chromium, the real server over HTTP.
 */
import {
  createEnrollmentCode,
  createGate,
  listDevices,
  listLogs,
  revokeDevice,
} from './support/admin';
import { canReachServer, enrollByLink, logEntry, startShift } from './support/app';
import type { BrowserContext, Page } from '@playwright/test';
import { expect, test } from './support/fixtures';
import { phoneIds, phoneRecords } from './support/phone';
import { DATABASES } from './support/server';

/**
 * The server gets the first try of an enrollment and enrolls the phone; its answer never reaches
 * the phone. Returns how many tries were made so far.
 */
async function loseFirstEnrollAnswer(on: Page | BrowserContext): Promise<() => number> {
  let tries = 0;
  await on.route('**/api/v1/enroll', async (route) => {
    if (++tries > 1) return route.continue();
    await route.fetch();
    await route.abort('connectionreset');
  });
  return () => tries;
}

for (const { name: database, kind } of DATABASES) {
  test.describe(`on ${database}`, () => {
    test.use({ serverKind: kind });

    test('an enrollment whose answer the network lost is had by tapping Enroll again', async ({
      page,
      server,
    }) => {
      const gate = await createGate(server, 'South Gate');
      const { code } = await createEnrollmentCode(server, gate.id);
      const tries = await loseFirstEnrollAnswer(page);
      await page.goto(`${server.url}/?enroll=${encodeURIComponent(code)}&lang=en`);
      const enroll = page.getByRole('button', { name: 'Enroll', exact: true });
      await enroll.click();
      await expect(page.getByRole('alert')).toBeVisible();
      expect((await listDevices(server)).filter((d) => d.gateId === gate.id)).toHaveLength(1);

      await enroll.click();
      await expect(page.getByText('Enrolled: South Gate')).toBeVisible();
      expect(tries()).toBe(2);
      await page.getByRole('button', { name: 'Start logging' }).click();
      await startShift(page, 'Sun Li');
      await logEntry(page, { direction: 'in', name: 'Third Resident', temperature: '36.6' });
      await expect.poll(() => phoneIds(page, 'synced'), { timeout: 30_000 }).toHaveLength(1);
      // One phone, the one the first try made, sending with the token of the second.
      const devices = (await listDevices(server)).filter((d) => d.gateId === gate.id);
      expect(devices).toHaveLength(1);
      expect((await listLogs(server, gate.id)).items.map((r) => r.deviceId)).toEqual([
        devices[0]!.id,
      ]);
    });

    test('an enrollment whose answer the network lost is had again after the app was closed and opened', async ({
      context,
      page,
      server,
    }) => {
      const gate = await createGate(server, 'West Gate');
      const { code } = await createEnrollmentCode(server, gate.id);
      const tries = await loseFirstEnrollAnswer(context);
      const link = `${server.url}/?enroll=${encodeURIComponent(code)}&lang=en`;
      await page.goto(link);
      await page.getByRole('button', { name: 'Enroll', exact: true }).click();
      await expect(page.getByRole('alert')).toBeVisible();
      // The guard closes the app and opens the link again: a new window, its sessionStorage new.
      await page.close();
      const again = await context.newPage();
      await again.goto(link);
      await again.getByRole('button', { name: 'Enroll', exact: true }).click();
      await expect(again.getByText('Enrolled: West Gate')).toBeVisible();
      expect(tries()).toBe(2);
      expect((await listDevices(server)).filter((d) => d.gateId === gate.id)).toHaveLength(1);
    });

    test('a phone revoked and enrolled at another gate still delivers what it logged at the first', async ({
      page,
      context,
      server,
    }) => {
      const east = await enrollByLink(page, server, { gateName: 'East Gate' });
      const west = await createGate(server, 'West Gate');
      await startShift(page, 'Chen Jie');

      await context.setOffline(true);
      expect(await canReachServer(page)).toBe(false);
      await logEntry(page, { direction: 'in', name: 'First Resident', temperature: '36.5' });
      await logEntry(page, { direction: 'out', name: 'Second Resident' });

      // The committee revokes the phone while it is offline.
      const device = (await listDevices(server)).find((d) => d.gateId === east.id);
      await revokeDevice(server, device!.id);

      // Back online, the server refuses the old token: nothing is sent, nothing is lost.
      await context.setOffline(false);
      const enrollAgain = page.getByRole('link', { name: /^Enroll again/ });
      await expect(enrollAgain).toBeVisible({ timeout: 30_000 });
      expect((await phoneRecords(page)).map((r) => r.syncState)).toEqual(['pending', 'pending']);

      // Enrolled at the west gate with its code: the east gate's entries go, for the east gate.
      const second = await createEnrollmentCode(server, west.id);
      await page.goto(`${second.url}&lang=en`);
      await page.getByRole('button', { name: 'Enroll', exact: true }).click();
      await expect(page.getByText('Enrolled: West Gate')).toBeVisible();
      await expect
        .poll(async () => (await phoneRecords(page)).map((r) => r.syncState), { timeout: 30_000 })
        .toEqual(['synced', 'synced']);
      const { items } = await listLogs(server, east.id);
      expect(items.map((r) => [r.person.name, r.deviceId])).toEqual([
        ['First Resident', device!.id],
        ['Second Resident', device!.id],
      ]);
      expect((await listLogs(server, west.id)).items).toEqual([]);
    });
  });
}
