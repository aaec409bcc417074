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
  deviceChangeSchema,
  deviceChangesResponseSchema,
  type DeviceChange,
  type DeviceChangesResponse,
  type DevicePass,
  type DeviceWatch,
  type Pass,
  type WatchEntry,
} from '../../src/shared';
import { watchHashInput } from '../../src/shared/passes';
import { createGate } from '../../src/server/gates';
import { addWatch, issuePass, removeWatch, revokePass } from '../../src/server/passes/service';
import { sha256Hex } from '../../src/server/secrets';
import { PostgresStore } from '../../src/server/store/postgres';
import { SqliteStore } from '../../src/server/store/sqlite';
import { FEED_KEEPS_ENDED_DAYS, feedCutoff } from '../../src/server/store/feed';
import type { ChangeRow, Store } from '../../src/server/store/types';
import { bearer, startServer, type Phone, type TestServer } from './harness';
import { createScratchSchema, pgTarget, queryOnce, warnSkipped } from './support/pg';

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
        idNumber: '31010119800101123X',
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
        idHash: sha256Hex(watchHashInput('id', '31010119800101123X')),
        phoneHash: sha256Hex(watchHashInput('phone', '+8613800138000')),
      },
    });
    expect(JSON.stringify(here)).not.toContain('31010119800101123X');
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
  /** Runs SQL behind the stores' backs. */
  exec(sql: string): Promise<void>;
  /** The migration that made the feed keep latest changes only (003 / 004). */
  feedMigration: number;
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
        exec: async (sql) => void first.db.exec(sql),
        feedMigration: 3,
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
        exec: async (sql) => void (await queryOnce(scratch.url, sql)),
        feedMigration: 4,
        async cleanup() {
          for (const s of stores) await s.close();
          await scratch.drop();
        },
      };
    },
  },
];

/** What a phone keeps of the feed, applied as the app does (src/app/db/pull-repo.ts). */
interface PhoneModel {
  passes: Map<string, DevicePass>;
  watch: Map<string, DeviceWatch>;
}

function applied(changes: readonly ChangeRow[], into?: PhoneModel): PhoneModel {
  const m = into ?? { passes: new Map(), watch: new Map() };
  for (const row of changes) {
    const c = deviceChangeSchema.parse(JSON.parse(row.payload));
    if (c.kind === 'pass') {
      // Revocation wins, as on the phone.
      const revoked = m.passes.get(c.pass.id)?.status === 'revoked';
      m.passes.set(c.pass.id, revoked ? { ...c.pass, status: 'revoked' } : c.pass);
    } else if (c.kind === 'watch') m.watch.set(c.watch.id, c.watch);
    else m.watch.delete(c.id);
  }
  return m;
}

/** What the phone acts on today: passes not past their last day, and live watch entries. */
function phoneView(m: PhoneModel, today: string) {
  return {
    passes: Object.fromEntries(
      [...m.passes.values()].filter((p) => p.validUntil >= today).map((p) => [p.id, p.status]),
    ),
    watch: Object.fromEntries(
      [...m.watch.values()].filter((w) => w.until >= today).map((w) => [w.id, w.until]),
    ),
  };
}

/** The same, as the server holds it for phones of `gateId`. */
async function serverView(store: Store, gateId: string, today: string) {
  const passes = await store.listPasses({ gateId, includeRevoked: true });
  return {
    passes: Object.fromEntries(
      passes
        .filter((p) => p.validUntil >= today)
        .map((p) => [p.id, p.revokedAt === null ? 'active' : 'revoked']),
    ),
    watch: Object.fromEntries(
      (await store.listWatch()).filter((w) => w.until >= today).map((w) => [w.id, w.until]),
    ),
  };
}

