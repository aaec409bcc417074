/**
 * Scenario 4: for a while the server answers 500, 503 and 429 (the last two with Retry-After).
 * The phone must drop nothing and space its retries as DESIGN.md §5.6 says: 5xx → exponential
 * backoff with full jitter (the n-th retry waits less than min(5 min, 1 s·2ⁿ)); 429/503 → no
 * sooner than Retry-After (plus at most a 1 s spread).
 *
 * A real server process behind a fault proxy that answers the first sync requests from a
 * script, and a node phone (the app's SyncEngine, real clock and timers, seeded jitter).
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { SYNC_RETRY_AFTER_SPREAD_MS, backoffCeiling } from '../../../src/app/sync/backoff';
import { startFaultProxy, type FaultProxy, type FaultStep } from '../support/fault-proxy';
import { enrollPhone, type NodePhone } from '../support/phone';
import {
  PROCESS_ADMIN_TOKEN,
  startServerProcess,
  type ServerProcess,
} from '../support/server-process';
import {
  createScratchDb,
  describeEachStore,
  storeTargets,
  type ScratchDb,
} from '../support/stores';

/** What a retry may take beyond its computed delay: the answer, IndexedDB, timer lateness. */
const SLACK_MS = 1_500;

const SCRIPT: FaultStep[] = [
  { status: 500 },
  { status: 503, retryAfter: '1' },
  { status: 500 },
  { status: 429, retryAfter: '2' },
];

/** mulberry32: reproducible jitter. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

async function until(cond: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
}

const targets = await storeTargets('reliability scenario 4 (500/503/429 with Retry-After)');

describeEachStore(
  'scenario 4: the server answers 500, 503 and 429 for a while',
  targets,
  (target) => {
    let db: ScratchDb;
    let server: ServerProcess | undefined;
    let proxy: FaultProxy | undefined;
    let phone: NodePhone | undefined;

    beforeAll(async () => {
      db = await createScratchDb(target, 'errors');
      server = await startServerProcess(db);
      proxy = await startFaultProxy(server.base);
    });
    afterAll(async () => {
      phone?.stop();
      await proxy?.close();
      await server?.stop();
      await db?.drop();
    });

    it('drops no record and spaces its retries by the backoff bounds and Retry-After', async () => {
      phone = await enrollPhone({
        serverUrl: proxy!.base,
        adminToken: PROCESS_ADMIN_TOKEN,
        random: seeded(2020),
      });
      const ids = await phone.save(20);
      proxy!.script.push(...SCRIPT);
      phone.engine.start();

      // Records keep coming while the server is failing.
      await until(() => proxy!.attempts.length >= 2, 30_000);
      ids.push(...(await phone.save(5)));
      await phone.waitUntilAllSent(60_000);

      const attempts = proxy!.attempts;
      expect(attempts.slice(0, SCRIPT.length).map((a) => a.status)).toEqual([500, 503, 500, 429]);
      expect(attempts.slice(SCRIPT.length).every((a) => a.status === 200)).toBe(true);
      const gaps: string[] = [];
      for (let i = 0; i < SCRIPT.length; i++) {
        const step = SCRIPT[i]!;
        const gap = attempts[i + 1]!.at - attempts[i]!.at;
        gaps.push(`${step.status}${step.retryAfter ? ` RA=${step.retryAfter}s` : ''} → ${gap} ms`);
        const [min, max] =
          step.retryAfter === undefined
            ? [0, backoffCeiling(i)]
            : [
                Number(step.retryAfter) * 1000,
                Number(step.retryAfter) * 1000 + SYNC_RETRY_AFTER_SPREAD_MS,
              ];
        const what = `retry after ${step.status} #${i}: waited ${gap} ms, allowed [${min}, ${max})`;
        expect(gap, what).toBeGreaterThanOrEqual(min);
        expect(gap, what).toBeLessThan(max + SLACK_MS);
      }

      console.info(`[${db.label}] retry spacing: ${gaps.join('; ')}`);

      expect(await db.recordCount()).toEqual({ rows: ids.length, distinct: ids.length });
      expect(await db.recordIds()).toEqual([...ids].sort());
      const states = await phone.states();
      expect([...states.values()].every((s) => s === 'synced')).toBe(true);
      expect(phone.engine.getStatus().lastError).toBeUndefined();
    });
  },
);
