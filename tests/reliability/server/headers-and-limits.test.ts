/**
 * Security headers and a strict Content-Security-Policy on every kind of answer — the built
 * PWA, the SPA fallback, the API, 4xx of every sort, malformed URLs answered before any hook,
 * 429s and a real 500 — and rate limits per phone and per IP that answer 429 with Retry-After,
 * on each store.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  ADMIN_TOKEN,
  bearer,
  startInProcess,
  type InProcessServer,
  type TestPhone,
} from '../support/app-harness';
import { cspProblems } from '../support/csp';
import {
  createScratchDb,
  describeEachStore,
  storeTargets,
  type ScratchDb,
} from '../support/stores';

/** Helmet's headers besides the CSP: each must be on every answer, with these values. */
const EXPECTED_HEADERS: Record<string, string | RegExp> = {
  'x-content-type-options': 'nosniff',
  'x-frame-options': /^(SAMEORIGIN|DENY)$/,
  'referrer-policy': 'no-referrer',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
  'x-permitted-cross-domain-policies': 'none',
};
const SECURITY_HEADER_NAMES = [
  'content-security-policy',
  'cross-origin-opener-policy',
  'cross-origin-resource-policy',
  'origin-agent-cluster',
  'referrer-policy',
  'strict-transport-security',
  'x-content-type-options',
  'x-dns-prefetch-control',
  'x-download-options',
  'x-frame-options',
  'x-permitted-cross-domain-policies',
  'x-xss-protection',
];

function expectSecured(res: LightMyRequestResponse, what: string) {
  expect(cspProblems(res.headers['content-security-policy']), what).toEqual([]);
  for (const [name, want] of Object.entries(EXPECTED_HEADERS)) {
    const got = String(res.headers[name] ?? '');
    if (typeof want === 'string') expect(got, `${what}: ${name}`).toBe(want);
    else expect(got, `${what}: ${name}`).toMatch(want);
  }
  expect(res.headers['x-powered-by'], what).toBeUndefined();
  // Over https only (tests/server/app.test.ts): these requests come over plain http.
  expect(res.headers['strict-transport-security'], what).toBeUndefined();
}

const targets = await storeTargets('reliability security headers and rate limits');

