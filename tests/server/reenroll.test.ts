/**
 * A phone enrolled again (`POST /api/v1/enroll` with `formerToken`): the records it saved under
 * its earlier enrollment and had not sent still reach the server, each for its own gate, even
 * when the committee revoked the earlier token before the phone was moved to another gate.
 */
import { createHash, randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { shiftDigestInput, type DeviceSummary, type ShiftCloseResponse } from '../../src/shared';
import { createGate } from '../../src/server/gates';
import { MAX_FORMER_DEVICES } from '../../src/server/routes/enroll';
import type { GateRow } from '../../src/server/store/types';
import { bearer, startServer, type Phone, type TestServer } from './harness';

let server: TestServer;
let north: Phone;
let south: GateRow;

beforeEach(async () => {
  server = await startServer();
  north = await server.enroll();
  south = await createGate(server.store, 'South gate / 南门');
});
afterEach(() => server.close());

const revoke = (phone: Phone) =>
  server.admin({ method: 'DELETE', url: `/api/v1/devices/${phone.deviceId}` });

const stored = (id: string) =>
  server.store.db
    .prepare('SELECT gate_id, device_id, is_fever FROM records WHERE id = ?')
    .get(id) as { gate_id: string; device_id: string; is_fever: number } | undefined;

describe('a phone revoked, then enrolled at another gate with its former token', () => {
  it('sends its first gate’s records, stored for that gate and judged by its rules', async () => {
    // The north gate's threshold lowered to 37.0 while this phone was offline: it admitted
    // 37.1 °C by the 37.3 it knew. The south gate keeps 37.3, so 37.1 is no fever there.
    await server.admin({
      method: 'PATCH',
      url: `/api/v1/gates/${north.gateId}`,
      payload: { rules: { feverThresholdC: 37.0 } },
    });
    const held = [north.record({ temperatureC: 37.1, decision: 'admitted' }), north.record()];
    expect((await revoke(north)).statusCode).toBe(204);
    expect((await server.syncRaw(north, held)).statusCode).toBe(403);

    const moved = await server.enroll(south.id, 'Phone', north.token);
    const res = await server.sync(moved, held);
    expect(res).toMatchObject({ accepted: held.map((r) => r.id), rejected: [] });
    expect(stored(held[0]!.id)).toEqual({
      gate_id: north.gateId,
      device_id: north.deviceId,
      is_fever: 1,
    });
    // Sent again after a lost answer: duplicates.
    expect((await server.sync(moved, held)).duplicates).toEqual(held.map((r) => r.id));
    // Its own records are the south gate's.
    const own = moved.record();
    expect((await server.sync(moved, [own])).accepted).toEqual([own.id]);
    expect(stored(own.id)?.gate_id).toBe(south.id);
  });

  it('still writes no other gate: not the first gate under its new id, nor a third gate', async () => {
    const west = await createGate(server.store, 'West gate');
    const moved = await server.enroll(south.id, 'Phone', north.token);
    const newAtNorth = moved.record({ gateId: north.gateId });
    const oldAtWest = north.record({ gateId: west.id });
    const res = await server.sync(moved, [newAtNorth, oldAtWest]);
    expect(res.accepted).toEqual([]);
    expect(res.rejected.map((r) => [r.id, r.code])).toEqual([
      [newAtNorth.id, 'wrong_gate'],
      [oldAtWest.id, 'wrong_gate'],
    ]);
  });

  it('revokes the enrollment it replaced, which the committee’s list shows replaced', async () => {
    // Not revoked by the committee this time: moved by enrolling again.
    const moved = await server.enroll(south.id, 'Phone at the south gate', north.token);
    expect((await server.syncRaw(north, [north.record()])).statusCode).toBe(403);
    const res = await server.admin({ method: 'GET', url: '/api/v1/devices' });
    const { devices } = res.json<{ devices: DeviceSummary[] }>();
    expect(devices.find((d) => d.id === north.deviceId)).toMatchObject({
      revoked: true,
      replacedBy: { id: moved.deviceId, name: 'Phone at the south gate', gateName: south.name },
    });
    expect(devices.find((d) => d.id === moved.deviceId)).not.toHaveProperty('replacedBy');
  });

  it('without its former token, or with one the server does not know, is a new phone', async () => {
    const held = north.record();
    const stranger = await server.enroll(south.id, 'Phone', 'not-a-token-of-this-server');
    const plain = await server.enroll(south.id);
    for (const phone of [stranger, plain]) {
      expect((await server.sync(phone, [held])).rejected).toMatchObject([
        { id: held.id, code: 'wrong_gate' },
      ]);
    }
    expect(stored(held.id)).toBeUndefined();
    expect((await server.syncRaw(north, [held])).statusCode).toBe(200);
  });

  it('after a restore that lost its enrollment, sends what it saved under it, for the new enrollment’s gate only', async () => {
    // Enrolled after the backup the server was restored from: neither its token nor its id are
    // known here any more.
    const lostId = randomUUID();
    const held = [north.record({ deviceId: lostId }), north.record({ deviceId: lostId })];
    const otherGate = north.record({ deviceId: lostId, gateId: south.id });
    const again = await server.enroll(north.gateId, 'Phone', 'token-of-a-lost-enrollment', lostId);
    const res = await server.sync(again, [...held, otherGate]);
    expect(res.accepted).toEqual(held.map((r) => r.id));
    expect(res.rejected).toMatchObject([{ id: otherGate.id, code: 'wrong_gate' }]);
    expect(stored(held[0]!.id)).toMatchObject({ gate_id: north.gateId, device_id: lostId });
    // The committee's list shows it replaced by the new enrollment.
    const devices = (await server.admin({ method: 'GET', url: '/api/v1/devices' })).json<{
      devices: DeviceSummary[];
    }>().devices;
    expect(devices.find((d) => d.id === lostId)).toMatchObject({
      gateId: north.gateId,
      revokedAt: expect.any(String),
    });

    // A phone the server has is not taken over by naming it with a token it does not know.
    const southPhone = await server.enroll(south.id, 'Phone', 'not-its-token', north.deviceId);
    const north2 = north.record();
    expect((await server.sync(southPhone, [north2])).rejected).toMatchObject([
      { id: north2.id, code: 'wrong_gate' },
    ]);
    expect((await server.syncRaw(north, [north2])).statusCode).toBe(200);
  });

  it('takes a former token again only while the enrollment that replaced it is unused', async () => {
    const held = north.record();
    // The answer that enrolled it again was lost: the phone still holds the old token, and
    // enrolls again with a new code.
    await server.enroll(south.id, 'Phone', north.token);
    const again = await server.enroll(south.id, 'Phone', north.token);
    expect((await server.sync(again, [held])).accepted).toEqual([held.id]);
    // That enrollment is in use now: the old token, shown again, names nobody's records.
    const other = await server.enroll(south.id, 'Another phone', north.token);
    const second = north.record();
    expect((await server.sync(other, [second])).rejected).toMatchObject([
      { id: second.id, code: 'wrong_gate' },
    ]);
    expect((await server.sync(again, [second])).accepted).toEqual([second.id]);
  });

  it('keeps every earlier enrollment when moved again, up to a bound', async () => {
    const west = await createGate(server.store, 'West gate');
    const atSouth = await server.enroll(south.id, 'Phone', north.token);
    const atWest = await server.enroll(west.id, 'Phone', atSouth.token);
    const held = [north.record(), atSouth.record()];
    expect((await server.sync(atWest, held)).accepted).toEqual(held.map((r) => r.id));
    expect(held.map((r) => stored(r.id)?.gate_id)).toEqual([north.gateId, south.id]);

    let phone = atWest;
    for (let i = 0; i < MAX_FORMER_DEVICES + 2; i++) {
      const gate = await createGate(server.store, `Gate ${i}`);
      phone = await server.enroll(gate.id, 'Phone', phone.token);
    }
    const devices = (await server.store.listDevices()).find((d) => d.id === phone.deviceId);
    expect(devices?.formerDevices).toHaveLength(MAX_FORMER_DEVICES);
  });

  it('closes a shift begun at its first gate, with that gate’s receipt', async () => {
    const shiftId = randomUUID();
    const held = [north.record({ shiftId }), north.record({ shiftId })];
    await revoke(north);
    const moved = await server.enroll(south.id, 'Phone', north.token);
    await server.sync(moved, held);
    const res = await server.app.inject({
      method: 'POST',
      url: `/api/v1/shifts/${shiftId}/close`,
      headers: bearer(moved.token),
      payload: {
        recordCount: 2,
        digest: createHash('sha256')
          .update(shiftDigestInput(held.map((r) => r.id)))
          .digest('hex'),
      },
    });
    const answer = res.json<ShiftCloseResponse>();
    expect(answer).toMatchObject({ received: 2, complete: true });
    expect(answer.receipt?.gateId).toBe(north.gateId);
  });
});
