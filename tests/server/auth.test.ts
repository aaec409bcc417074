import { mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
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

describe('an admin token kept in a file', () => {
  const NEW_TOKEN = 'rotated-admin-token-fedcba9876543210';
  const gates = (token: string) =>
    rotating.app.inject({ method: 'GET', url: '/api/v1/gates', headers: bearer(token) });
  /** The file is looked at once a second at most. */
  const aSecond = () => new Promise((r) => setTimeout(r, 1_100));
  let rotating: TestServer;
  let file: string;
  const lines: string[] = [];

  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gatelog-token-'));
    file = join(dir, 'admin-token');
    writeFileSync(file, `${ADMIN_TOKEN}\n`, { mode: 0o600 });
    rotating = await startServer({
      adminTokenFile: file,
      logger: { level: 'info', stream: { write: (l) => void lines.push(l) } },
    });
  });
  afterAll(async () => {
    await rotating.close();
    rmSync(dirname(file), { recursive: true, force: true });
  });

  it('takes a new token written there within a second or two, and refuses the old one', async () => {
    expect((await gates(ADMIN_TOKEN)).statusCode).toBe(200);
    writeFileSync(file, `${NEW_TOKEN}\n`);
    await aSecond();
    expect((await gates(NEW_TOKEN)).statusCode).toBe(200);
    expect((await gates(ADMIN_TOKEN)).statusCode).toBe(401);
    // Nor can the new one act as a phone.
    const sync = await rotating.app.inject({
      method: 'POST',
      url: '/api/v1/sync',
      headers: bearer(NEW_TOKEN),
      payload: {},
    });
    expect(sync.statusCode).toBe(403);
    const changed = lines.filter((l) => l.includes('admin token file changed'));
    expect(changed).toHaveLength(1);
  });

  it('keeps the token in use, with one warning, when the file turns too short, empty or missing', async () => {
    for (const [change, why] of [
      [() => writeFileSync(file, 'short-token\n'), 'holds a token of 11 characters'],
      [() => writeFileSync(file, ''), 'is empty'],
      [() => rmSync(file), 'cannot be read (ENOENT)'],
    ] as const) {
      lines.length = 0;
      change();
      await aSecond();
      expect((await gates(NEW_TOKEN)).statusCode).toBe(200);
      await aSecond();
      expect((await gates(NEW_TOKEN)).statusCode).toBe(200);
      const warned = lines.filter((l) => l.includes('admin token in use stays'));
      expect(warned, why).toHaveLength(1);
      expect(JSON.parse(warned[0]!)).toMatchObject({ level: 40, file });
      expect(warned[0]).toContain(why);
      expect(lines.join('')).not.toContain(NEW_TOKEN);
      expect(lines.join('')).not.toContain('short-token');
    }
    expect((await gates('short-token')).statusCode).toBe(401);
    writeFileSync(file, `${ADMIN_TOKEN}\n`);
    await aSecond();
    expect((await gates(ADMIN_TOKEN)).statusCode).toBe(200);
  });

  it('reads a file caught half-written again at each look, warning once of each state, until it is whole', async () => {
    // Written in place over a file of its final size (as a writer that sizes the file first
    // does), where file times are coarse: half-written and whole, the file has the same inode,
    // size and time, so only reading it again tells them apart.
    const whole = `${NEW_TOKEN}\n`;
    const at = new Date('2026-03-01T08:00:00Z');
    const writeInPlace = (text: string) => {
      writeFileSync(file, text.padEnd(whole.length, '\0'));
      utimesSync(file, at, at);
    };
    const warned = () => lines.filter((l) => l.includes('admin token in use stays'));
    lines.length = 0;
    for (const [text, why] of [
      ['', 'is empty'],
      [NEW_TOKEN.slice(0, 11), 'holds a token of 11 characters'],
    ] as const) {
      writeInPlace(text);
      for (let look = 0; look < 2; look++) {
        await aSecond();
        expect((await gates(ADMIN_TOKEN)).statusCode).toBe(200);
      }
      expect(warned().at(-1)).toContain(why);
    }
    expect(warned()).toHaveLength(2);
    writeInPlace(whole);
    await aSecond();
    expect((await gates(NEW_TOKEN)).statusCode).toBe(200);
    expect((await gates(ADMIN_TOKEN)).statusCode).toBe(401);
    expect(lines.filter((l) => l.includes('admin token file changed'))).toHaveLength(1);
    expect(warned()).toHaveLength(2);
  });

  it('never follows a file when the token came from the environment', async () => {
    // The default harness passes no file: as main.ts does for GATELOG_ADMIN_TOKEN.
    const fromEnv = await startServer();
    try {
      writeFileSync(join(fromEnv.dir, 'admin-token'), `${NEW_TOKEN}\n`);
      await aSecond();
      const res = (token: string) =>
        fromEnv.app.inject({ method: 'GET', url: '/api/v1/gates', headers: bearer(token) });
      expect((await res(NEW_TOKEN)).statusCode).toBe(401);
      expect((await res(ADMIN_TOKEN)).statusCode).toBe(200);
    } finally {
      await fromEnv.close();
    }
  });
});
