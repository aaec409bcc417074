import { loadConfig } from '../../src/server/config';
import { afterEach, describe, expect, it } from 'vitest';
import { bearer, startServer, type TestServer } from './harness';

let server: TestServer;
afterEach(() => server.close());

const DAY_MS = 86_400_000;

async function newCode(s: TestServer, gateId = s.gate.id) {
  const res = await s.admin({ method: 'POST', url: `/api/v1/gates/${gateId}/enrollment-codes` });
  expect(res.statusCode).toBe(201);
  return res.json<{ code: string; expiresAt: string; url: string }>();
}

const enroll = (s: TestServer, code: string, deviceName = 'Gate phone 1') =>
  s.app.inject({ method: 'POST', url: '/api/v1/enroll', payload: { code, deviceName } });

describe('enrollment codes', () => {
  it('are long random base32, expire in 7 days and link to the app', async () => {
    server = await startServer();
    const before = Date.now();
    const { code, expiresAt, url } = await newCode(server);
    expect(code).toMatch(/^[A-Z2-7]{24}$/);
    expect(Date.parse(expiresAt) - before).toBeGreaterThanOrEqual(7 * DAY_MS - 1000);
    expect(Date.parse(expiresAt) - before).toBeLessThanOrEqual(7 * DAY_MS + 1000);
    expect(url).toBe(`https://gate.example.org/?enroll=${code}`);
    const stored = JSON.stringify(server.store.db.prepare('SELECT * FROM enrollment_codes').all());
    expect(stored).not.toContain(code);
  });

  it('link to the request host when no public URL is configured', async () => {
    server = await startServer({ publicUrl: undefined });
    const res = await server.admin({
      method: 'POST',
      url: `/api/v1/gates/${server.gate.id}/enrollment-codes`,
      headers: { host: '192.168.1.20:8080' },
    });
    expect(res.json().url).toMatch(/^http:\/\/192\.168\.1\.20:8080\/\?enroll=[A-Z2-7]{24}$/);
  });

  it("name one of the server's own addresses a phone can reach, whatever the Host header says", async () => {
    const lines: string[] = [];
    server = await startServer({
      publicUrl: undefined,
      // As main.ts passes them for HOST=0.0.0.0 on a computer with two networks.
      serverUrls: ['http://localhost:8080', 'http://192.168.1.20:8080', 'http://10.0.0.7:8080'],
      logger: { level: 'info', stream: { write: (l) => void lines.push(l) } },
    });
    const linkAt = async (host: string, headers: Record<string, string> = {}) => {
      const res = await server.admin({
        method: 'POST',
        url: `/api/v1/gates/${server.gate.id}/enrollment-codes`,
        headers: { host, ...headers },
      });
      expect(res.statusCode).toBe(201);
      return res.json<{ url: string }>().url.replace(/\?enroll=.*$/, '');
    };
    const warnings = () => lines.filter((l) => l.includes('GATELOG_PUBLIC_URL'));
    // The address the clerk's page was opened at, when it is one of the server's.
    expect(await linkAt('10.0.0.7:8080')).toBe('http://10.0.0.7:8080/');
    expect(await linkAt('192.168.1.20:8080')).toBe('http://192.168.1.20:8080/');
    // The page opened on the server's own computer: the address npm start printed, not localhost.
    expect(await linkAt('localhost:8080')).toBe('http://192.168.1.20:8080/');
    expect(await linkAt('127.0.0.1:8080')).toBe('http://192.168.1.20:8080/');
    expect(warnings()).toEqual([]);
    // A name that is none of the server's (a proxy's, or made up): never put in the QR code.
    expect(await linkAt('gatelog.evil.example')).toBe('http://192.168.1.20:8080/');
    expect(await linkAt('192.168.1.20:8080', { 'x-forwarded-host': 'evil.example' })).toBe(
      'http://192.168.1.20:8080/',
    );
    expect(await linkAt('gate.example.org')).toBe('http://192.168.1.20:8080/');
    // Said once, with what to do.
    expect(warnings()).toHaveLength(1);
    const warning = JSON.parse(warnings()[0]!) as { level: number; msg: string };
    expect(warning.level).toBe(40);
    expect(warning.msg).toContain('http://gatelog.evil.example');
    expect(warning.msg).toContain('the link names http://192.168.1.20:8080');
  });

  it('name GATELOG_PUBLIC_URL when it is set, whatever the Host header says', async () => {
    server = await startServer({
      serverUrls: ['http://localhost:8080', 'http://192.168.1.20:8080'],
    });
    const res = await server.admin({
      method: 'POST',
      url: `/api/v1/gates/${server.gate.id}/enrollment-codes`,
      headers: { host: '192.168.1.20:8080' },
    });
    expect(res.json().url).toMatch(/^https:\/\/gate\.example\.org\/\?enroll=/);
  });

  it('for an unknown gate → 404', async () => {
    server = await startServer();
    const res = await server.admin({ method: 'POST', url: '/api/v1/gates/nope/enrollment-codes' });
    expect(res.statusCode).toBe(404);
  });
});

