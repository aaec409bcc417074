import { mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/server/config';
import { ADMIN_TOKEN, bearer, startServer, type TestServer } from './harness';

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('GET /healthz', () => {
  it('is 200 while the database answers and 503 when it does not', async () => {
    server = await startServer();
    const ok = await server.app.inject({ method: 'GET', url: '/healthz' });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toEqual({ ok: true, db: true });
    await server.store.close();
    const down = await server.app.inject({ method: 'GET', url: '/healthz' });
    expect(down.statusCode).toBe(503);
    expect(down.json()).toEqual({ ok: false, db: false });
  });
});

describe('the GateLog version header', () => {
  it('names package.json’s version on API answers, errors and /healthz alike, not on the app’s files', async () => {
    const { version } = JSON.parse(
      readFileSync(new URL('../../package.json', import.meta.url), 'utf8'),
    ) as { version: string };
    server = await startServer();
    for (const [url, status, headers] of [
      ['/api/v1/gates', 200, bearer(ADMIN_TOKEN)],
      ['/api/v1/gates', 401, {}],
      ['/api/v1/nope', 404, {}],
      ['/healthz', 200, {}],
    ] as const) {
      const res = await server.app.inject({ method: 'GET', url, headers });
      expect(res.statusCode, url).toBe(status);
      expect(res.headers['x-gatelog-version'], url).toBe(version);
    }
  });
});

describe('Strict-Transport-Security', () => {
  /** The HSTS header of each answer of the server over a real connection, `headers` sent. */
  async function hstsOf(headers: Record<string, string>): Promise<(string | null)[]> {
    const base = await server!.app.listen({ host: '127.0.0.1', port: 0 });
    const urls = ['/healthz', '/api/v1/gates', '/api/v1/nope', '/api/v1/devices/%E0%A4%A', '/'];
    return Promise.all(
      urls.map(async (url) =>
        (await fetch(base + url, { headers })).headers.get('strict-transport-security'),
      ),
    );
  }
  const NONE = [null, null, null, null, null];

  it('is not sent over plain http', async () => {
    server = await startServer({ trustProxy: 'loopback' });
    expect(await hstsOf({})).toEqual(NONE);
  });

  it('is sent when a trusted proxy says the request came over https (X-Forwarded-Proto)', async () => {
    server = await startServer({ trustProxy: 'loopback' });
    expect(await hstsOf({ 'x-forwarded-proto': 'https' })).toEqual(
      Array(5).fill('max-age=31536000; includeSubDomains'),
    );
  });

  it('is not sent on the word of a peer the server does not trust', async () => {
    server = await startServer();
    expect(await hstsOf({ 'x-forwarded-proto': 'https' })).toEqual(NONE);
  });
});

describe('a database that is unavailable', () => {
  it('answers 503 with Retry-After, logged in one line, when the database is down or full', async () => {
    const lines: string[] = [];
    server = await startServer({
      logger: { level: 'info', stream: { write: (l) => void lines.push(l) } },
    });
    const phone = await server.enroll();
    const real = server.store.insertRecords.bind(server.store);
    for (const fault of [
      Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }),
      new Error('Connection terminated unexpectedly'),
      Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' }),
    ]) {
      server.store.insertRecords = () => Promise.reject(fault);
      const res = await server.syncRaw(phone, [phone.record()]);
      expect(res.statusCode, fault.message).toBe(503);
      expect(res.headers['retry-after']).toBe('30');
      expect(res.json()).toEqual({
        error: 'unavailable',
        message: 'The database is unavailable; try again later',
      });
    }
    const logged = lines.filter((l) => l.includes('database unavailable'));
    expect(logged).toHaveLength(3);
    expect(logged.join('')).not.toContain('stack');
    // A fault of another kind is still a 500.
    server.store.insertRecords = () => Promise.reject(new Error('bug'));
    expect((await server.syncRaw(phone, [phone.record()])).statusCode).toBe(500);
    server.store.insertRecords = real;
  });

  it('answers 503 once the SQLite file was moved away under the running server', async () => {
    server = await startServer();
    const phone = await server.enroll();
    expect((await server.sync(phone, [phone.record()])).accepted).toHaveLength(1);
    renameSync(server.store.file, `${server.store.file}.moved`);
    // The file is looked at once a second at most.
    await new Promise((r) => setTimeout(r, 1_100));
    const res = await server.syncRaw(phone, [phone.record()]);
    expect(res.statusCode).toBe(503);
    expect(res.headers['retry-after']).toBe('30');
    expect((await server.app.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(503);
    // Put back, it stays refused until a restart: what was written meanwhile is in neither.
    renameSync(`${server.store.file}.moved`, server.store.file);
    await new Promise((r) => setTimeout(r, 1_100));
    expect((await server.syncRaw(phone, [phone.record()])).statusCode).toBe(503);
  });
});

describe('errors', () => {
  it('an unknown API path is 404 JSON', async () => {
    server = await startServer();
    const res = await server.app.inject({ method: 'GET', url: '/api/v1/nope' });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toEqual({ error: 'not_found', message: expect.any(String) });
  });

  it('API answers are never cached and carry the security headers', async () => {
    server = await startServer();
    const res = await server.app.inject({
      method: 'GET',
      url: '/api/v1/gates',
      headers: bearer('x'),
    });
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['content-security-policy']).toContain("frame-ancestors 'none'");
  });
});

