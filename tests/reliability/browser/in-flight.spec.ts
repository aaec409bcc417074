/**
 * Scenario 7 — the tab is reloaded, or closed, while a batch is in flight. The server has stored
 * the batch but its answer never reaches the phone (DESIGN §5.4: a lost answer). The records
 * stay pending on the phone, go again from the next page, come back as duplicates, and the
 * server holds every record exactly once.
 */
import { logEntry } from '../../e2e/support/app';
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
import { watchSync } from './support/sync-watch';

const ENTRIES = 12;
/** Past the undo window (5 s), so every entry is in the first batch. */
const UNDO_WINDOW_PASSED_MS = 5_600;

forEachDatabase(() => {
  for (const how of ['reloaded', 'closed'] as const) {
    test(`the tab is ${how} while a batch is in flight: resent, stored once`, async ({
      page,
      context,
      server,
    }) => {
      const gate = await enrollAndStartShift(page, server);
      const watch = await watchSync(context);

      // Logged with the network off, so they all wait for one batch (the watch counts nothing).
      await setNetwork(context, server, false);
      for (let i = 0; i < ENTRIES; i++) await logEntry(page, guest('In flight', i));
      await page.waitForTimeout(UNDO_WINDOW_PASSED_MS);

      const heldCall = watch.holdNext();
      await setNetwork(context, server, true);
      const held = await heldCall;
      // The server stored the whole batch; the phone has not heard so.
      expect(held.ids).toHaveLength(ENTRIES);
      expect([...(held.answer?.accepted ?? [])].sort()).toEqual([...held.ids].sort());
      const pending = (await phoneRecords(page)).filter((r) => r.syncState === 'pending');
      expect(pending.map((r) => r.id).sort()).toEqual([...held.ids].sort());

      let phone = page;
      if (how === 'reloaded') {
        await page.reload();
      } else {
        await page.close();
        phone = await context.newPage();
        await phone.goto('/?lang=en');
      }
      watch.release();

      await waitUntilNothingPending(phone, 30_000);
      await expect(syncBar(phone)).toContainText('Every record has been sent');
      const resent = watch.calls.slice(watch.calls.indexOf(held) + 1);
      expect(resent.flatMap((c) => c.ids).sort()).toEqual([...held.ids].sort());
      expect(resent.flatMap((c) => c.answer?.duplicates ?? []).sort()).toEqual(
        [...held.ids].sort(),
      );
      for (const id of held.ids) expect(watch.timesSent(id)).toBe(2);

      const onPhone = await phoneRecords(phone);
      expect(onPhone).toHaveLength(ENTRIES);
      expect(onPhone.every((r) => r.syncState === 'synced')).toBe(true);
      await expectServerHoldsExactly(
        server,
        gate.id,
        onPhone.map((r) => r.id),
      );
      await watch.stop();
    });
  }
});
