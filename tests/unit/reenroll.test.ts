/**
 * A phone enrolled again at another gate (a phone moved from one gate to another) while it still
 * holds records of the first, against the real server (src/server through `app.inject`,
 * fake-indexeddb on the phone): they go with the first enrollment's token before the new one
 * takes over; and when that token was revoked first, the new enrollment names it, and the
 * server takes them with the new token, for the first gate.
 */
import 'fake-indexeddb/auto';
import { afterEach, beforeEach, expect, it } from 'vitest';
import {
  GateLogDb,
  db,
  getSetting,
  outboxStats,
  saveEntry,
  setDb,
  startShift,
} from '../../src/app/db';
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

async function code(gateId: string, on: TestServer = server): Promise<string> {
  const res = await on.admin({
    method: 'POST',
    url: `/api/v1/gates/${gateId}/enrollment-codes`,
  });
  return res.json<{ code: string }>().code;
}

/** Enrolled at the server's gate, with three records of a shift there not sent yet. */
async function enrolledHoldingThree(fetch: typeof globalThis.fetch) {
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
  return first;
}

const storedRecords = () => server.store.db.prepare('SELECT gate_id, device_id FROM records').all();

it('sends the records of its first gate with that gate’s token before it enrolls at another', async () => {
  const seen: string[] = [];
  const fetch = fetchVia(server.app, seen);
  const first = await enrolledHoldingThree(fetch);

  const south = await createGate(server.store, 'South gate / 南门');
  await enrollDevice(await code(south.id), '', { fetch });
  await engine.idle();

  expect((await getSetting('gate'))?.id).toBe(south.id);
  expect(await outboxStats()).toMatchObject({ pending: 0, rejected: 0 });
  expect(storedRecords()).toEqual(
    Array.from({ length: 3 }, () => ({ gate_id: server.gate.id, device_id: first.deviceId })),
  );
});

it('sends them with the new token when the committee revoked the first before the move', async () => {
  const fetch = fetchVia(server.app, []);
  const first = await enrolledHoldingThree(fetch);
  const revoked = await server.admin({
    method: 'DELETE',
    url: `/api/v1/devices/${first.deviceId}`,
  });
  expect(revoked.statusCode).toBe(204);

  const south = await createGate(server.store, 'South gate / 南门');
  await enrollDevice(await code(south.id), '', { fetch });
  await engine.idle();
  await engine.flush();

  expect(await outboxStats()).toMatchObject({ pending: 0, rejected: 0 });
  expect(storedRecords()).toEqual(
    Array.from({ length: 3 }, () => ({ gate_id: server.gate.id, device_id: first.deviceId })),
  );
});

it('never shows another server the token of this one', async () => {
  const enrollBodies: unknown[] = [];
  const other = await startServer();
  try {
    const toOther = fetchVia(other.app, []);
    const fetch = (async (input: RequestInfo | URL, init?: RequestInit) => {
      const url = new URL(String(input), 'http://phone.test');
      if (url.pathname === '/api/v1/enroll') enrollBodies.push(JSON.parse(String(init?.body)));
      return url.host === 'other.test'
        ? toOther(input, init)
        : fetchVia(server.app, [])(input, init);
    }) as typeof globalThis.fetch;
    await enrolledHoldingThree(fetch);
    await enrollDevice(await code(server.gate.id), '', { fetch });
    await enrollDevice(await code(other.gate.id, other), 'http://other.test', { fetch });
    expect(enrollBodies.map((b) => 'formerToken' in (b as object))).toEqual([false, true, false]);
  } finally {
    await other.close();
  }
});

it('after a restore that lost its enrollment, enrolled again, sends what it held and what the server lost', async () => {
  const fetch = fetchVia(server.app, []);
  const first = await enrolledHoldingThree(fetch);
  await engine.flush();
  expect(storedRecords()).toHaveLength(3);
  const shift = (await getSetting('currentShiftId'))!;
  const held = await saveEntry(makeEntry(), {
    shift: (await db.shifts.get(shift))!,
    deviceId: first.deviceId,
    rules: server.gate.rules,
  });

  // The server is restored from a backup made before this phone enrolled.
  server.store.db.prepare('DELETE FROM records').run();
  server.store.db.prepare('DELETE FROM devices WHERE id = ?').run(first.deviceId);
  await engine.flush();
  expect(await getSetting('authProblem')).toMatchObject({ status: 401 });

  await enrollDevice(await code(server.gate.id), '', { fetch });
  await engine.idle();
  await engine.flush();
  expect(await outboxStats()).toMatchObject({ pending: 0, rejected: 0 });
  const stored = server.store.db.prepare('SELECT id, device_id FROM records ORDER BY id').all();
  expect(stored).toHaveLength(4);
  expect(stored).toContainEqual({ id: held.id, device_id: first.deviceId });
});