describe('rate limits', () => {
  it('limit each phone with Retry-After', async () => {
    server = await startServer({ rateLimit: { perDeviceMax: 2 } });
    const phone = await server.enroll();
    const other = await server.enroll();
    const config = (token: string) =>
      server!.app.inject({ method: 'GET', url: '/api/v1/device/config', headers: bearer(token) });
    const codes = [];
    for (let i = 0; i < 3; i++) codes.push((await config(phone.token)).statusCode);
    expect(codes).toEqual([200, 200, 429]);
    const limited = await config(phone.token);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(limited.json().error).toBe('rate_limited');
    expect((await config(other.token)).statusCode).toBe(200);
  });

  it('limit each IP with Retry-After', async () => {
    server = await startServer({ rateLimit: { perIpMax: 3 } });
    const get = (remoteAddress: string) =>
      server!.app.inject({ method: 'GET', url: '/api/openapi.json', remoteAddress });
    const codes = [];
    for (let i = 0; i < 4; i++) codes.push((await get('10.0.0.1')).statusCode);
    expect(codes).toEqual([200, 200, 200, 429]);
    expect((await get('10.0.0.1')).headers['retry-after']).toMatch(/^\d+$/);
    expect((await get('10.0.0.2')).statusCode).toBe(200);
  });
});

