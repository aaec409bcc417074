/**
 * Scenario 2: the server dies (SIGKILL) in the middle of a batch's transaction: its INSERT ran,
 * its COMMIT was never sent. No part of that batch may be visible afterwards, and when the
 * phone sends it again to the restarted server, all of it is stored, once.
 *
 * A real server process with GATELOG_FAULTS=kill-before-commit@2 (src/server/faults.ts) and a
 * node phone. 600 records go as batches of 500 and 100: the first commits, the second dies
 * inside its transaction. The database is read directly after the crash and after the resend.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { SyncResponse } from '../../../src/shared';
import { enrollPhone, type NodePhone } from '../support/phone';
import { expectNoPii, piiOf } from '../support/pii';
import {
  PROCESS_ADMIN_TOKEN,
  exitWithin,
  startServerProcess,
  type ServerProcess,
} from '../support/server-process';
import {
  createScratchDb,
  describeEachStore,
  storeTargets,
  type ScratchDb,
} from '../support/stores';

const RECORDS = 600;
const BATCH = 500;

const targets = await storeTargets('reliability scenario 2 (kill before commit)');

describeEachStore('scenario 2: server SIGKILLed between INSERT and COMMIT', targets, (target) => {
  let db: ScratchDb;
  let first: ServerProcess | undefined;
  let second: ServerProcess | undefined;
  let phone: NodePhone | undefined;

  beforeAll(async () => {
    db = await createScratchDb(target, 'killbefore');
  });
  afterAll(async () => {
    phone?.stop();
    await first?.stop();
    await second?.stop();
    await db?.drop();
  });

  it('no part of the batch is visible after the crash, and the resend stores all of it once', async () => {
    first = await startServerProcess(db, { faults: 'kill-before-commit@2' });
    phone = await enrollPhone({ serverUrl: first.base, adminToken: PROCESS_ADMIN_TOKEN });
    const ids = await phone.save(RECORDS);
    const sorted = [...ids].sort();
    phone.engine.start();

    const death = await exitWithin(first, 60_000);
    expect(death).toEqual({ code: null, signal: 'SIGKILL' });
    expect(first.output()).toContain('gatelog: fault kill-before-commit@2: SIGKILL');

    // Atomic: the first batch is there whole, not one row of the second.
    expect(await db.recordIds()).toEqual(sorted.slice(0, BATCH));
    await phone.engine.idle();
    expect(await phone.pending()).toBe(RECORDS - BATCH);
    // The phone waits while the server restarts: a retry landing before the count below would
    // store the batch and hide what recovery left.
    phone.engine.stop();
    await phone.engine.idle();

    second = await startServerProcess(db, { port: first.port });
    // Still nothing of it after the restart (recovery did not bring half a batch back).
    expect(await db.recordCount()).toEqual({ rows: BATCH, distinct: BATCH });
    phone.engine.start();
    await phone.waitUntilAllSent(60_000);

    // The resend finds nothing of the batch stored: all of it is accepted, none duplicate.
    const after = phone.exchanges.filter((x) => x.status === 200).slice(1);
    expect(after.flatMap((x) => x.sentIds)).toEqual(sorted.slice(BATCH));
    expect(after.flatMap((x) => (x.body as SyncResponse).accepted)).toEqual(sorted.slice(BATCH));
    expect(after.flatMap((x) => (x.body as SyncResponse).duplicates)).toEqual([]);
    expect(after.flatMap((x) => (x.body as SyncResponse).rejected)).toEqual([]);

    expect(await db.recordCount()).toEqual({ rows: RECORDS, distinct: RECORDS });
    expect(await db.recordIds()).toEqual(sorted);
    const states = await phone.states();
    expect(states.size).toBe(RECORDS);
    expect([...states.values()].every((s) => s === 'synced')).toBe(true);

    const people = (await phone.db.db.records.toArray()).map((r) => r.record.person);
    expectNoPii(first.output() + second.output(), people.flatMap(piiOf));
  });
});
