/**
 * Scenario 3 — a flaky network. The real browser talks to the real server through a TCP proxy
 * of our own (support/chaos-proxy.ts) that refuses, stalls, hangs, slows and resets connections
 * at random — before the request reached the server or after it answered — while a guard keeps
 * logging entries for GATELOG_FLAKY_SECONDS (default 60). Then the network goes away entirely
 * and the clock is jumped from one attempt to the next, through the whole backoff. Then it is
 * back. The queue drains; the server's set of ids equals the phone's, each stored once; and no
 * delay the engine chose ever exceeded its 5-minute cap (read from the sync bar's next-attempt
 * time, see support/retry-log.ts).
 *
 * The proxy is seeded: GATELOG_FLAKY_SEED=<n> replays a run (the seed is printed).
 */
import type { Page, Request } from '@playwright/test';
import { SYNC_MAX_BACKOFF_MS } from '../../../src/app/sync/backoff';
import { logEntry } from '../../e2e/support/app';
import { startChaosProxy } from './support/chaos-proxy';
import { expect, forEachDatabase, test } from './support/fixtures';
import {
  enrollAndStartShift,
  expectServerHoldsExactly,
  guest,
  phoneRecords,
  syncBar,
} from './support/phone';
import { recordRetries, retries, retryDelays } from './support/retry-log';

const FLAKY_SECONDS = Number(process.env.GATELOG_FLAKY_SECONDS) || 60;
/** Attempts with the network gone: enough for the ceiling to reach the cap and stay there. */
const BLACKOUT_ROUNDS = 14;
/** A save sends once its 5 s undo window is over (SYNC_SOON_DELAY_MS is 5.5 s). */
const PAST_SAVE_DELAY_MS = 6_000;

const isSync = (r: Request) => r.method() === 'POST' && r.url().endsWith('/api/v1/sync');

/** The page's clock (fake, but flowing): Date.now() inside the page. */
const pageNow = (page: Page) => page.evaluate(() => Date.now());

/** Jumps the page's clock to just after the next attempt the sync bar shows (or past a save's). */
async function jumpToNextAttempt(page: Page): Promise<void> {
  const last = (await retries(page)).at(-1);
  const now = await pageNow(page);
  const jump = last && last.next > now ? last.next - now + 50 : PAST_SAVE_DELAY_MS;
  await page.clock.fastForward(jump);
}

forEachDatabase(() => {
  test(`a flaky network for ${FLAKY_SECONDS} s, then none, then a good one: the queue drains, every id once, backoff within its cap`, async ({
    page,
    context,
    server,
  }) => {
    test.setTimeout((FLAKY_SECONDS + 180) * 1000);
    const seed = Number(process.env.GATELOG_FLAKY_SEED) || Date.now() % 2 ** 31;
    console.log(`flaky network: GATELOG_FLAKY_SEED=${seed}`);
    const { hostname, port } = new URL(server.url);
    const proxy = await startChaosProxy({ host: hostname, port: Number(port) }, { seed });
    const traffic = { sent: 0, failed: 0, answered: 0, duplicates: 0 };
    context.on('request', (r) => void (isSync(r) && traffic.sent++));
    context.on('requestfailed', (r) => void (isSync(r) && traffic.failed++));
    context.on('requestfinished', (r) => {
      if (!isSync(r)) return;
      traffic.answered++;
      void r
        .response()
        .then((res) => res?.json() as Promise<{ duplicates?: string[] } | undefined>)
        .then((body) => (traffic.duplicates += body?.duplicates?.length ?? 0))
        .catch(() => {});
    });

    try {
      // A fake clock that flows like the real one, until the blackout jumps it.
      await page.clock.install();
      await recordRetries(page);
      const gate = await enrollAndStartShift(page, server, { origin: proxy.url });

      // 1. Chaos while the guard logs.
      proxy.setMode('chaos');
      const until = Date.now() + FLAKY_SECONDS * 1000;
      let n = 0;
      while (Date.now() < until) await logEntry(page, guest('Flaky', n++));

      // 2. No network at all: a few more entries, then one attempt after another.
      proxy.setMode('down');
      await logEntry(page, guest('Blackout', 1));
      await logEntry(page, guest('Blackout', 2));
      const blackoutFrom = (await retries(page)).length;
      for (let round = 0; round < BLACKOUT_ROUNDS; round++) {
        const seen = (await retries(page)).length;
        await jumpToNextAttempt(page);
        await expect
          .poll(async () => (await retries(page)).length, {
            message: `blackout round ${round + 1}: another failed attempt and a new delay`,
          })
          .toBeGreaterThan(seen);
      }
      const blackoutDelays = (await retryDelays(page)).slice(blackoutFrom);

      // 3. The network is back: the next attempt (however far) sends everything.
      proxy.setMode('pass');
      await expect
        .poll(
          async () => {
            const pending = (await phoneRecords(page)).filter((r) => r.syncState !== 'synced');
            if (pending.length > 0) await jumpToNextAttempt(page);
            return pending.length;
          },
          {
            timeout: 60_000,
            intervals: [2_000],
            message: 'records not synced after the network came back',
          },
        )
        .toBe(0);
      await expect(syncBar(page)).toContainText('Every record has been sent');

      const delays = await retryDelays(page);
      const summary = {
        seed,
        entries: n + 2,
        proxy: proxy.stats,
        syncRequests: traffic,
        delaysSeen: delays.length,
        longestDelayS: Math.round(Math.max(...delays) / 1000),
        blackoutDelaysS: blackoutDelays.map((d) => Math.round(d / 1000)),
      };
      console.log(`flaky network: ${JSON.stringify(summary)}`);
      test.info().annotations.push({ type: 'flaky-network', description: JSON.stringify(summary) });

      // The network really was bad, and the backoff really went the whole way up…
      expect(traffic.failed, 'sync requests that failed').toBeGreaterThan(0);
      expect(Math.max(...blackoutDelays), 'the longest blackout delay').toBeGreaterThan(60_000);
      // …but never past its cap.
      for (const d of delays) expect(d).toBeLessThanOrEqual(SYNC_MAX_BACKOFF_MS);

      const onPhone = await phoneRecords(page);
      expect(onPhone).toHaveLength(n + 2);
      expect(onPhone.filter((r) => r.syncState !== 'synced')).toEqual([]);
      await expectServerHoldsExactly(
        server,
        gate.id,
        onPhone.map((r) => r.id),
      );
    } finally {
      await proxy.close();
    }
  });
});