/** A small deterministic generator (mulberry32), so a failure can be run again. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

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

    // The feed keeps each entity's latest change: one per pass and per watch entry.
    const all = await main.listChanges(gate.id, 0, 100_000);
    expect(all).toHaveLength(WRITERS * (EACH + Math.ceil(EACH / 7)));
    // The reader saw each change at most once, in seq order, although it read mid-write, and
    // missed none the feed still holds; what it saw adds up to what the server has.
    for (let i = 1; i < seen.length; i++) expect(seen[i]!.seq).toBeGreaterThan(seen[i - 1]!.seq);
    const seenSeqs = new Set(seen.map((c) => c.seq));
    expect(all.filter((c) => !seenSeqs.has(c.seq))).toEqual([]);
    expect(phoneView(applied(seen), day(now))).toEqual(await serverView(main, gate.id, day(now)));
  });

  it("keeps only each pass's and watch entry's latest change, so a new phone gets one per entity", async () => {
    const [main] = opened.stores as [Store];
    const gate = await createGate(main, 'Gate');
    const now = Date.now();
    const validUntil = day(now + 30 * DAY_MS);
    const a = await issuePass(main, { name: '甲', address: 'x', validUntil }, now);
    const early = await main.listChanges(gate.id, 0, 100);
    const b = await issuePass(main, { name: '乙', address: 'x', validUntil }, now);
    await revokePass(main, a.id, now);
    const w = await addWatch(main, { name: '丙', until: day(now + 5 * DAY_MS) }, now);
    await removeWatch(main, w.id, now);

    const all = await main.listChanges(gate.id, 0, 100);
    expect(all.map((c) => [c.kind, c.entityId, c.endsOn])).toEqual([
      ['pass', b.id, validUntil],
      ['pass', a.id, validUntil],
      ['unwatch', w.id, w.until],
    ]);
    expect(JSON.parse(all[1]!.payload)).toMatchObject({ pass: { status: 'revoked' } });
    // A phone that pulled the issuance gets the revocation from its cursor.
    const later = await main.listChanges(gate.id, early.at(-1)!.seq, 100);
    expect(later.map((c) => c.entityId)).toEqual([b.id, a.id, w.id]);
  });

  it(`drops the changes of passes and entries ended over ${FEED_KEEPS_ENDED_DAYS} days ago, at the next change`, async () => {
    const [main] = opened.stores as [Store];
    const gate = await createGate(main, 'Gate');
    const t = Date.UTC(2026, 0, 10, 4, 0);
    const short = await issuePass(main, { name: '甲', address: 'x', validUntil: day(t) }, t);
    const long = await issuePass(
      main,
      { name: '乙', address: 'x', validUntil: day(t + 60 * DAY_MS) },
      t,
    );
    const gone = await addWatch(main, { name: '丙', until: day(t) }, t);
    await removeWatch(main, gone.id, t);
    // Still on the watchlist, but its last day passes too.
    const onList = await addWatch(main, { name: '丁', until: day(t) }, t);
    const ids = async () => (await main.listChanges(gate.id, 0, 100)).map((c) => c.entityId);

    // Their last day plus the days kept: still there, even at a change.
    const lastKept = t + FEED_KEEPS_ENDED_DAYS * DAY_MS;
    expect(feedCutoff(lastKept)).toBe(day(t));
    await issuePass(main, { name: '戊', address: 'x', validUntil: day(lastKept) }, lastKept);
    expect(await ids()).toEqual(expect.arrayContaining([short.id, gone.id, onList.id]));
    // A day later, nothing changes until the committee does.
    const after = lastKept + DAY_MS;
    expect(await ids()).toEqual(expect.arrayContaining([short.id, gone.id, onList.id]));
    const next = await issuePass(main, { name: '己', address: 'x', validUntil: day(after) }, after);
    expect(await ids()).toEqual([long.id, expect.any(String), next.id]);
  });

  it('leaves every phone, wherever its cursor was, with what the server has', async () => {
    const [main] = opened.stores as [Store];
    const gate = await createGate(main, 'Gate');
    const elsewhere = await createGate(main, 'Other gate');
    const random = seeded(20261205);
    const int = (lo: number, hi: number) => lo + Math.floor(random() * (hi - lo + 1));
    const pick = <T>(xs: T[]) => xs[int(0, xs.length - 1)]!;
    let now = Date.UTC(2026, 0, 10, 4, 0);
    const passes: string[] = [];
    const watches: string[] = [];
    let made = 0;
    const phones = Array.from({ length: 4 }, () => ({ cursor: 0, model: applied([]) }));
    type Phone = (typeof phones)[number];
    /** One page; true when it was full (more may wait). */
    const pullPage = async (p: Phone, limit: number) => {
      const page = await main.listChanges(gate.id, p.cursor, limit);
      applied(page, p.model);
      if (page.length) p.cursor = page.at(-1)!.seq;
      return page.length === limit;
    };

    for (let step = 0; step < 400; step++) {
      const store = opened.stores[step % opened.stores.length]!;
      const r = random();
      if (r < 0.25) {
        const validUntil = day(now + int(0, 20) * DAY_MS);
        const gateId = random() < 0.3 ? elsewhere.id : undefined;
        passes.push(
          (
            await issuePass(
              store,
              { name: `p${step}`, address: 'x', validUntil, ...(gateId && { gateId }) },
              now,
            )
          ).id,
        );
        made++;
      } else if (r < 0.4 && passes.length) {
        made++;
        await revokePass(store, pick(passes), now);
      } else if (r < 0.55) {
        const until = day(now + int(0, 10) * DAY_MS);
        watches.push((await addWatch(store, { name: `w${step}`, until }, now)).id);
        made++;
      } else if (r < 0.65 && watches.length) {
        if (await removeWatch(store, pick(watches), now)) made++;
      } else if (r < 0.75) {
        now += int(0, 3) * DAY_MS + int(0, 3_600_000);
      } else {
        // A phone reads one page and goes away: its cursor stays mid-feed while compaction runs.
        await pullPage(pick(phones), int(1, 4));
      }
    }

    const today = day(now);
    const truth = await serverView(main, gate.id, today);
    expect(Object.keys(truth.passes).length + Object.keys(truth.watch).length).toBeGreaterThan(5);
    for (const p of phones) {
      while (await pullPage(p, 5));
      expect(phoneView(p.model, today)).toEqual(truth);
    }
    // A new phone: the same, from one change per entity, none of them long ended.
    const fresh = await main.listChanges(gate.id, 0, 100_000);
    expect(phoneView(applied(fresh), today)).toEqual(truth);
    expect(new Set(fresh.map((c) => c.entityId)).size).toBe(fresh.length);
    expect(fresh.length).toBeLessThan(made / 2);
  });

  it('compacts the feed of a database made before it kept latest changes only', async () => {
    const [main] = opened.stores as [Store];
    const gate = await createGate(main, 'Gate');
    // The feed as it was before the migration: no ends_on, every change kept.
    await opened.exec(`DROP INDEX changes_entity; DROP INDEX changes_ends_on;
      ALTER TABLE changes DROP COLUMN ends_on;
      DELETE FROM schema_migrations WHERE version = ${opened.feedMigration};`);
    const pass = (id: string, status: string) =>
      JSON.stringify({
        kind: 'pass',
        pass: { id, name: 'n', address: 'a', validUntil: '2099-01-02', status, token: 't' },
      });
    const watch = JSON.stringify({
      kind: 'watch',
      watch: { id: 'w1', name: 'n', until: '2099-03-04' },
    });
    const old: [string, string, string][] = [
      ['pass', 'P1', pass('P1', 'active')],
      ['pass', 'P2', pass('P2', 'active')],
      ['watch', 'w1', watch],
      ['pass', 'P1', pass('P1', 'revoked')],
      ['unwatch', 'w1', JSON.stringify({ kind: 'unwatch', id: 'w1' })],
    ];
    for (const [kind, id, payload] of old) {
      await opened.exec(`INSERT INTO changes (kind, entity_id, gate_id, payload, created_at)
        VALUES ('${kind}', '${id}', NULL, '${payload}', 1)`);
    }
    await main.migrate();
    const all = await main.listChanges(gate.id, 0, 100);
    expect(all.map((c) => [c.kind, c.entityId, c.endsOn])).toEqual([
      ['pass', 'P2', '2099-01-02'],
      ['pass', 'P1', '2099-01-02'],
      ['unwatch', 'w1', '2099-03-04'],
    ]);
    expect(all[1]!.payload).toBe(pass('P1', 'revoked'));
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