describeEachStore('security headers, CSP and rate limits on every answer', targets, (target) => {
  let db: ScratchDb;
  let dist: string;
  let server: InProcessServer;
  let phone: TestPhone;

  beforeAll(async () => {
    db = await createScratchDb(target, 'headers');
    dist = mkdtempSync(join(tmpdir(), 'gatelog-rel-dist-'));
    mkdirSync(join(dist, 'assets'));
    writeFileSync(join(dist, 'index.html'), '<!doctype html><title>GateLog</title>');
    writeFileSync(join(dist, 'sw.js'), 'self.addEventListener("fetch", () => {});');
    writeFileSync(join(dist, 'manifest.webmanifest'), '{"name":"GateLog"}');
    writeFileSync(join(dist, 'assets', 'index-abc123.js'), 'console.log(1);');
    server = await startInProcess(db, { staticDir: dist });
    phone = await server.enroll();
  });
  afterAll(async () => {
    await server?.close();
    await db?.drop();
    rmSync(dist, { recursive: true, force: true });
  });

  it('every kind of answer carries the security headers and a strict CSP', async () => {
    const lost = await server.enroll(undefined, 'Lost');
    const answers: [string, InjectOptions, number][] = [
      ['the app', { method: 'GET', url: '/' }, 200],
      ['an app route (SPA fallback)', { method: 'GET', url: '/logbook/today?x=1' }, 200],
      ['HEAD of the app', { method: 'HEAD', url: '/' }, 200],
      ['a hashed asset', { method: 'GET', url: '/assets/index-abc123.js' }, 200],
      ['the service worker', { method: 'GET', url: '/sw.js' }, 200],
      ['the manifest', { method: 'GET', url: '/manifest.webmanifest' }, 200],
      ['a missing asset', { method: 'GET', url: '/assets/gone-1.js' }, 404],
      ['an unknown API path', { method: 'GET', url: '/api/v1/nope' }, 404],
      ['OPTIONS', { method: 'OPTIONS', url: '/api/v1/sync' }, 404],
      ['the OpenAPI document', { method: 'GET', url: '/api/openapi.json' }, 200],
      ['health', { method: 'GET', url: '/healthz' }, 200],
      [
        'device config',
        { method: 'GET', url: '/api/v1/device/config', headers: bearer(phone.token) },
        200,
      ],
      ['the log', { method: 'GET', url: '/api/v1/logs', headers: bearer(ADMIN_TOKEN) }, 200],
      ['the CSV', { method: 'GET', url: '/api/v1/logs.csv', headers: bearer(ADMIN_TOKEN) }, 200],
      [
        'a revoke',
        { method: 'DELETE', url: `/api/v1/devices/${lost.deviceId}`, headers: bearer(ADMIN_TOKEN) },
        204,
      ],
      ['no token', { method: 'GET', url: '/api/v1/devices' }, 401],
      [
        'the wrong kind of token',
        { method: 'GET', url: '/api/v1/devices', headers: bearer(phone.token) },
        403,
      ],
      [
        'a revoked phone',
        { method: 'GET', url: '/api/v1/device/config', headers: bearer(lost.token) },
        403,
      ],
      [
        'malformed JSON',
        {
          method: 'POST',
          url: '/api/v1/enroll',
          headers: { 'content-type': 'application/json' },
          payload: '{bad',
        },
        400,
      ],
      ['an invalid request', { method: 'POST', url: '/api/v1/enroll', payload: { code: '' } }, 400],
      [
        'an unknown code',
        { method: 'POST', url: '/api/v1/enroll', payload: { code: 'NOPE', deviceName: 'x' } },
        404,
      ],
      [
        'an unsupported content type',
        {
          method: 'POST',
          url: '/api/v1/enroll',
          headers: { 'content-type': 'application/xml' },
          payload: '<a/>',
        },
        415,
      ],
      [
        'a body too large',
        {
          method: 'POST',
          url: '/api/v1/enroll',
          payload: { code: 'x'.repeat(70_000), deviceName: 'x' },
        },
        413,
      ],
      [
        'a sync body too large',
        {
          method: 'POST',
          url: '/api/v1/sync',
          headers: bearer(phone.token),
          payload: { records: ['x'.repeat(1_100_000)] },
        },
        413,
      ],
      [
        'bad percent-encoding',
        { method: 'DELETE', url: '/api/v1/devices/%E0%A4%A', headers: bearer(ADMIN_TOKEN) },
        400,
      ],
      ['a bare %', { method: 'GET', url: '/%' }, 400],
      [
        'an overlong path parameter',
        {
          method: 'DELETE',
          url: `/api/v1/devices/${'x'.repeat(500)}`,
          headers: bearer(ADMIN_TOKEN),
        },
        414,
      ],
    ];
    for (const [what, opts, status] of answers) {
      const res = await server.app.inject(opts);
      expect(res.statusCode, `${what}: ${res.body.slice(0, 200)}`).toBe(status);
      expectSecured(res, what);
      if (opts.url!.toString().startsWith('/api/') || opts.url === '/healthz') {
        expect(res.headers['cache-control'], what).toBe('no-store');
      }
      if (status >= 400 && opts.method !== 'HEAD') {
        expect(res.json(), what).toEqual({
          error: expect.any(String),
          message: expect.any(String),
        });
      }
    }
  });

  it('answers to malformed URLs (sent before any hook runs) carry exactly the usual headers', async () => {
    const normal = await server.app.inject({ method: 'GET', url: '/api/v1/nope' });
    for (const url of ['/api/v1/devices/%E0%A4%A', '/%zz', `/api/v1/devices/${'y'.repeat(200)}`]) {
      const bad = await server.app.inject({ method: 'DELETE', url });
      expect(bad.statusCode).toBeGreaterThanOrEqual(400);
      expect(bad.statusCode).toBeLessThan(500);
      for (const name of SECURITY_HEADER_NAMES) {
        expect(bad.headers[name], `${url}: ${name}`).toBe(normal.headers[name]);
      }
      // Fastify's own message would echo the URL back; ours does not.
      expect(bad.body).not.toContain('%E0');
    }
  });

  it('a real 500 carries them too, and says nothing of the fault', async () => {
    const broken = await startInProcess(db);
    await broken.store.close();
    const res = await broken.admin({ method: 'GET', url: '/api/v1/gates' });
    expect(res.statusCode).toBe(500);
    expect(res.json()).toEqual({ error: 'internal', message: 'Internal server error' });
    expectSecured(res, '500');
    const health = await broken.app.inject({ method: 'GET', url: '/healthz' });
    expect(health.statusCode).toBe(503);
    expectSecured(health, '503');
    await broken.app.close();
  });

  it('rate-limits each phone: 429 with Retry-After, nothing stored, other phones unaffected', async () => {
    const limited = await startInProcess(db, { rateLimit: { perDeviceMax: 3, perIpMax: 1_000 } });
    try {
      const a = await limited.enroll(undefined, 'Busy phone');
      const b = await limited.enroll(undefined, 'Quiet phone');
      const config = (p: TestPhone) =>
        limited.app.inject({
          method: 'GET',
          url: '/api/v1/device/config',
          headers: bearer(p.token),
        });
      const statuses = [];
      for (let i = 0; i < 3; i++) statuses.push((await config(a)).statusCode);
      expect(statuses).toEqual([200, 200, 200]);
      const before = await db.recordCount();
      const sync = await limited.syncRaw(a, [a.record()]);
      expect(sync.statusCode).toBe(429);
      expect(sync.json().error).toBe('rate_limited');
      expect(Number(sync.headers['retry-after'])).toBeGreaterThanOrEqual(1);
      expectSecured(sync, 'device 429');
      expect(await db.recordCount()).toEqual(before);
      expect((await config(b)).statusCode).toBe(200);
    } finally {
      await limited.close();
    }
  });

  it('rate-limits each IP: 429 with Retry-After; other IPs and /healthz unaffected', async () => {
    const limited = await startInProcess(db, { rateLimit: { perIpMax: 5 } });
    try {
      const get = (remoteAddress: string, url = '/api/openapi.json') =>
        limited.app.inject({ method: 'GET', url, remoteAddress });
      const statuses = [];
      for (let i = 0; i < 6; i++) statuses.push((await get('192.0.2.10')).statusCode);
      expect(statuses).toEqual([200, 200, 200, 200, 200, 429]);
      const limitedRes = await get('192.0.2.10');
      expect(limitedRes.statusCode).toBe(429);
      expect(limitedRes.json()).toEqual({ error: 'rate_limited', message: expect.any(String) });
      expect(Number(limitedRes.headers['retry-after'])).toBeGreaterThanOrEqual(1);
      expectSecured(limitedRes, 'IP 429');
      expect((await get('192.0.2.11')).statusCode).toBe(200);
      // A load balancer's health check is never limited.
      expect((await get('192.0.2.10', '/healthz')).statusCode).toBe(200);
    } finally {
      await limited.close();
    }
  });
});
