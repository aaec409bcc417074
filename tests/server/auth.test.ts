import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, bearer, startServer, type Phone, type TestServer } from './harness';

let server: TestServer;
let phone: Phone;
let revoked: Phone;

beforeAll(async () => {
  server = await startServer();
  phone = await server.enroll();
  revoked = await server.enroll(undefined, 'Lost phone');
  const del = await server.admin({ method: 'DELETE', url: `/api/v1/devices/${revoked.deviceId}` });
  expect(del.statusCode).toBe(204);
});
afterAll(() => server.close());

const DEVICE_ENDPOINTS = [
  { method: 'POST', url: '/api/v1/sync', payload: {} },
  { method: 'POST', url: '/api/v1/shifts/0b7e1e7a-8a53-4bb1-9a3e-6f1f8c2f0d11/close', payload: {} },
  { method: 'GET', url: '/api/v1/device/config' },
] as const;

const ADMIN_ENDPOINTS = [
  { method: 'GET', url: '/api/v1/gates' },
  { method: 'POST', url: '/api/v1/gates', payload: { name: 'x' } },
  { method: 'POST', url: '/api/v1/gates/some-gate/enrollment-codes' },
  { method: 'GET', url: '/api/v1/devices' },
  { method: 'DELETE', url: '/api/v1/devices/some-device' },
  { method: 'GET', url: '/api/v1/logs' },
  { method: 'GET', url: '/api/v1/logs.csv' },
] as const;

const call = (e: (typeof DEVICE_ENDPOINTS | typeof ADMIN_ENDPOINTS)[number], headers = {}) =>
  server.app.inject({
    method: e.method,
    url: e.url,
    headers,
    ...('payload' in e && { payload: e.payload }),
  });

describe.each([...DEVICE_ENDPOINTS, ...ADMIN_ENDPOINTS])('$method $url', (endpoint) => {
  it('without a token → 401', async () => {
    const res = await call(endpoint);
    expect(res.statusCode).toBe(401);
    expect(res.json()).toEqual({ error: 'unauthorized', message: expect.any(String) });
  });

  it('with an unknown token → 401', async () => {
    const res = await call(endpoint, bearer('x'.repeat(43)));
    expect(res.statusCode).toBe(401);
  });

  it('with a malformed Authorization header → 401', async () => {
    const res = await call(endpoint, { authorization: `Basic ${ADMIN_TOKEN}` });
    expect(res.statusCode).toBe(401);
  });
});

describe.each(DEVICE_ENDPOINTS)('device endpoint $method $url', (endpoint) => {
  it('with a revoked phone → 403 device_revoked', async () => {
    const res = await call(endpoint, bearer(revoked.token));
    expect(res.statusCode).toBe(403);
    expect(res.json().error).toBe('device_revoked');
  });

  it('with the admin token → 403', async () => {
    const res = await call(endpoint, bearer(ADMIN_TOKEN));
    expect(res.statusCode).toBe(403);
    expect(res.json().error).toBe('forbidden');
  });
});

describe.each(ADMIN_ENDPOINTS)('admin endpoint $method $url', (endpoint) => {
  it('with a device token → 403', async () => {
    const res = await call(endpoint, bearer(phone.token));
    expect(res.statusCode).toBe(403);
  });

  it('with a revoked device token → 403', async () => {
    const res = await call(endpoint, bearer(revoked.token));
    expect(res.statusCode).toBe(403);
  });
});

describe('tokens', () => {
  it('are 256-bit base64url and stored only as their SHA-256', async () => {
    expect(phone.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const hashes = server.store.db
      .prepare('SELECT token_hash FROM devices')
      .pluck()
      .all() as string[];
    expect(hashes.every((h) => /^[0-9a-f]{64}$/.test(h))).toBe(true);
    const dump = JSON.stringify(server.store.db.prepare('SELECT * FROM devices').all());
    expect(dump).not.toContain(phone.token);
  });

  it('a working phone passes', async () => {
    const res = await server.app.inject({
      method: 'GET',
      url: '/api/v1/device/config',
      headers: bearer(phone.token),
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ deviceId: phone.deviceId, gate: { id: server.gate.id } });
  });

  it('revoking an unknown device → 404', async () => {
    const res = await server.admin({ method: 'DELETE', url: '/api/v1/devices/nope' });
    expect(res.statusCode).toBe(404);
  });
});
