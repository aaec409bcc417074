/**
 * Hostile access, on each store: every endpoint the app has (read from its route tree, so new
 * ones are covered) refuses the wrong caller with the right status — no token, a wrong token,
 * a revoked phone, a phone on the committee's endpoints, the committee's token on a phone's
 * endpoints — and a phone cannot write or read another gate. Secrets are random enough and kept
 * only as hashes; guessing enrollment codes is rate-limited with 429 and Retry-After.
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { ShiftCloseResponse } from '../../../src/shared';
import { createGate } from '../../../src/server/gates';
import {
  ADMIN_TOKEN,
  bearer,
  startInProcess,
  type InProcessServer,
  type TestPhone,
} from '../support/app-harness';
import { fillParams, listRoutes, whoMayCall, type RouteInfo } from '../support/routes';
import {
  createScratchDb,
  describeEachStore,
  storeTargets,
  type ScratchDb,
} from '../support/stores';

const SOME_ID = '0190f5a0-1111-7000-8000-000000000001';
const sha256 = (s: string) => createHash('sha256').update(s, 'utf8').digest('hex');

/** RFC 4648 base32 to bits ('0'/'1'). */
function base32Bits(code: string): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  return [...code].map((c) => alphabet.indexOf(c).toString(2).padStart(5, '0')).join('');
}
const bytesBits = (b: Buffer) => [...b].map((x) => x.toString(2).padStart(8, '0')).join('');

/** Every bit position takes both values somewhere in the sample: no fixed or counter bits. */
function expectEveryBitVaries(samples: string[]) {
  const width = samples[0]!.length;
  const stuck = [];
  for (let i = 0; i < width; i++) {
    const ones = samples.filter((s) => s[i] === '1').length;
    if (ones === 0 || ones === samples.length) stuck.push(i);
  }
  expect(stuck, 'bit positions that never change').toEqual([]);
}

const targets = await storeTargets('reliability access checks');

