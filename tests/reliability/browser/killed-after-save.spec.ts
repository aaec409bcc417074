/**
 * Scenario 6 — the browser is killed right after the guard sees "Saved". A save is one IndexedDB
 * transaction, and "Saved" appears only once it has committed (src/app/db/records-repo.ts), so
 * when the phone's OS kills the browser a moment later — every process, SIGKILL, no unload — the
 * entry is there when the app is opened again on the same profile, and it still reaches the
 * server exactly once.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { logEntry, nameBox } from '../../e2e/support/app';
import { killBrowser, launchOnProfile } from './support/browser-process';
import { expect, forEachDatabase, test } from './support/fixtures';
import {
  enrollAndStartShift,
  expectServerHoldsExactly,
  guest,
  phoneRecords,
  syncBar,
  waitUntilNothingPending,
} from './support/phone';

forEachDatabase(() => {
  test('the browser is killed right after "Saved": the entry is there on reopen and syncs once', async ({
    server,
  }) => {
    const profile = await mkdtemp(join(tmpdir(), 'gatelog-profile-'));
    try {
      const first = await launchOnProfile(profile);
      const page = first.pages()[0] ?? (await first.newPage());
      const gate = await enrollAndStartShift(page, server);
      await logEntry(page, guest('Before kill', 1));
      await logEntry(page, guest('Before kill', 2));

      // The last one: killed the moment "Saved" shows, inside its undo window, before any sync.
      await nameBox(page).fill('Last Before Kill');
      await page.getByRole('textbox', { name: 'Temperature', exact: true }).fill('36.7');
      await page.getByRole('button', { name: 'Save', exact: true }).press('Enter');
      await expect(
        page.getByRole('status').filter({ hasText: 'Saved: Last Before Kill' }),
      ).toBeVisible();
      const closed = new Promise<void>((resolve) => first.once('close', () => resolve()));
      expect(killBrowser(profile)).toBeGreaterThan(0);
      await closed;

      const second = await launchOnProfile(profile);
      try {
        const again = second.pages()[0] ?? (await second.newPage());
        await again.goto(`${server.url}/?lang=en`);
        await expect(nameBox(again)).toBeVisible();
        const names = (await phoneRecords(again)).map((r) => r.name).sort();
        expect(names).toEqual(['Before kill 001', 'Before kill 002', 'Last Before Kill']);

        await waitUntilNothingPending(again, 30_000);
        await expect(syncBar(again)).toContainText('Every record has been sent');
        const onPhone = await phoneRecords(again);
        await expectServerHoldsExactly(
          server,
          gate.id,
          onPhone.map((r) => r.id),
        );
      } finally {
        await second.close();
      }
    } finally {
      killBrowser(profile);
      await rm(profile, { recursive: true, force: true });
    }
  });
});
