/**
 * Scenario 8 — two tabs of the app open on one phone. Both log entries into the same IndexedDB,
 * both have a sync engine, but only one runs at a time (Web Locks, `gatelog-sync`): never two
 * `POST /api/v1/sync` in flight from the phone, even with every answer slowed down so overlaps
 * would show. Every record reaches the server once. When the tab that is sending closes half way,
 * the other one takes over on its own, as soon as the closed tab's lock is let go (not on its
 * 30 s look-again), and sends the rest, the lost batch included.
 */
import { logEntry, nameBox } from '../../e2e/support/app';
import { expect, forEachDatabase, test } from './support/fixtures';
import {
  enrollAndStartShift,
  expectServerHoldsExactly,
  guest,
  phoneRecords,
  syncBar,
  waitUntilNothingPending,
} from './support/phone';
import { watchSync } from './support/sync-watch';

const PER_TAB = 5;
/** Every answer waits this long, so a second runner would have time to overlap. */
const SLOW_ANSWER_MS = 400;

forEachDatabase(() => {
  test('two tabs: one sync runner at a time, every record once, and the other tab takes over when the sending one closes', async ({
    page: tabA,
    context,
    server,
  }) => {
    const gate = await enrollAndStartShift(tabA, server);
    const watch = await watchSync(context, { answerDelayMs: SLOW_ANSWER_MS });
    const tabB = await context.newPage();
    await tabB.goto('/?lang=en');
    await expect(nameBox(tabB)).toBeVisible();

    for (let i = 0; i < PER_TAB; i++) {
      await logEntry(tabA, guest('Tab A', i));
      await logEntry(tabB, guest('Tab B', i));
    }
    await waitUntilNothingPending(tabA, 30_000);
    await expect(syncBar(tabB)).toContainText('Every record has been sent');
    expect(watch.maxInFlight, 'sync requests in flight at once').toBe(1);
    const first = await phoneRecords(tabA);
    expect(first).toHaveLength(2 * PER_TAB);
    for (const r of first) expect(watch.timesSent(r.id), `times ${r.name} was sent`).toBe(1);
    await expectServerHoldsExactly(
      server,
      gate.id,
      first.map((r) => r.id),
    );

    // The tab that sends the next batch closes while it is in flight.
    const heldCall = watch.holdNext();
    for (let i = PER_TAB; i < PER_TAB + 3; i++) {
      await logEntry(tabA, guest('Tab A', i));
      await logEntry(tabB, guest('Tab B', i));
    }
    const held = await heldCall;
    expect(
      held.page === tabA || held.page === tabB,
      'the held batch came from one of the tabs',
    ).toBe(true);
    const runner = held.page!;
    const other = runner === tabA ? tabB : tabA;
    const sentBeforeClose = watch.calls.length;
    await runner.close();
    watch.release();

    // The other tab waits on the lock: it sends once the closed tab's lock is let go, well
    // before its 30 s look-again (SYNC_LOCK_BUSY_RETRY_MS) would come.
    await expect
      .poll(
        async () => (await phoneRecords(other)).filter((r) => r.syncState === 'pending').length,
        { timeout: 15_000, message: 'the other tab did not take over' },
      )
      .toBe(0);
    const after = watch.calls.slice(sentBeforeClose);
    expect(after.length).toBeGreaterThan(0);
    expect(after.every((c) => c.page === other)).toBe(true);
    expect(after.flatMap((c) => c.ids)).toEqual(expect.arrayContaining(held.ids));
    expect(watch.maxInFlight, 'sync requests in flight at once').toBe(1);

    const all = await phoneRecords(other);
    expect(all).toHaveLength(2 * (PER_TAB + 3));
    expect(all.every((r) => r.syncState === 'synced')).toBe(true);
    await expectServerHoldsExactly(
      server,
      gate.id,
      all.map((r) => r.id),
    );
    await watch.stop();
  });
});