describeEachStore('access: every endpoint refuses the wrong caller', targets, (target) => {
  let db: ScratchDb;
  let server: InProcessServer;
  let phoneA: TestPhone;
  let phoneB: TestPhone;
  let revoked: TestPhone;
  let routes: RouteInfo[];

  beforeAll(async () => {
    db = await createScratchDb(target, 'access');
    server = await startInProcess(db);
    const gateB = await createGate(server.store, 'Gate B / 乙门');
    phoneA = await server.enroll(server.gate.id, 'Phone A');
    phoneB = await server.enroll(gateB.id, 'Phone B');
    revoked = await server.enroll(server.gate.id, 'Lost phone');
    const del = await server.admin({
      method: 'DELETE',
      url: `/api/v1/devices/${revoked.deviceId}`,
    });
    expect(del.statusCode).toBe(204);
    routes = listRoutes(server.app);
  });
  afterAll(async () => {
    await server?.close();
    await db?.drop();
  });

  const call = (r: RouteInfo, headers: Record<string, string>) =>
    server.app.inject({
      method: r.method as 'GET',
      url: fillParams(r.url, SOME_ID),
      headers,
      ...(r.method !== 'GET' && r.method !== 'DELETE' && { payload: {} }),
    });
  const protectedRoutes = () => routes.filter((r) => whoMayCall(r) !== 'public');

  it('checks every route the app has', () => {
    const keys = routes.map((r) => `${r.method} ${r.url}`);
    for (const known of [
      'POST /api/v1/sync',
      'POST /api/v1/shifts/:id/close',
      'GET /api/v1/device/config',
      'POST /api/v1/gates',
      'POST /api/v1/gates/:id/enrollment-codes',
      'GET /api/v1/devices',
      'DELETE /api/v1/devices/:id',
      'GET /api/v1/logs',
      'GET /api/v1/logs.csv',
    ]) {
      expect(keys).toContain(known);
    }
    expect(protectedRoutes().length).toBeGreaterThanOrEqual(10);
  });

  it('no token, an unknown token, a malformed or oversized header → 401 everywhere protected', async () => {
    for (const r of protectedRoutes()) {
      for (const headers of [
        {},
        bearer('x'.repeat(43)),
        bearer(`${phoneA.token}x`),
        { authorization: `Basic ${Buffer.from(`admin:${ADMIN_TOKEN}`).toString('base64')}` },
        { authorization: ADMIN_TOKEN },
        bearer('y'.repeat(5_000)),
      ]) {
        const res = await call(r, headers);
        expect(res.statusCode, `${r.method} ${r.url} ${JSON.stringify(headers).slice(0, 60)}`).toBe(
          401,
        );
        expect(res.json().error).toBe('unauthorized');
      }
    }
  });

  it('a revoked phone → 403 (device_revoked on the phone endpoints)', async () => {
    for (const r of protectedRoutes()) {
      const res = await call(r, bearer(revoked.token));
      expect(res.statusCode, `${r.method} ${r.url}`).toBe(403);
      if (whoMayCall(r) === 'device') expect(res.json().error).toBe('device_revoked');
    }
  });

  it("a phone's token on the committee's endpoints and the admin token on a phone's → 403", async () => {
    for (const r of protectedRoutes()) {
      const wrong = whoMayCall(r) === 'device' ? ADMIN_TOKEN : phoneA.token;
      const res = await call(r, bearer(wrong));
      expect(res.statusCode, `${r.method} ${r.url}`).toBe(403);
      expect(res.json().error).toBe('forbidden');
      // …while the right kind of token gets past the door (any answer but 401/403).
      const right = whoMayCall(r) === 'device' ? phoneA.token : ADMIN_TOKEN;
      expect([401, 403], `${r.method} ${r.url}`).not.toContain(
        (await call(r, bearer(right))).statusCode,
      );
    }
  });

  it("gate A's phone cannot write gate B's records: each is rejected wrong_gate, none stored", async () => {
    const before = await db.recordCount();
    const records = [
      phoneA.record({ gateId: phoneB.gateId }),
      phoneA.record({ gateId: phoneB.gateId, deviceId: phoneB.deviceId }),
      phoneB.record(),
    ];
    const answer = await server.sync(phoneA, records);
    expect(answer.accepted).toEqual([]);
    expect(answer.duplicates).toEqual([]);
    expect(answer.rejected.map((r) => [r.id, r.code])).toEqual(
      records.map((r) => [r.id, 'wrong_gate']),
    );
    expect(await db.recordCount()).toEqual(before);
    const logs = await server.admin({ method: 'GET', url: `/api/v1/logs?gateId=${phoneB.gateId}` });
    expect(logs.json().items).toEqual([]);
  });

  it("gate A's phone learns nothing of gate B: its own gate's config, no count of B's shift", async () => {
    const shiftId = crypto.randomUUID();
    await server.sync(phoneB, [phoneB.record({ shiftId }), phoneB.record({ shiftId })]);
    const config = await server.app.inject({
      method: 'GET',
      url: '/api/v1/device/config',
      headers: bearer(phoneA.token),
    });
    expect(config.json().gate.id).toBe(server.gate.id);
    const close = await server.app.inject({
      method: 'POST',
      url: `/api/v1/shifts/${shiftId}/close`,
      headers: bearer(phoneA.token),
      payload: { recordCount: 2, digest: '0'.repeat(64) },
    });
    expect(close.statusCode).toBe(200);
    expect(close.json<ShiftCloseResponse>()).toEqual({
      received: 0,
      complete: false,
      receipt: null,
    });
  });

  it('tokens are 256 random bits, kept only as their SHA-256', async () => {
    const phones = [phoneA, phoneB, revoked];
    for (let i = 0; i < 37; i++) phones.push(await server.enroll(server.gate.id, `Phone ${i}`));
    const raw = phones.map((p) => Buffer.from(p.token, 'base64url'));
    for (const p of phones) expect(p.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(raw.every((b) => b.length === 32)).toBe(true);
    expect(new Set(phones.map((p) => p.token)).size).toBe(phones.length);
    expectEveryBitVaries(raw.map(bytesBits));
    const stored = await db.tableText('devices');
    for (const p of phones) {
      expect(stored).not.toContain(p.token);
      expect(stored).toContain(sha256(p.token));
    }
  });

  it('enrollment codes carry ≥ 100 random bits (24 base32 characters) and are kept only hashed', async () => {
    const codes: string[] = [];
    for (let i = 0; i < 200; i++) {
      const res = await server.admin({
        method: 'POST',
        url: `/api/v1/gates/${server.gate.id}/enrollment-codes`,
      });
      expect(res.statusCode).toBe(201);
      codes.push(res.json<{ code: string }>().code);
    }
    // 24 characters of 5 bits: 120 bits, every one of them random.
    for (const c of codes) expect(c).toMatch(/^[A-Z2-7]{24}$/);
    expect(new Set(codes).size).toBe(codes.length);
    expectEveryBitVaries(codes.map(base32Bits));
    const stored = await db.tableText('enrollment_codes');
    for (const c of codes.slice(0, 20)) expect(stored).not.toContain(c);
  });

  it('guessing enrollment codes → 429 with Retry-After per IP, even for a right guess', async () => {
    const limited = await startInProcess(db, { rateLimit: { enrollPerIpMax: 5 } });
    try {
      const code = (
        await limited.admin({
          method: 'POST',
          url: `/api/v1/gates/${limited.gate.id}/enrollment-codes`,
        })
      ).json<{ code: string }>().code;
      const guess = (c: string, remoteAddress = '203.0.113.7') =>
        limited.app.inject({
          method: 'POST',
          url: '/api/v1/enroll',
          remoteAddress,
          payload: { code: c, deviceName: 'Guesser' },
        });
      const statuses = [];
      for (let i = 0; i < 5; i++)
        statuses.push((await guess(`AAAAAAAAAAAAAAAAAAAAAA${i}A`)).statusCode);
      expect(statuses).toEqual([404, 404, 404, 404, 404]);
      const blocked = await guess('BBBBBBBBBBBBBBBBBBBBBBBB');
      expect(blocked.statusCode).toBe(429);
      expect(blocked.json().error).toBe('rate_limited');
      expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
      expect((await guess(code)).statusCode).toBe(429);
      // Another address is counted on its own, and the code still works there, once.
      expect((await guess(code, '198.51.100.9')).statusCode).toBe(201);
      expect((await guess(code, '198.51.100.9')).statusCode).toBe(409);
    } finally {
      await limited.close();
    }
  });
});