describe('behind a proxy GATELOG_TRUST_PROXY does not name', () => {
  /** The server's warnings, after requests as nginx passes them on (README's configuration). */
  async function warningsAfter(
    trust: string | undefined,
    requests: { remoteAddress: string; forwarded?: string }[],
  ): Promise<string[]> {
    const lines: string[] = [];
    server = await startServer({
      logger: { level: 'info', stream: { write: (l) => void lines.push(l) } },
      trustProxy: loadConfig({ GATELOG_TRUST_PROXY: trust }).trustProxy,
    });
    for (const { remoteAddress, forwarded } of requests) {
      await server.app.inject({
        method: 'GET',
        url: '/healthz',
        remoteAddress,
        ...(forwarded && { headers: { 'x-forwarded-for': forwarded } }),
      });
    }
    await server.close();
    server = undefined;
    return lines
      .map((l) => JSON.parse(l))
      .filter((l) => l.level === 40)
      .map((l) => l.msg);
  }
  const viaNginx = { remoteAddress: '127.0.0.1', forwarded: '10.0.0.1, 203.0.113.7' };

  it('says once that every client counts as the proxy, and the setting to give', async () => {
    expect(await warningsAfter(undefined, [viaNginx, viaNginx, viaNginx])).toEqual([
      'Requests from 127.0.0.1 carry X-Forwarded-For, which GateLog ignores: GATELOG_TRUST_PROXY ' +
        'is not set, so every client coming through it counts as 127.0.0.1 for the per-address ' +
        'rate limits and in the log. If your proxy runs there, start GateLog with ' +
        'GATELOG_TRUST_PROXY=true.',
    ]);
    // `true` is this machine: a proxy reaching GateLog in a container comes from its bridge.
    const docker = { remoteAddress: '::ffff:172.17.0.1', forwarded: '203.0.113.7' };
    expect(await warningsAfter('true', [docker, docker])).toEqual([
      'Requests from 172.17.0.1 carry X-Forwarded-For, which GateLog ignores: GATELOG_TRUST_PROXY ' +
        '(loopback) does not name 172.17.0.1, so every client coming through it counts as ' +
        '172.17.0.1 for the per-address rate limits and in the log. If your proxy runs there, ' +
        'start GateLog with GATELOG_TRUST_PROXY=172.17.0.1.',
    ]);
  });

  it('says nothing when the proxy is trusted, or when no request came through one', async () => {
    expect(await warningsAfter('true', [viaNginx, { remoteAddress: '10.0.0.2' }])).toEqual([]);
    expect(
      await warningsAfter('172.17.0.1', [{ ...viaNginx, remoteAddress: '172.17.0.1' }]),
    ).toEqual([]);
    expect(await warningsAfter(undefined, [{ remoteAddress: '10.0.0.2' }])).toEqual([]);
  });
});

describe('logging', () => {
  it('logs method, path, status and time only: no bodies, names, ID numbers, tokens or queries', async () => {
    const lines: string[] = [];
    server = await startServer({
      logger: { level: 'info', stream: { write: (l) => void lines.push(l) } },
    });
    const phone = await server.enroll();
    const record = phone.record({ person: { name: '赵六', phone: '13912345678' } });
    await server.sync(phone, [record]);
    await server.admin({ method: 'GET', url: `/api/v1/logs?gateId=${server.gate.id}&flag=fever` });
    await server.app.inject({
      method: 'POST',
      url: '/api/v1/sync',
      headers: bearer(phone.token),
      payload: '{bad',
    });

    const text = lines.join('');
    expect(lines.length).toBeGreaterThanOrEqual(5);
    for (const secret of [
      record.person.name,
      record.person.idNumber!,
      record.person.phone!,
      phone.token,
      'flag=fever',
    ]) {
      expect(text).not.toContain(secret);
    }
    const entry = JSON.parse(lines.find((l) => l.includes('/api/v1/sync'))!);
    expect(entry).toMatchObject({
      method: 'POST',
      url: '/api/v1/sync',
      status: 200,
      ms: expect.any(Number),
    });
  });
});

