/**
 * Scenario 5 — one poison record in a batch of 100. The server answers per record (DESIGN §5.3),
 * so the other 99 are stored; the phone marks the poison one refused, shows it with its reason
 * in the sync bar's list, keeps sending what comes after it, and never sends it again.
 *
 * Two poisons: a record the server's schema refuses (written straight into IndexedDB, past the
 * form), and one whose id the server already holds with other content (a conflict).
 */
import type { Page } from '@playwright/test';
import type { GateLog } from '../../../src/shared';
import { listLogs } from '../../e2e/support/admin';
import { logEntry } from '../../e2e/support/app';
import type { GateServer } from '../../e2e/support/server';
import { expect, forEachDatabase, test } from './support/fixtures';
import {
  addPendingRecords,
  enrollAndStartShift,
  expectServerHoldsExactly,
  guest,
  makeRecords,
  phoneIdentity,
  phoneRecords,
  setNetwork,
  syncBar,
  waitUntilNothingPending,
} from './support/phone';
import { watchSync } from './support/sync-watch';

const BATCH = 100;
const POISON_AT = 49;

/** The phone's device token, for sending as the phone would behind its back. */
function deviceToken(page: Page): Promise<string> {
  return page.evaluate(
    () =>
      new Promise<string>((resolve, reject) => {
        const open = indexedDB.open('gatelog');
        open.onerror = () => reject(open.error ?? new Error('open failed'));
        open.onsuccess = () => {
          const get = open.result
            .transaction('settings', 'readonly')
            .objectStore('settings')
            .get('enrollment');
          get.onsuccess = () => {
            open.result.close();
            resolve((get.result as { value: { token: string } }).value.token);
          };
          get.onerror = () => reject(get.error ?? new Error('get failed'));
        };
      }),
  );
}

/** Stores `record` on the server as this phone, so the phone's own copy will conflict. */
async function storeOnServer(server: GateServer, token: string, record: GateLog) {
  const res = await fetch(`${server.url}/api/v1/sync`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      batchId: crypto.randomUUID(),
      device: { appVersion: 'test', pending: 1 },
      records: [record],
    }),
  });
  const answer = (await res.json()) as { accepted: string[] };
  expect(answer.accepted).toEqual([record.id]);
}

const POISONS = [
  {
    kind: 'invalid',
    reason: 'Not valid',
    // 99.9 °C: outside 34.0–43.0, which the form would never let through.
    make: (r: GateLog) => ({ ...r, temperatureC: 99.9 }),
  },
  {
    kind: 'conflict',
    reason: 'Conflicts with a record already on the server',
    make: (r: GateLog) => r,
  },
] as const;

forEachDatabase(() => {
  for (const poison of POISONS) {
    test(`one ${poison.kind} record in a batch of ${BATCH}: 99 stored, the poison refused with its reason, never resent, the queue moves on`, async ({
      page,
      context,
      server,
    }) => {
      const gate = await enrollAndStartShift(page, server);
      const who = await phoneIdentity(page);
      await setNetwork(context, server, false);

      const records = makeRecords(who, BATCH, { name: (i) => `Batch guest ${i}` });
      const original = records[POISON_AT]!;
      const poisonRecord = poison.make({
        ...original,
        person: { ...original.person, name: 'Poison Guest' },
      });
      if (poison.kind === 'conflict') {
        server.setOffline(false);
        await storeOnServer(server, await deviceToken(page), original);
        server.setOffline(true);
      }
      records[POISON_AT] = poisonRecord as GateLog;
      await addPendingRecords(page, records);
      await page.reload();
      await expect(syncBar(page)).toContainText(`${BATCH} records not sent yet`);

      const watch = await watchSync(context);
      await setNetwork(context, server, true);
      await waitUntilNothingPending(page, 30_000);

      // One batch of 100 carried it; the server took the other 99 and refused it.
      const first = watch.calls.find((c) => c.status !== undefined)!;
      expect(first.ids).toHaveLength(BATCH);
      expect(first.ids).toContain(poisonRecord.id);
      expect(first.answer?.accepted).toHaveLength(BATCH - 1);
      expect(first.answer?.rejected).toEqual([
        expect.objectContaining({ id: poisonRecord.id, code: poison.kind }),
      ]);

      // The guard sees it, with the reason.
      const refused = syncBar(page).getByRole('button', { name: 'Show why' });
      await expect(refused).toBeVisible();
      await expect(refused).toHaveAccessibleDescription('Sent, except 1 record the server refused');
      await refused.click();
      const dialog = page.getByRole('dialog', { name: 'Refused records' });
      await expect(dialog.getByRole('listitem')).toHaveCount(1);
      await expect(dialog.getByRole('listitem')).toContainText('Poison Guest');
      await expect(dialog.getByRole('listitem')).toContainText(poison.reason);
      await dialog.getByRole('button', { name: 'Close' }).click();

      // The queue keeps moving: new entries go, the poison does not go again — not after
      // they go, not after a restart, not on "Sync now".
      await logEntry(page, guest('After poison', 1));
      await logEntry(page, guest('After poison', 2));
      await waitUntilNothingPending(page, 30_000);
      await page.reload();
      await syncBar(page).getByRole('button', { name: 'Sync now' }).click();
      await expect(syncBar(page)).toContainText('Sent, except 1 record the server refused');
      await expect(syncBar(page)).not.toContainText('✓');
      await expect(syncBar(page).getByRole('button', { name: 'Show why' })).toBeVisible();
      await page.waitForTimeout(1_000);
      expect(watch.timesSent(poisonRecord.id)).toBe(1);

      const onPhone = await phoneRecords(page);
      expect(onPhone.filter((r) => r.syncState === 'rejected').map((r) => r.id)).toEqual([
        poisonRecord.id,
      ]);
      const synced = onPhone.filter((r) => r.syncState === 'synced').map((r) => r.id);
      expect(synced).toHaveLength(BATCH - 1 + 2);
      if (poison.kind === 'invalid') {
        await expectServerHoldsExactly(server, gate.id, synced);
      } else {
        // The server keeps what it had under that id; the phone's other content never replaced it.
        await expectServerHoldsExactly(server, gate.id, [...synced, original.id]);
        const stored = (await listLogs(server, gate.id)).items.find((r) => r.id === original.id);
        expect(stored?.person.name).toBe(original.person.name);
      }
      await watch.stop();
    });
  }
});
