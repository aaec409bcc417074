/**
 * The phones' pull feed, GET /api/v1/device/changes: a cursor that resumes without gaps or
 * repeats (also while changes are being written, on SQLite and on PostgreSQL across
 * instances), what each gate sees, and what else the answer carries.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  deviceChangesResponseSchema,
  type DeviceChange,
  type DeviceChangesResponse,
  type Pass,
  type WatchEntry,
} from '../../src/shared';
import { watchHashInput } from '../../src/shared/passes';
import { createGate } from '../../src/server/gates';
import { addWatch, issuePass, removeWatch, revokePass } from '../../src/server/passes/service';
import { sha256Hex } from '../../src/server/secrets';
import { PostgresStore } from '../../src/server/store/postgres';
import { SqliteStore } from '../../src/server/store/sqlite';
import type { ChangeRow, Store } from '../../src/server/store/types';
import { bearer, startServer, type Phone, type TestServer } from './harness';
import { createScratchSchema, pgTarget, warnSkipped } from './support/pg';

const DAY_MS = 86_400_000;
const T0 = Date.UTC(2020, 1, 3, 2, 0);
const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);

describe('GET /api/v1/device/changes', () => {
  let server: TestServer;
  let phone: Phone;
  let now = T0;
  beforeEach(async () => {
    now = T0;
    server = await startServer({ now: () => now });
    phone = await server.enroll();
  });
  afterEach(() => server.close());

  const pull = async (since?: string, limit?: number, token = phone.token) => {
    const q = new URLSearchParams();
    if (since !== undefined) q.set('since', since);
    if (limit !== undefined) q.set('limit', String(limit));
    const res = await server.app.inject({
      method: 'GET',
      url: `/api/v1/device/changes?${q}`,
      headers: bearer(token),
    });
    expect(res.statusCode, res.body).toBe(200);
    return deviceChangesResponseSchema.parse(res.json()) as DeviceChangesResponse;
  };

  const issue = async (name: string, extra: Record<string, unknown> = {}) => {
    now += 1;
    const res = await server.admin({
      method: 'POST',
      url: '/api/v1/passes',
      payload: { name, address: '1号楼 101', validUntil: day(T0 + 30 * DAY_MS), ...extra },
    });
    expect(res.statusCode, res.body).toBe(201);
    return res.json<Pass>();
  };

  const passIds = (changes: DeviceChange[]) =>
    changes.map((c) => (c.kind === 'pass' ? `${c.pass.id}:${c.pass.status}` : c.kind));

  it('from the start: nothing yet, then every change in order; the gate and keys come along', async () => {
    const empty = await pull();
    expect(empty).toMatchObject({ cursor: '0', more: false, changes: [], keys: [] });
    expect(empty.gate).toMatchObject({ id: server.gate.id, rules: { feverThresholdC: 37.3 } });

    const a = await issue('甲');
    const b = await issue('乙');
    const answer = await pull('0');
    expect(passIds(answer.changes)).toEqual([`${a.id}:active`, `${b.id}:active`]);
    expect(answer.changes[0]).toEqual({
      kind: 'pass',
      pass: {
        id: a.id,
        name: '甲',
        address: '1号楼 101',
        validUntil: a.validUntil,
        status: 'active',
        token: a.token,
      },
    });
    expect(answer.keys.map((k) => k.kid)).toEqual([a.kid]);
    expect(answer.more).toBe(false);
    expect(Number(answer.cursor)).toBeGreaterThan(0);
  });

  it('pages resume from the cursor without gaps or repeats, and later changes follow on', async () => {
    const issued: string[] = [];
    for (let i = 0; i < 23; i++) issued.push((await issue(`住户${i}`)).id);
    const seen: string[] = [];
    let cursor = '0';
    let pages = 0;
    for (;;) {
      const page = await pull(cursor, 10);
      pages++;
      seen.push(...page.changes.map((c) => (c.kind === 'pass' ? c.pass.id : c.kind)));
      expect(Number(page.cursor)).toBeGreaterThanOrEqual(Number(cursor));
      cursor = page.cursor;
      if (!page.more) break;
    }
    expect(pages).toBe(3);
    expect(seen).toEqual(issued);
    // Nothing new: the same cursor, no changes.
    expect(await pull(cursor, 10)).toMatchObject({ cursor, more: false, changes: [] });
    // A revocation and a new pass after that: exactly those two.
    now += 1;
    await server.admin({ method: 'DELETE', url: `/api/v1/passes/${issued[5]}` });
    const late = await issue('新住户');
    const next = await pull(cursor, 10);
    expect(passIds(next.changes)).toEqual([`${issued[5]}:revoked`, `${late.id}:active`]);
  });

  it('a revocation made after the pass was pulled reaches the phone as the pass revoked', async () => {
    const pass = await issue('王小明');
    const first = await pull();
    expect(passIds(first.changes)).toEqual([`${pass.id}:active`]);
    now += 60_000;
    await server.admin({ method: 'DELETE', url: `/api/v1/passes/${pass.id}` });
    const second = await pull(first.cursor);
    expect(second.changes).toEqual([
      {
        kind: 'pass',
        pass: {
          id: pass.id,
          name: '王小明',
          address: '1号楼 101',
          validUntil: pass.validUntil,
          status: 'revoked',
          token: pass.token,
        },
      },
    ]);
    // Revoking again logs nothing more.
    await server.admin({ method: 'DELETE', url: `/api/v1/passes/${pass.id}` });
    expect((await pull(second.cursor)).changes).toEqual([]);
  });

  it('each gate sees its own passes and every-gate ones; the watchlist goes to every gate', async () => {
    const east = await server.admin({
      method: 'POST',
      url: '/api/v1/gates',
      payload: { name: 'East' },
    });
    const eastId = east.json<{ id: string }>().id;
    const eastPhone = await server.enroll(eastId);
    const all = await issue('全部门岗');
    const mine = await issue('本门', { gateId: server.gate.id });
    const theirs = await issue('东门', { gateId: eastId });
    const watch = await server.admin({
      method: 'POST',
      url: '/api/v1/watchlist',
      payload: {
        name: '赵六',
        until: day(T0 + 14 * DAY_MS),
        passId: all.id,
        idNumber: '310101198001011234',
        phone: '13800138000',
      },
    });
    const entry = watch.json<WatchEntry>();
    const here = await pull();
    expect(passIds(here.changes)).toEqual([`${all.id}:active`, `${mine.id}:active`, 'watch']);
    const there = await pull(undefined, undefined, eastPhone.token);
    expect(passIds(there.changes)).toEqual([`${all.id}:active`, `${theirs.id}:active`, 'watch']);
    // The phone gets the ID number and phone only as hashes of their normalised form.
    expect(here.changes[2]).toEqual({
      kind: 'watch',
      watch: {
        id: entry.id,
        name: '赵六',
        until: day(T0 + 14 * DAY_MS),
        passId: all.id,
        idHash: sha256Hex(watchHashInput('id', '310101198001011234')),
        phoneHash: sha256Hex(watchHashInput('phone', '+8613800138000')),
      },
    });
    expect(JSON.stringify(here)).not.toContain('310101198001011234');
    await server.admin({ method: 'DELETE', url: `/api/v1/watchlist/${entry.id}` });
    expect((await pull(here.cursor)).changes).toEqual([{ kind: 'unwatch', id: entry.id }]);
  });

  it('carries the gate rules as they are now', async () => {
    const res = await pull();
    expect(res.gate.rules).toEqual(server.gate.rules);
  });

  it('is for phones only, and refuses a bad cursor or limit', async () => {
    const admin = await server.admin({ method: 'GET', url: '/api/v1/device/changes' });
    expect(admin.statusCode).toBe(403);
    const none = await server.app.inject({ method: 'GET', url: '/api/v1/device/changes' });
    expect(none.statusCode).toBe(401);
    for (const q of ['since=-1', 'since=abc', 'since=1e9', 'limit=0', 'limit=5000']) {
      const res = await server.app.inject({
        method: 'GET',
        url: `/api/v1/device/changes?${q}`,
        headers: bearer(phone.token),
      });
      expect(res.statusCode, q).toBe(400);
    }
  });
});

// ---- the feed under concurrent writers, on every store ------------------------------------

const target = await pgTarget();
warnSkipped(
  target,
  'the PostgreSQL half of the pull-feed suite (tests/server/device-changes.test.ts)',
);

interface Opened {
  /** Stores on one database: one per "instance". */
  stores: Store[];
  cleanup(): Promise<void>;
}