describe('POST /api/v1/enroll', () => {
  it('trades a code for a device id, a token and the gate with its rules', async () => {
    server = await startServer();
    const { code } = await newCode(server);
    const res = await enroll(server, code);
    expect(res.statusCode).toBe(201);
    expect(res.json()).toEqual({
      deviceId: expect.any(String),
      token: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
      gate: {
        id: server.gate.id,
        name: server.gate.name,
        rules: {
          feverThresholdC: 37.3,
          quarantineDays: 14,
          keyRegions: expect.any(Array),
          dutyPhone: '',
        },
      },
    });
  });

  it('accepts a code typed in lower case with spaces', async () => {
    server = await startServer();
    const { code } = await newCode(server);
    const typed = code.toLowerCase().replace(/(.{4})/g, '$1 ');
    expect((await enroll(server, typed)).statusCode).toBe(201);
  });

  it('a used code → 409 code_used', async () => {
    server = await startServer();
    const { code } = await newCode(server);
    expect((await enroll(server, code)).statusCode).toBe(201);
    const again = await enroll(server, code, 'Another phone');
    expect(again.statusCode).toBe(409);
    expect(again.json()).toEqual({
      error: 'code_used',
      message: expect.stringContaining('已使用'),
    });
  });

  it('gives the enrollment again, with a new token, to the phone that never heard the answer', async () => {
    server = await startServer();
    const { code } = await newCode(server);
    const withKey = (retryKey: string, deviceName = 'Gate phone 1') =>
      server.app.inject({
        method: 'POST',
        url: '/api/v1/enroll',
        payload: { code, deviceName, retryKey },
      });
    const key = 'k'.repeat(43);
    const first = await withKey(key);
    expect(first.statusCode).toBe(201);
    // The answer was lost on the way: the phone asks again with the same code and key.
    const again = await withKey(key);
    expect(again.statusCode).toBe(201);
    expect(again.json().deviceId).toBe(first.json().deviceId);
    expect(again.json().token).not.toBe(first.json().token);
    expect(again.json().gate.id).toBe(server.gate.id);
    const config = (token: string) =>
      server.app.inject({ url: '/api/v1/device/config', headers: bearer(token) });
    expect((await config(first.json().token)).statusCode).toBe(401);
    expect((await config(again.json().token)).statusCode).toBe(200);
    // Used by the phone now: neither its key nor another gets it again.
    expect((await withKey(key)).statusCode).toBe(409);
    expect((await withKey('x'.repeat(43), 'Another phone')).statusCode).toBe(409);
    expect((await server.admin({ url: '/api/v1/devices' })).json().devices).toHaveLength(1);
  });

  it('an expired code → 410 code_expired', async () => {
    let now = Date.now();
    server = await startServer({ now: () => now });
    const { code } = await newCode(server);
    now += 7 * DAY_MS + 1;
    const res = await enroll(server, code);
    expect(res.statusCode).toBe(410);
    expect(res.json()).toEqual({
      error: 'code_expired',
      message: expect.stringContaining('expired'),
    });
  });

  it('the code TTL is configurable', async () => {
    let now = Date.now();
    server = await startServer({ now: () => now, enrollCodeTtlMs: 60_000 });
    const { code } = await newCode(server);
    now += 61_000;
    expect((await enroll(server, code)).statusCode).toBe(410);
  });

  it('an unknown code → 404 code_unknown', async () => {
    server = await startServer();
    const res = await enroll(server, 'AAAAAAAAAAAAAAAAAAAAAAAA');
    expect(res.statusCode).toBe(404);
    expect(res.json().error).toBe('code_unknown');
  });

  it('a bad request → 400', async () => {
    server = await startServer();
    const res = await server.app.inject({
      method: 'POST',
      url: '/api/v1/enroll',
      payload: { code: 'x' },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toEqual({
      error: 'invalid_request',
      message: expect.stringContaining('deviceName'),
    });
  });

  it('is rate-limited per IP with Retry-After', async () => {
    server = await startServer({ rateLimit: { enrollPerIpMax: 3 } });
    // One after the other: @fastify/rate-limit's memory store reports the latest count to
    // every request in flight, so a concurrent burst would be limited as a whole.
    const answers = [];
    for (let i = 0; i < 4; i++) answers.push(await enroll(server, 'AAAAAAAAAAAAAAAAAAAAAAAA'));
    expect(answers.map((r) => r.statusCode)).toEqual([404, 404, 404, 429]);
    const limited = answers[3]!;
    expect(limited.headers['retry-after']).toMatch(/^\d+$/);
    expect(limited.json().error).toBe('rate_limited');
    const other = await server.app.inject({
      method: 'POST',
      url: '/api/v1/enroll',
      remoteAddress: '10.0.0.9',
      payload: { code: 'AAAAAAAAAAAAAAAAAAAAAAAA', deviceName: 'x' },
    });
    expect(other.statusCode).toBe(404);
  });

  it('behind a proxy, limits the address the proxy saw, not one the client wrote', async () => {
    const { trustProxy } = loadConfig({ GATELOG_TRUST_PROXY: 'true' });
    server = await startServer({ trustProxy, rateLimit: { enrollPerIpMax: 2 } });
    // nginx's $proxy_add_x_forwarded_for: what the client sent, then the address it came from.
    const via = (forwarded: string, remoteAddress = '127.0.0.1') =>
      server.app.inject({
        method: 'POST',
        url: '/api/v1/enroll',
        remoteAddress,
        headers: { 'x-forwarded-for': forwarded },
        payload: { code: 'AAAAAAAAAAAAAAAAAAAAAAAA', deviceName: 'x' },
      });
    const codes = [];
    for (let i = 0; i < 3; i++) codes.push((await via(`10.9.9.${i}, 203.0.113.7`)).statusCode);
    expect(codes).toEqual([404, 404, 429]);
    expect((await via('203.0.113.8')).statusCode).toBe(404);
  });
});
