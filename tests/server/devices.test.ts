import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DeviceSummary } from '../../src/shared';
import { bearer, startServer, type Phone, type TestServer } from './harness';

let server: TestServer;
let phone: Phone;

beforeEach(async () => {
  server = await startServer();
  phone = await server.enroll(undefined, '门岗一号机');
});
afterEach(() => server.close());

const devices = async () =>
  (await server.admin({ method: 'GET', url: '/api/v1/devices' })).json<{
    devices: DeviceSummary[];
  }>().devices;

describe('GET /api/v1/devices', () => {
  it('lists a phone that never synced', async () => {
    expect(await devices()).toEqual([
      {
        id: phone.deviceId,
        name: '门岗一号机',
        gateId: server.gate.id,
        gateName: server.gate.name,
        createdAt: expect.any(String),
        lastSeenAt: null,
        lastSyncAt: null,
        revoked: false,
        revokedAt: null,
        lastRecordId: null,
        status: null,
      },
    ]);
  });

  it('shows the last acknowledged record and the backlog the phone reported', async () => {
    const records = [phone.record(), phone.record(), phone.record()];
    await server.sync(phone, records.slice(0, 2));
    await server.sync(phone, records);
    const [d] = await devices();
    expect(d).toMatchObject({
      lastRecordId: records[2]!.id,
      status: { appVersion: '0.1.0', pending: 3 },
    });
    expect(Date.parse(d!.lastSeenAt!)).toBeLessThanOrEqual(Date.now());
  });

  it('marks a revoked phone, which can then no longer sync', async () => {
    expect(
      (await server.admin({ method: 'DELETE', url: `/api/v1/devices/${phone.deviceId}` }))
        .statusCode,
    ).toBe(204);
    const [d] = await devices();
    expect(d).toMatchObject({ revoked: true, revokedAt: expect.any(String) });
    expect((await server.syncRaw(phone, [phone.record()])).statusCode).toBe(403);
  });
});

describe('gates', () => {
  it('are created with default rules and listed', async () => {
    const res = await server.admin({
      method: 'POST',
      url: '/api/v1/gates',
      payload: { name: '  East gate ' },
    });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toEqual({
      id: expect.any(String),
      name: 'East gate',
      rules: {
        feverThresholdC: 37.3,
        quarantineDays: 14,
        keyRegions: ['湖北', 'Hubei'],
        dutyPhone: '',
      },
    });
    const list = await server.admin({ method: 'GET', url: '/api/v1/gates' });
    expect(list.json().gates.map((g: { name: string }) => g.name)).toEqual([
      server.gate.name,
      'East gate',
    ]);
  });

  it('reject bad rules with 400', async () => {
    const res = await server.admin({
      method: 'POST',
      url: '/api/v1/gates',
      payload: { name: 'Hot gate', rules: { feverThresholdC: 45 } },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().message).toContain('rules.feverThresholdC');
  });
});

describe('GET /api/v1/device/config', () => {
  const config = () =>
    server.app.inject({
      method: 'GET',
      url: '/api/v1/device/config',
      headers: bearer(phone.token),
    });
  let zone: string | undefined;
  beforeEach(() => {
    zone = process.env.TZ;
    process.env.TZ = 'Asia/Shanghai'; // the server's zone (Node reads TZ again on a change)
  });
  afterEach(() => {
    if (zone === undefined) delete process.env.TZ;
    else process.env.TZ = zone;
  });

  it("gives the phone its gate's name and rules and the server's time and UTC offset", async () => {
    expect((await config()).json()).toEqual({
      deviceId: phone.deviceId,
      gate: {
        id: server.gate.id,
        name: server.gate.name,
        rules: expect.objectContaining({ feverThresholdC: 37.3 }),
      },
      serverTime: expect.any(String),
      utcOffsetMinutes: 480,
      lastRecordId: null,
      lastSyncAt: null,
    });
  });

  it('gives no UTC offset from a server left in UTC', async () => {
    process.env.TZ = 'UTC';
    expect((await config()).json()).not.toHaveProperty('utcOffsetMinutes');
  });
});
