/**
 * A phone enrolled again at another gate (a phone moved from one gate to another) while it still
 * holds records of the first: they go with the first enrollment's token before the new one
 * takes over, against the real server (src/server through `app.inject`, fake-indexeddb on the
 * phone). Sent later with the new token, the server would refuse them as another gate's.
 */
import 'fake-indexeddb/auto';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { GateLogDb, getSetting, outboxStats, saveEntry, setDb, startShift } from '../../src/app/db';
import { enrollDevice } from '../../src/app/sync/enroll';
import { SyncEngine, noLock, setSyncEngine } from '../../src/app/sync/sync-engine';
import { createGate } from '../../src/server/gates';
import { startServer, type TestServer } from '../server/harness';
import { makeEntry } from '../support/factories';
import { fetchVia } from '../support/fetch-via';

let server: TestServer;
let engine: SyncEngine;
let n = 0;

beforeEach(async () => {
  setDb(new GateLogDb(`reenroll-${Date.now()}-${n++}`));
  server = await startServer();
});
afterEach(async () => {
  engine.stop();
  await engine.idle();
  setSyncEngine(undefined);
  await server.close();
});

async function code(gateId: string): Promise<string> {
  const res = await server.admin({
    method: 'POST',
    url: `/api/v1/gates/${gateId}/enrollment-codes`,
  });
  return res.json<{ code: string }>().code;
}

it('sends the records of its first gate with that gate’s token before it enrolls at another', async () => {
  const seen: string[] = [];
  const fetch = fetchVia(server.app, seen);
  engine = new SyncEngine({ appVersion: 't', fetch, lock: noLock, env: {} });
  setSyncEngine(engine);
  await enrollDevice(await code(server.gate.id), '', { fetch });
  await engine.idle();
  const first = (await getSetting('enrollment'))!;

  // A shift at the first gate, its records not sent yet (still in their undo window).
  const shift = await startShift(server.gate.id, '王师傅');
  for (let i = 0; i < 3; i++) {
    await saveEntry(makeEntry(), { shift, deviceId: first.deviceId, rules: server.gate.rules });
  }
  expect(await outboxStats()).toMatchObject({ pending: 3 });

  const south = await createGate(server.store, 'South gate / 南门');
  await enrollDevice(await code(south.id), '', { fetch });
  await engine.idle();

  expect((await getSetting('gate'))?.id).toBe(south.id);
  expect(await outboxStats()).toMatchObject({ pending: 0, rejected: 0 });
  const stored = server.store.db.prepare('SELECT gate_id, device_id FROM records').all();
  expect(stored).toEqual(
    Array.from({ length: 3 }, () => ({ gate_id: server.gate.id, device_id: first.deviceId })),
  );
});
