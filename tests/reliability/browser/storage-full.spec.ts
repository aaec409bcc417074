/**
 * Scenario 11 — the phone's storage is full. Chromium is given a quota far below what the site
 * already uses (DevTools `Storage.overrideQuotaForOrigin`), so IndexedDB refuses every new write
 * with QuotaExceededError. The override takes effect on a browser with a profile on disk, as a
 * phone's is (support/browser-process.ts), not in Playwright's throwaway contexts, and only once
 * the origin's storage is opened anew: the phone fills up while the app is closed, then the guard
 * opens it again (offline, from the service worker) and goes on logging.
 *
 * The guard who presses Save sees the app's own message ('error.quota': not saved, everything
 * saved before is still there), the half-filled form is kept, nothing already saved is lost, and
 * once there is room again the same entry saves and everything syncs.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { logEntry, nameBox } from '../../e2e/support/app';
import { probeWrite, QUOTA_MESSAGE, reopen } from '../../e2e/support/storage-full';
import { launchOnProfile } from './support/browser-process';
import { expect, forEachDatabase, test } from './support/fixtures';
import {
  enrollAndStartShift,
  expectServerHoldsExactly,
  guest,
  phoneRecords,
  setNetwork,
  syncBar,
  waitUntilNothingPending,
} from './support/phone';

forEachDatabase(() => {
  test('storage full: a clear message, the form kept, nothing saved lost; saves and syncs once there is room', async ({
    server,
  }) => {
    const profile = await mkdtemp(join(tmpdir(), 'gatelog-profile-'));
    const context = await launchOnProfile(profile);
    try {
      const page = context.pages()[0] ?? (await context.newPage());
      const gate = await enrollAndStartShift(page, server);
      await logEntry(page, guest('Before full', 1));
      await waitUntilNothingPending(page, 30_000);
      // Some sent, some not: both kinds must survive.
      await setNetwork(context, server, false);
      await logEntry(page, guest('Before full', 2));
      await logEntry(page, guest('Before full', 3));
      const before = await phoneRecords(page);
      expect(before.map((r) => r.syncState).sort()).toEqual(['pending', 'pending', 'synced']);

      const cdp = await context.newCDPSession(page);
      const origin = new URL(server.url).origin;
      // (navigator.storage.estimate() does not show the override; IndexedDB's commits obey it.)
      await cdp.send('Storage.overrideQuotaForOrigin', { origin, quotaSize: 1 });
      const app = `${server.url}/?lang=en`;
      await expect
        .poll(async () => (await reopen(page, cdp, app), probeWrite(page)), {
          message: 'IndexedDB does not refuse writes yet',
          timeout: 30_000,
        })
        .toBe('QuotaExceededError');

      await nameBox(page).fill('When Full');
      await page.getByRole('textbox', { name: 'Temperature', exact: true }).fill('36.6');
      await page.getByRole('button', { name: 'Save', exact: true }).press('Enter');
      await expect(page.getByRole('alert').filter({ hasText: QUOTA_MESSAGE })).toBeVisible();
      await expect(nameBox(page)).toHaveValue('When Full');
      const during = await phoneRecords(page);
      expect(during.map((r) => r.id).sort()).toEqual(before.map((r) => r.id).sort());

      // Room again (the guard freed some): the same entry saves, and everything goes.
      await cdp.send('Storage.overrideQuotaForOrigin', { origin });
      await page.getByRole('button', { name: 'Save', exact: true }).press('Enter');
      await expect(page.getByRole('status').filter({ hasText: 'Saved: When Full' })).toBeVisible();
      await setNetwork(context, server, true);
      await waitUntilNothingPending(page, 30_000);
      await expect(syncBar(page)).toContainText('Every record has been sent');
      const after = await phoneRecords(page);
      expect(after.map((r) => r.name).sort()).toEqual([
        'Before full 001',
        'Before full 002',
        'Before full 003',
        'When Full',
      ]);
      await expectServerHoldsExactly(
        server,
        gate.id,
        after.map((r) => r.id),
      );
    } finally {
      await context.close();
      await rm(profile, { recursive: true, force: true });
    }
  });
});
