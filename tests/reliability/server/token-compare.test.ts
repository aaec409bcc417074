/**
 * Tokens are compared in constant time: the presented token is hashed first (SHA-256), and the
 * admin comparison runs `spies.timingSafeEqual` on two 32-byte digests — so neither the length
 * nor the content of a guess changes what is compared. A phone's token is looked up only by its
 * hash (a hash lookup leaks nothing usable about the token). `node:crypto` is wrapped here so
 * the test sees every call the server makes; the real functions still do the work.
 */
import type * as NodeCrypto from 'node:crypto';
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { sameHash, sha256Hex } from '../../../src/server/secrets';
import {
  ADMIN_TOKEN,
  bearer,
  startInProcess,
  type InProcessServer,
  type TestPhone,
} from '../support/app-harness';
import {
  createScratchDb,
  describeEachStore,
  storeTargets,
  type ScratchDb,
} from '../support/stores';

const spies = vi.hoisted(() => ({
  timingSafeEqual: undefined as unknown as ReturnType<typeof vi.fn>,
}));
vi.mock('node:crypto', async (importOriginal) => {
  const actual = await importOriginal<typeof NodeCrypto>();
  spies.timingSafeEqual = vi.fn(actual.timingSafeEqual);
  return {
    ...actual,
    default: { ...actual, timingSafeEqual: spies.timingSafeEqual },
    timingSafeEqual: spies.timingSafeEqual,
  };
});

const digest = (s: string) => createHash('sha256').update(s, 'utf8').digest();

beforeEach(() => {
  spies.timingSafeEqual.mockClear();
});

describe('sameHash', () => {
  it('compares two SHA-256 digests with crypto.timingSafeEqual on 32 bytes each', () => {
    expect(sameHash(sha256Hex('a'), sha256Hex('a'))).toBe(true);
    expect(sameHash(sha256Hex('a'), sha256Hex('b'))).toBe(false);
    expect(spies.timingSafeEqual).toHaveBeenCalledTimes(2);
    for (const [x, y] of spies.timingSafeEqual.mock.calls as [Buffer, Buffer][]) {
      expect([x.length, y.length]).toEqual([32, 32]);
    }
    expect((spies.timingSafeEqual.mock.calls[1] as Buffer[])[0]!.equals(digest('a'))).toBe(true);
  });

  it('is false, without throwing, for something that is not a digest', () => {
    expect(sameHash('abc', sha256Hex('a'))).toBe(false);
    expect(sameHash('zz'.repeat(32), sha256Hex('a'))).toBe(false);
    expect(spies.timingSafeEqual).not.toHaveBeenCalled();
  });
});

const targets = await storeTargets('reliability constant-time token checks');

describeEachStore('tokens are hashed, then compared in constant time', targets, (target) => {
  let db: ScratchDb;
  let server: InProcessServer;
  let phone: TestPhone;

  beforeAll(async () => {
    db = await createScratchDb(target, 'tokens');
    server = await startInProcess(db);
    phone = await server.enroll();
  });
  afterAll(async () => {
    await server?.close();
    await db?.drop();
  });

  it('every guess at the admin token, short, long or right, is compared as two 32-byte digests', async () => {
    for (const token of [
      'x',
      'a'.repeat(43),
      'b'.repeat(500),
      ADMIN_TOKEN.slice(0, -1),
      ADMIN_TOKEN,
    ]) {
      spies.timingSafeEqual.mockClear();
      const res = await server.app.inject({
        method: 'GET',
        url: '/api/v1/gates',
        headers: bearer(token),
      });
      expect(res.statusCode).toBe(token === ADMIN_TOKEN ? 200 : 401);
      const calls = spies.timingSafeEqual.mock.calls as [Buffer, Buffer][];
      expect(calls.length, token.slice(0, 10)).toBeGreaterThanOrEqual(1);
      for (const [x, y] of calls) {
        expect([x.length, y.length]).toEqual([32, 32]);
        // What is compared is the digest of the guess, never the guess itself.
        expect(x.equals(digest(token)) || y.equals(digest(token))).toBe(true);
        expect(x.includes(Buffer.from(token)) || y.includes(Buffer.from(token))).toBe(false);
      }
    }
  });

  it("a phone's token reaches the store only as its SHA-256", async () => {
    const lookups = vi.spyOn(server.store, 'getDeviceByTokenHash');
    try {
      const res = await server.app.inject({
        method: 'GET',
        url: '/api/v1/device/config',
        headers: bearer(phone.token),
      });
      expect(res.statusCode).toBe(200);
      expect(lookups).toHaveBeenCalledWith(sha256Hex(phone.token));
      for (const [arg] of lookups.mock.calls) expect(arg).not.toContain(phone.token);
      // The admin check on a phone endpoint is constant-time too.
      expect(spies.timingSafeEqual).toHaveBeenCalled();
    } finally {
      lookups.mockRestore();
    }
  });
});
