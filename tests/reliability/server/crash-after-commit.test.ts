/**
 * Scenario 1: the server dies (SIGKILL) after it committed a batch and before it answered.
 * The phone never learns that the batch arrived, so it sends it again to the restarted server,
 * which must answer those records as duplicates: every record stored exactly once.
 *
 * A real server process with GATELOG_FAULTS=kill-after-commit@2 (src/server/faults.ts) and a
 * node phone (the app's SyncEngine on fake-indexeddb, real fetch). 600 records go as batches
 * of 500 and 100: the first is answered, the second is committed and the server dies.
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

const targets = await storeTargets('reliability scenario 1 (kill after commit)');

describeEachStore(
  'scenario 1: server SIGKILLed after commit, before answering',
  targets,
  (target) => {
    let db: ScratchDb;
    let first: ServerProcess | undefined;
    let second: ServerProcess | undefined;
    let phone: NodePhone | undefined;

    beforeAll(async () => {
      db = await createScratchDb(target, 'killafter');
    });
    afterAll(async () => {
      phone?.stop();
      await first?.stop();
      await second?.stop();
      await db?.drop();
    });

    it('the phone resends to the restarted server and every record is stored exactly once', async () => {
      first = await startServerProcess(db, { faults: 'kill-after-commit@2' });
      phone = await enrollPhone({ serverUrl: first.base, adminToken: PROCESS_ADMIN_TOKEN });
      const ids = await phone.save(RECORDS);
      const sorted = [...ids].sort();
      phone.engine.start();

      // The second batch is committed, then the server kills itself before answering:
      // the database already holds every record.
      const death = await exitWithin(first, 60_000);
      expect(death).toEqual({ code: null, signal: 'SIGKILL' });
      expect(first.output()).toContain('gatelog: fault kill-after-commit@2: SIGKILL');
      expect(await db.recordIds()).toEqual(sorted);

      // The phone got the first answer only: batch 2 is still pending on it.
      await phone.engine.idle();
      const answered = phone.exchanges.filter((x) => x.status === 200);
      expect(answered).toHaveLength(1);
      expect((answered[0]!.body as SyncResponse).accepted).toEqual(sorted.slice(0, BATCH));
      expect(phone.exchanges.at(-1)).toMatchObject({ status: 0 });
      expect(await phone.pending()).toBe(RECORDS - BATCH);

      // Same data, same port: the phone's own retries find it again.
      second = await startServerProcess(db, { port: first.port });
      await phone.waitUntilAllSent(60_000);

      const after = phone.exchanges.filter((x) => x.status === 200).slice(1);
      // The resend is all of batch 2, answered as duplicates: nothing is stored twice.
      expect(after.flatMap((x) => x.sentIds)).toEqual(sorted.slice(BATCH));
      expect(after.flatMap((x) => (x.body as SyncResponse).duplicates)).toEqual(
        sorted.slice(BATCH),
      );
      expect(after.flatMap((x) => (x.body as SyncResponse).accepted)).toEqual([]);
      expect(after.flatMap((x) => (x.body as SyncResponse).rejected)).toEqual([]);

      expect(await db.recordCount()).toEqual({ rows: RECORDS, distinct: RECORDS });
      expect(await db.recordIds()).toEqual(sorted);
      const states = await phone.states();
      expect([...states.values()].every((s) => s === 'synced')).toBe(true);
      expect(states.size).toBe(RECORDS);

      // Neither server wrote anyone's name, ID number, phone or address to its log.
      const people = (await phone.db.db.records.toArray()).map((r) => r.record.person);
      expectNoPii(first.output() + second.output(), people.flatMap(piiOf));
    });
  },
);