const BACKENDS: { name: string; skip: boolean; open(): Promise<Opened> }[] = [
  {
    name: 'sqlite',
    skip: false,
    async open() {
      const dir = mkdtempSync(join(tmpdir(), 'gatelog-feed-'));
      const file = join(dir, 'gatelog.sqlite');
      const first = new SqliteStore(file);
      await first.migrate();
      const stores = [first, new SqliteStore(file)];
      return {
        stores,
        async cleanup() {
          for (const s of stores) await s.close();
          rmSync(dir, { recursive: true, force: true });
        },
      };
    },
  },
  {
    name: 'postgres',
    skip: target.kind !== 'ready',
    async open() {
      if (target.kind !== 'ready') throw new Error('PostgreSQL is not available');
      const scratch = await createScratchSchema(target.url, 'feed');
      const stores = [0, 1, 2].map(() => new PostgresStore({ url: scratch.url, poolMax: 6 }));
      await Promise.all(stores.map((s) => s.migrate()));
      return {
        stores,
        async cleanup() {
          for (const s of stores) await s.close();
          await scratch.drop();
        },
      };
    },
  },
];

describe.each(BACKENDS)('the feed on $name', (backend) => {
  let opened: Opened;
  const cleanups: (() => Promise<void>)[] = [];
  beforeEach(async (ctx) => {
    if (backend.skip) ctx.skip();
    opened = await backend.open();
    cleanups.push(opened.cleanup);
  });
  afterEach(async () => {
    while (cleanups.length) await cleanups.pop()!();
  });
  afterAll(async () => {
    while (cleanups.length) await cleanups.pop()!();
  });

  it('a reader pulling while writers on several instances write never skips or repeats a change', async () => {
    const [main] = opened.stores as [Store];
    const gate = await createGate(main, 'Gate');
    const now = Date.now();
    const validUntil = day(now + 30 * DAY_MS);
    const WRITERS = 4;
    const EACH = 15;
    let writing = true;
    const seen: ChangeRow[] = [];
    let cursor = 0;
    const readOnce = async () => {
      for (;;) {
        const page = await main.listChanges(gate.id, cursor, 7);
        seen.push(...page);
        if (page.length) cursor = page.at(-1)!.seq;
        if (page.length < 7) return;
      }
    };
    const reader = (async () => {
      while (writing) await readOnce();
    })();
    const writers = Array.from({ length: WRITERS }, async (_, w) => {
      const store = opened.stores[w % opened.stores.length]!;
      for (let i = 0; i < EACH; i++) {
        const p = await issuePass(store, { name: `w${w}-${i}`, address: 'x', validUntil }, now);
        if (i % 5 === 4) await revokePass(store, p.id, now);
        if (i % 7 === 0) {
          const watch = await addWatch(
            store,
            { name: `w${w}-${i}`, until: validUntil, passId: p.id },
            now,
          );
          await removeWatch(store, watch.id, now);
        }
      }
    });
    await Promise.all(writers);
    writing = false;
    await reader;
    await readOnce();

    const all = await main.listChanges(gate.id, 0, 100_000);
    const perWriter = EACH + Math.floor(EACH / 5) + 2 * Math.ceil(EACH / 7);
    expect(all).toHaveLength(WRITERS * perWriter);
    // The reader saw every change exactly once, in seq order, although it read mid-write.
    expect(seen.map((c) => c.seq)).toEqual(all.map((c) => c.seq));
    for (let i = 1; i < seen.length; i++) expect(seen[i]!.seq).toBeGreaterThan(seen[i - 1]!.seq);
  });

  it('two instances making the first signing key at once agree on one', async () => {
    const now = Date.now();
    const { ensureSigningKey } = await import('../../src/server/passes/keys');
    const keys = await Promise.all(opened.stores.map((s) => ensureSigningKey(s, now)));
    expect(new Set(keys.map((k) => k.kid)).size).toBe(1);
    const published = await opened.stores[0]!.listPublishedSigningKeys(day(now));
    expect(published).toHaveLength(1);
  });
});
