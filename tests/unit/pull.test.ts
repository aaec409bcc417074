/**
 * The phone's pull against the real server (src/server through `app.inject`, fake-indexeddb on
 * the phone side): the cursor resumes without gaps or repeats, also after a pull cut off half
 * way; a revocation made after the pass was cached reaches the phone and wins; the watchlist
 * comes and goes; and the sync runner pulls after its push, on the same triggers.
 */
import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  GateLogDb,
  db,
  findWatch,
  getPullCursor,
  getPullStatus,
  getSetting,
  getSigningKeys,
  setDb,
  setSetting,
  applyPulledPage,
} from '../../src/app/db';
import { checkPassText } from '../../src/app/passes/pass-check';
import { sha256Hex } from '../../src/app/sync/sha256';
import { pullChanges, type PullContext } from '../../src/app/sync/pull';
import {
  SyncEngine,
  noLock,
  type SyncClock,
  type SyncEnvironment,
} from '../../src/app/sync/sync-engine';
import type { Pass, WatchEntry } from '../../src/shared';
import { watchHashInput } from '../../src/shared/passes';
import { startServer, type Phone, type TestServer } from '../server/harness';
import { fetchVia } from '../support/fetch-via';
import { makeKey, makePage, publicKey } from '../support/passes';

const DAY_MS = 86_400_000;
const inDays = (n: number) => new Date(Date.now() + n * DAY_MS).toISOString().slice(0, 10);
const today = () => new Date().toISOString().slice(0, 10);

let server: TestServer;
let phone: Phone;
let n = 0;
beforeEach(async () => {
  setDb(new GateLogDb(`pull-${Date.now()}-${n++}`));
  server = await startServer();
  phone = await server.enroll();
  await setSetting('gate', { id: server.gate.id, name: 'old name', rules: server.gate.rules });
});
afterEach(() => server.close());

const ctx = (fetchFn: typeof fetch): PullContext => ({
  serverUrl: '',
  token: phone.token,
  deviceId: phone.deviceId,
  fetch: fetchFn,
});