describe('the built PWA', () => {
  let dist: string;

  beforeAll(() => {
    dist = mkdtempSync(join(tmpdir(), 'gatelog-dist-'));
    mkdirSync(join(dist, 'assets'));
    writeFileSync(join(dist, 'index.html'), '<!doctype html><title>GateLog</title>');
    writeFileSync(join(dist, 'sw.js'), 'self.addEventListener("fetch", () => {});');
    writeFileSync(join(dist, 'manifest.webmanifest'), '{"name":"GateLog"}');
    writeFileSync(join(dist, 'assets', 'index-abc123.js'), 'console.log(1);');
    writeFileSync(join(dist, 'icon-192.png'), 'png');
    mkdirSync(join(dist, 'committee', 'assets'), { recursive: true });
    writeFileSync(join(dist, 'committee', 'index.html'), '<!doctype html><title>Committee</title>');
    writeFileSync(join(dist, 'committee', 'assets', 'index-def456.js'), 'console.log(2);');
  });
  afterAll(() => rmSync(dist, { recursive: true, force: true }));

  const get = (url: string) => server!.app.inject({ method: 'GET', url });

  it('serves index.html, sw.js and the manifest with no-cache', async () => {
    server = await startServer({ staticDir: dist });
    for (const url of ['/', '/index.html', '/sw.js', '/manifest.webmanifest']) {
      const res = await get(url);
      expect(res.statusCode, url).toBe(200);
      expect(res.headers['cache-control'], url).toBe('no-cache');
    }
    expect((await get('/')).body).toContain('<title>GateLog</title>');
    expect((await get('/sw.js')).headers['content-type']).toMatch(/javascript/);
  });

  it('serves hashed assets as immutable for a year', async () => {
    server = await startServer({ staticDir: dist });
    const res = await get('/assets/index-abc123.js');
    expect(res.statusCode).toBe(200);
    expect(res.headers['cache-control']).toBe('public, max-age=31536000, immutable');
  });

  it('counts no request for the app’s own files in the per-address limit, only the API’s', async () => {
    // ≈40 files a first visit: a gate's guards behind one address enrolling together.
    server = await startServer({ staticDir: dist, rateLimit: { perIpMax: 3 } });
    for (let i = 0; i < 5; i++) {
      for (const url of ['/', '/sw.js', '/assets/index-abc123.js', '/committee/', '/logbook']) {
        expect((await get(url)).statusCode, url).toBe(200);
      }
    }
    const api = [];
    for (let i = 0; i < 4; i++) api.push((await get('/api/openapi.json')).statusCode);
    expect(api).toEqual([200, 200, 200, 429]);
  });

  it('falls back to index.html for app routes, but not for /api or missing assets', async () => {
    server = await startServer({ staticDir: dist });
    const page = await get('/logbook/today?x=1');
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toMatch(/text\/html/);
    expect(page.headers['cache-control']).toBe('no-cache');
    expect(page.body).toContain('<title>GateLog</title>');
    expect((await get('/api/v1/nope')).statusCode).toBe(404);
    expect((await get('/assets/gone-123.js')).statusCode).toBe(404);
    const post = await server.app.inject({ method: 'POST', url: '/logbook' });
    expect(post.statusCode).toBe(404);
  });

  it('serves the committee’s page at /committee/, its assets immutable, never the app', async () => {
    server = await startServer({ staticDir: dist });
    for (const url of ['/committee', '/committee/', '/committee/logs?x=1']) {
      const page = await get(url);
      expect(page.statusCode, url).toBe(200);
      expect(page.body, url).toContain('<title>Committee</title>');
      expect(page.headers['cache-control'], url).toBe('no-cache');
      expect(page.headers['content-security-policy'], url).toContain("script-src 'self'");
    }
    const asset = await get('/committee/assets/index-def456.js');
    expect(asset.statusCode).toBe(200);
    expect(asset.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect((await get('/committees')).body).toContain('<title>GateLog</title>');
  });

  it('sends a strict CSP with the page', async () => {
    server = await startServer({ staticDir: dist });
    const csp = (await get('/')).headers['content-security-policy'] as string;
    const directives = Object.fromEntries(
      csp.split(';').map((d) => {
        const [name, ...values] = d.trim().split(/\s+/);
        return [name, values.join(' ')];
      }),
    );
    expect(directives).toMatchObject({
      'default-src': "'self'",
      'script-src': "'self'",
      'style-src': "'self'",
      'img-src': "'self' data: blob:",
      'connect-src': "'self'",
      'worker-src': "'self'",
      'manifest-src': "'self'",
      'frame-ancestors': "'none'",
      'object-src': "'none'",
      'base-uri': "'self'",
    });
  });

  it('without a build, pages are 404 and the API still works', async () => {
    server = await startServer({ staticDir: join(dist, 'missing') });
    expect((await get('/')).statusCode).toBe(404);
    expect((await get('/healthz')).statusCode).toBe(200);
  });
});
