/**
 * Scenario 9: a phone's clock is 3 days ahead, another's a year behind, a third is right. The
 * server accepts all their records, flags the two wrong clocks in the logs API (`clockSkewMs`,
 * `clockSkewed`, measured from the batch id's UUIDv7 time against the server's receivedAt), and
 * orders the list by its own `receivedAt`, never by the phones' `occurredAt`. Retention goes by
 * the server's clock too: a restart (which purges) keeps the year-old-looking records.
 *
 * A real server process and three node phones, each with its own clock and its own copy of the
 * app's modules, syncing one after the other.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { LogItem } from '../../../src/shared';
import { enrollPhone } from '../support/phone';
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

const DAY_MS = 86_400_000;
const PHONES = [
  { name: 'ahead', offsetMs: 3 * DAY_MS },
  { name: 'right', offsetMs: 0 },
  { name: 'behind', offsetMs: -365 * DAY_MS },
] as const;
/** The batch id is made just before the request leaves: its time trails receivedAt by this. */
const NETWORK_TOLERANCE_MS = 30_000;

async function logs(base: string): Promise<LogItem[]> {
  const res = await fetch(`${base}/api/v1/logs?limit=1000`, {
    headers: { authorization: `Bearer ${PROCESS_ADMIN_TOKEN}` },
  });
  expect(res.status).toBe(200);
  return ((await res.json()) as { items: LogItem[] }).items;
}

const targets = await storeTargets('reliability scenario 9 (device clock skew)');

describeEachStore('scenario 9: device clock 3 days ahead or a year behind', targets, (target) => {
  let db: ScratchDb;
  let server: ServerProcess;

  beforeAll(async () => {
    db = await createScratchDb(target, 'skew');
    server = await startServerProcess(db);
  });
  afterAll(async () => {
    await server?.stop();
    await db?.drop();
  });

  it('accepts the records, flags the skew, and orders by the server’s receivedAt', async () => {
    const t0 = Date.now();
    const sent: Record<string, string[]> = {};
    for (const p of PHONES) {
      const phone = await enrollPhone({
        serverUrl: server.base,
        adminToken: PROCESS_ADMIN_TOKEN,
        clockOffsetMs: p.offsetMs,
        deviceName: `clock ${p.name}`,
      });
      sent[p.name] = (await phone.save(3)).sort();
      phone.engine.start();
      await phone.waitUntilAllSent(30_000);
      const states = await phone.states();
      expect([...states.values()], p.name).toEqual(['synced', 'synced', 'synced']);
      phone.stop();
    }
    const t1 = Date.now();

    const items = await logs(server.base);
    // Sync order (ahead, right, behind) — the reverse of the phones' occurredAt order.
    expect(items.map((i) => i.id)).toEqual([...sent.ahead!, ...sent.right!, ...sent.behind!]);
    const received = items.map((i) => Date.parse(i.receivedAt));
    expect(received).toEqual([...received].sort((a, b) => a - b));
    const occurred = items.map((i) => Date.parse(i.occurredAt));
    expect(occurred).not.toEqual([...occurred].sort((a, b) => a - b));
    for (const r of received) {
      // The server's own clock, whatever the phone's said.
      expect(r).toBeGreaterThanOrEqual(t0 - 1_000);
      expect(r).toBeLessThanOrEqual(t1 + 1_000);
    }

    for (const p of PHONES) {
      for (const item of items.filter((i) => sent[p.name]!.includes(i.id))) {
        expect(item.clockSkewed, p.name).toBe(p.offsetMs !== 0);
        expect(item.clockSkewMs, p.name).toBeGreaterThan(p.offsetMs - NETWORK_TOLERANCE_MS);
        expect(item.clockSkewMs, p.name).toBeLessThanOrEqual(p.offsetMs + 1_000);
        // occurredAt is what the phone said; the server does not rewrite it.
        const offBy = Date.parse(item.occurredAt) - Date.parse(item.receivedAt);
        expect(Math.abs(offBy - p.offsetMs), p.name).toBeLessThan(5 * 60_000);
      }
    }

    // Retention counts from receivedAt: a restart purges nothing of the "year-old" records.
    await server.stop();
    server = await startServerProcess(db, { port: server.port });
    expect((await logs(server.base)).map((i) => i.id)).toEqual(items.map((i) => i.id));
  });
});