async function issue(name: string, validUntil = inDays(30)): Promise<Pass> {
  const res = await server.admin({
    method: 'POST',
    url: '/api/v1/passes',
    payload: { name, address: '1号楼 101', validUntil },
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json<Pass>();
}

const sinceOf = (url: string) => Number(new URL(url, 'http://x').searchParams.get('since'));

describe('pullChanges', () => {
  it('stores every pass page by page; the next pull starts at the cursor and repeats nothing', async () => {
    const passes = [];
    for (let i = 0; i < 8; i++) passes.push(await issue(`住户${i}`));
    const seen: string[] = [];
    const first = await pullChanges(ctx(fetchVia(server.app, seen, { limit: 3 })));
    expect(first).toEqual({ pages: 3, changes: 8, more: false });
    expect((await db.passes.toArray()).map((p) => p.id).sort()).toEqual(
      passes.map((p) => p.id).sort(),
    );
    // Each page asked from where the previous one ended.
    const sinces = seen.map(sinceOf);
    expect(sinces[0]).toBe(0);
    for (let i = 1; i < sinces.length; i++) expect(sinces[i]).toBeGreaterThan(sinces[i - 1]!);
    expect(await getSigningKeys()).toHaveLength(1);
    // The gate's name and rules are the server's now.
    expect((await getSetting('gate'))?.name).toBe(server.gate.name);

    const cursor = await getPullCursor();
    const again = await pullChanges(ctx(fetchVia(server.app, seen)));
    expect(again).toEqual({ pages: 1, changes: 0, more: false });
    expect(sinceOf(seen.at(-1)!)).toBe(Number(cursor));
    const late = await issue('新住户');
    expect(await pullChanges(ctx(fetchVia(server.app, seen)))).toMatchObject({ changes: 1 });
    expect(await db.passes.get(late.id)).toMatchObject({ name: '新住户', status: 'active' });
  });

  it('a pull cut off half way resumes after the last stored page: no gap, no repeat', async () => {
    for (let i = 0; i < 7; i++) await issue(`住户${i}`);
    const seen: string[] = [];
    await expect(
      pullChanges(ctx(fetchVia(server.app, seen, { limit: 3, failAt: 2 }))),
    ).rejects.toThrow('Failed to fetch');
    expect(await db.passes.count()).toBe(3);
    // The screen does not claim a complete watchlist before a pull got to the end.
    expect((await getPullStatus(today())).asOf).toBeUndefined();
    const stored = await getPullCursor();
    const resumed: string[] = [];
    expect(await pullChanges(ctx(fetchVia(server.app, resumed, { limit: 3 })))).toMatchObject({
      changes: 4,
    });
    expect(sinceOf(resumed[0]!)).toBe(Number(stored));
    expect(await db.passes.count()).toBe(7);
    expect((await getPullStatus(today())).asOf).toBeDefined();
  });

  it('a revocation made after the pass was cached reaches the phone and wins', async () => {
    const pass = await issue('王小明');
    await pullChanges(ctx(fetchVia(server.app, [])));
    expect(await checkPassText(pass.token, today())).toMatchObject({ ok: true });

    const del = await server.admin({ method: 'DELETE', url: `/api/v1/passes/${pass.id}` });
    expect(del.statusCode).toBe(204);
    // Offline the phone still has the pass as it was...
    expect(await checkPassText(pass.token, today())).toMatchObject({ ok: true });
    // ...and once it pulls, the revocation wins over the good signature.
    await pullChanges(ctx(fetchVia(server.app, [])));
    expect(await db.passes.get(pass.id)).toMatchObject({ status: 'revoked' });
    expect(await checkPassText(pass.token, today())).toMatchObject({
      ok: false,
      problem: 'revoked',
    });

    // An old "active" message replayed later does not make it good again.
    const key = makeKey();
    await applyPulledPage(
      makePage(
        [publicKey(key)],
        [{ kind: 'pass', pass: { ...(await db.passes.get(pass.id))!, status: 'active' } }],
        {
          cursor: await getPullCursor(),
        },
      ),
      new Date().toISOString(),
      today(),
    );
    expect(await db.passes.get(pass.id)).toMatchObject({ status: 'revoked' });
  });

  it('the watchlist arrives with hashes only, matches by pass, ID number or phone, and goes', async () => {
    const pass = await issue('赵六');
    const res = await server.admin({
      method: 'POST',
      url: '/api/v1/watchlist',
      payload: {
        name: '赵六',
        until: inDays(14),
        passId: pass.id,
        idNumber: '31010119800101123X',
        phone: '13800138000',
      },
    });
    const entry = res.json<WatchEntry>();
    await pullChanges(ctx(fetchVia(server.app, [])));
    const stored = await db.watchlist.get(entry.id);
    expect(stored).toMatchObject({ name: '赵六', until: inDays(14), passId: pass.id });
    expect(JSON.stringify(stored)).not.toContain('31010119800101123X');
    expect(JSON.stringify(stored)).not.toContain('13800138000');

    const idHash = await sha256Hex(watchHashInput('id', ' 31010119800101123X '));
    const phoneHash = await sha256Hex(watchHashInput('phone', '+86 138 0013 8000'));
    expect((await findWatch({ passId: pass.id }, today()))?.id).toBe(entry.id);
    expect((await findWatch({ idHash }, today()))?.id).toBe(entry.id);
    expect((await findWatch({ phoneHash }, today()))?.id).toBe(entry.id);
    // In force through its last day (until == today), over the day after, as the page and the
    // command line mark it (isWatchEnded).
    expect((await findWatch({ phoneHash }, inDays(14)))?.id).toBe(entry.id);
    expect(await findWatch({ phoneHash }, inDays(15))).toBeUndefined();
    expect((await getPullStatus(today())).watchCount).toBe(1);
    expect((await getPullStatus(inDays(14))).watchCount).toBe(1);
    expect((await getPullStatus(inDays(15))).watchCount).toBe(0);
    expect((await getPullStatus(today())).asOf).toBeDefined();

    await server.admin({ method: 'DELETE', url: `/api/v1/watchlist/${entry.id}` });
    await pullChanges(ctx(fetchVia(server.app, [])));
    expect(await findWatch({ passId: pass.id, idHash, phoneHash }, today())).toBeUndefined();
  });

  it('joining another server or gate starts the pull over', async () => {
    await issue('甲');
    await pullChanges(ctx(fetchVia(server.app, [])));
    expect(await db.passes.count()).toBe(1);
    const other = await server.enroll();
    const seen: string[] = [];
    await pullChanges({
      ...ctx(fetchVia(server.app, seen)),
      token: other.token,
      deviceId: other.deviceId,
    });
    expect(sinceOf(seen[0]!)).toBe(0);
    expect(await db.passes.count()).toBe(1);
  });
});

describe('the sync runner pulls after its push', () => {
  class Clock implements SyncClock {
    t = Date.now();
    now = () => this.t;
    setTimeout = () => 0;
    clearTimeout = () => {};
  }

  async function engineWith(seen: string[], env?: SyncEnvironment) {
    await setSetting('enrollment', {
      serverUrl: '',
      deviceId: phone.deviceId,
      token: phone.token,
      enrolledAt: new Date().toISOString(),
    });
    const clock = new Clock();
    const engine = new SyncEngine({
      appVersion: 'test',
      fetch: fetchVia(server.app, seen),
      clock,
      lock: noLock,
      pull: pullChanges,
      ...(env && { env }),
    });
    return { engine, clock };
  }

  const pulls = (seen: string[]) =>
    seen.filter((u) => u.startsWith('/api/v1/device/changes')).length;

  it('at once when the network comes back, whatever the 30 s', async () => {
    const seen: string[] = [];
    const win = new EventTarget();
    const { engine, clock } = await engineWith(seen, { window: win });
    await engine.runOnce();
    expect(pulls(seen)).toBe(1);
    const stop = engine.start();
    clock.t += 5_000;
    await engine.runOnce();
    expect(pulls(seen)).toBe(1);
    // Offline a while, the committee changed something; the network comes back.
    win.dispatchEvent(new Event('online'));
    await engine.runOnce();
    expect(pulls(seen)).toBe(2);
    stop();
  });

  it('on every run, at most every 30 s unless the guard asks, and Sync now always', async () => {
    const seen: string[] = [];
    const { engine, clock } = await engineWith(seen);
    const pass = await issue('王小明');
    expect((await engine.runOnce()).outcome).toBe('done');
    expect(pulls(seen)).toBe(1);
    expect(await db.passes.get(pass.id)).toBeDefined();
    clock.t += 10_000;
    await engine.runOnce();
    expect(pulls(seen)).toBe(1);
    await engine.syncNow();
    expect(pulls(seen)).toBe(2);
    clock.t += 31_000;
    await engine.runOnce();
    expect(pulls(seen)).toBe(3);
  });

  it('a revoked phone stops, as for the push', async () => {
    const seen: string[] = [];
    const { engine } = await engineWith(seen);
    await server.admin({ method: 'DELETE', url: `/api/v1/devices/${phone.deviceId}` });
    expect((await engine.runOnce()).outcome).toBe('auth');
    expect(engine.getStatus().authProblem).toBe(true);
  });

  it('a pull that fails on the network changes nothing else', async () => {
    const seen: string[] = [];
    await setSetting('enrollment', {
      serverUrl: '',
      deviceId: phone.deviceId,
      token: phone.token,
      enrolledAt: new Date().toISOString(),
    });
    const engine = new SyncEngine({
      appVersion: 'test',
      fetch: fetchVia(server.app, seen),
      clock: new Clock(),
      lock: noLock,
      pull: async () => {
        throw new TypeError('Failed to fetch');
      },
    });
    const result = await engine.runOnce();
    expect(result.outcome).toBe('done');
    expect(engine.getStatus().lastError).toBeUndefined();
  });
});
