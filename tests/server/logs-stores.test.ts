/**
 * The committee's log routes on both stores: SQLite always, PostgreSQL when DATABASE_URL is set
 * (a loud skip without it; a failure under GATELOG_REQUIRE_POSTGRES=1). Each test gets a fresh
 * database, so the two stores must answer the same.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Store } from '../../src/server/store/types';
import { startServerOn, type TestServer } from './harness';
import { pgTarget, warnSkipped } from './support/pg';

const target = await pgTarget();
warnSkipped(target, 'the PostgreSQL half of tests/server/logs-stores.test.ts');

const STORES = [
  { name: 'sqlite', skip: false },
  { name: 'postgres', skip: target.kind !== 'ready' },
] as const;

// Defined only when PostgreSQL is wanted but missing, so a healthy run counts no extra skip.
if (target.kind === 'fail') {
  const { reason } = target;
  describe('PostgreSQL store', () => {
    it('is configured and reachable', () => {
      throw new Error(reason);
    });
  });
}

for (const { name, skip } of STORES) {
  describe.skipIf(skip)(`log routes [${name}]`, () => {
    let server: TestServer<Store>;
    let now = Date.parse('2026-12-07T02:00:00Z');
    beforeEach(async () => {
      now = Date.parse('2026-12-07T02:00:00Z');
      server = await startServerOn(name, target.kind === 'ready' ? target.url : undefined, {
        now: () => now,
      });
    });
    afterEach(() => server.close());

    const get = (url: string) => server.admin({ method: 'GET', url });

    describe('a gateId that names no gate', () => {
      const unknown = encodeURIComponent('<img src=x onerror=alert(1)>');

      it.each(['/api/v1/logs', '/api/v1/logs/summary', '/api/v1/logs.csv'])(
        '%s answers 400 gate_unknown, naming the parameter and not echoing it',
        async (path) => {
          const phone = await server.enroll();
          await server.sync(phone, [phone.record()]);
          for (const gateId of [unknown, 'gate-removed-meanwhile']) {
            const res = await get(`${path}?gateId=${gateId}`);
            expect(res.statusCode, res.body).toBe(400);
            const body = res.json<{ error: string; message: string }>();
            expect(body).toEqual({ error: 'gate_unknown', message: 'gateId: no such gate' });
          }
          // A gate that is there still answers, with its records.
          const known = await get(`${path}?gateId=${server.gate.id}`);
          expect(known.statusCode, known.body).toBe(200);
        },
      );
    });
  });
}
