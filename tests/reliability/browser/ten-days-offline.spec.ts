/**
 * Scenario 12 — ten days without a network (DESIGN §5.6: backoff never drops a record; there is
 * no expiry). The phone's clock (Playwright's fake clock, set ten days back) runs through ten days
 * of a gate with no network, the app closed and opened again on the way; then today the network
 * is back. Nothing expired on the phone, and everything reaches the server once, with the day
 * it was logged on.
 */
import { listLogs } from '../../e2e/support/admin';
import { logEntry, nameBox } from '../../e2e/support/app';
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

const DAY_MS = 24 * 3_600_000;

/** YYYY-MM-DD of a device ms in this machine's (and the browser's) time zone. */
function localDay(ms: number): string {
  const d = new Date(ms);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

forEachDatabase(() => {
  test('ten days offline: nothing expires, all of it syncs afterwards, once', async ({
    page,
    context,
    server,
  }) => {
    const tenDaysAgo = Date.now() - 10 * DAY_MS;
    await page.clock.install({ time: tenDaysAgo });
    const gate = await enrollAndStartShift(page, server);
    await setNetwork(context, server, false);

    await logEntry(page, guest('Day 0', 1));
    await logEntry(page, guest('Day 0', 2));
    await page.clock.fastForward(5 * DAY_MS);
    await page.reload();
    await expect(nameBox(page)).toBeVisible();
    await logEntry(page, guest('Day 5', 1));
    await page.clock.fastForward(5 * DAY_MS - 60_000);
    await page.reload();
    await expect(nameBox(page)).toBeVisible();
    await logEntry(page, guest('Day 10', 1));

    // Today, on the phone's clock too; still offline, and everything is still waiting.
    const phoneNow = await page.evaluate(() => Date.now());
    expect(Math.abs(phoneNow - Date.now())).toBeLessThan(5 * 60_000);
    const waiting = await phoneRecords(page);
    expect(waiting).toHaveLength(4);
    expect(waiting.every((r) => r.syncState === 'pending')).toBe(true);
    await expect(syncBar(page)).toContainText('4 records not sent yet');

    await setNetwork(context, server, true);
    await waitUntilNothingPending(page, 30_000);
    await expect(syncBar(page)).toContainText('Every record has been sent');
    const onPhone = await phoneRecords(page);
    await expectServerHoldsExactly(
      server,
      gate.id,
      onPhone.map((r) => r.id),
    );
    const days = Object.fromEntries(
      (await listLogs(server, gate.id)).items.map((r) => [
        r.person.name,
        r.occurredAt.slice(0, 10),
      ]),
    );
    expect(days).toEqual({
      'Day 0 001': localDay(tenDaysAgo),
      'Day 0 002': localDay(tenDaysAgo),
      'Day 5 001': localDay(tenDaysAgo + 5 * DAY_MS),
      'Day 10 001': localDay(phoneNow),
    });
  });
});
