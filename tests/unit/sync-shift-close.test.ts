import 'fake-indexeddb/auto';
import { createHash } from 'node:crypto';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { DEFAULT_GATE_RULES, type ShiftCloseRequest, type ShiftReceipt } from '../../src/shared';
import {
  GateLogDb,
  deleteSetting,
  endShift,
  getShift,
  markRejected,
  markSynced,
  saveEntry,
  setDb,
  setSetting,
  startShift,
  type Shift,
} from '../../src/app/db';
import { sha256Fallback, sha256Hex } from '../../src/app/sync/sha256';
import {
  closeShift,
  closeShiftWithRetry,
  closeWaitingShifts,
  savedReceipt,
  shiftDigest,
  type ShiftCloseOutcome,
} from '../../src/app/sync/shift-close';
import type { RunResult, SyncClock } from '../../src/app/sync/sync-engine';
import { makeEntry } from '../support/factories';

const nodeSha = (s: string | Uint8Array) => createHash('sha256').update(s).digest('hex');
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

let n = 0;
let shift: Shift;
const flushed: RunResult = { outcome: 'done', synced: 0, rejected: 0, pending: 0 };
const flush = vi.fn(async () => flushed);

beforeEach(async () => {
  setDb(new GateLogDb(`test-shift-close-${n++}`));
  flush.mockClear();
  shift = await startShift('gate-1', '王师傅');
  await setSetting('enrollment', {
    serverUrl: 'https://srv.example',
    deviceId: 'dev-1',
    token: 'tok',
    enrolledAt: '2020-02-01T08:00:00.000+08:00',
  });
});

async function seed(count: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const saved = await saveEntry(makeEntry({ direction: i % 2 ? 'out' : 'in' }), {
      shift,
      deviceId: 'dev-1',
      rules: DEFAULT_GATE_RULES,
    });
    ids.push(saved.id);
  }
  return ids;
}

const receiptFor = (count: number): ShiftReceipt => ({
  shiftId: shift.id,
  gateId: 'gate-1',
  recordCount: count,
  byDirection: { in: count, out: 0 },
  byCategory: { resident: count },
  fever: 0,
  returnees: 0,
  refused: 0,
  closedAt: '2020-02-03T12:00:00.000Z',
});

/** A close endpoint that holds `held` ids of the shift and agrees only on a matching digest. */
function closeServer(held: () => string[]) {
  return vi.fn(async (_url: RequestInfo | URL, init?: RequestInit) => {
    const body = JSON.parse(String(init?.body)) as ShiftCloseRequest;
    const ids = held();
    const digest = nodeSha([...ids].sort().join('\n'));
    const complete = ids.length === body.recordCount && digest === body.digest;
    return new Response(
      JSON.stringify({
        received: ids.length,
        complete,
        receipt: complete ? receiptFor(ids.length) : null,
      }),
      { status: 200 },
    );
  });
}

describe('sha256Hex', () => {
  it('matches node’s SHA-256, and so does the fallback for insecure contexts', async () => {
    const inputs = [
      '',
      'abc',
      'a'.repeat(55),
      'a'.repeat(56),
      'a'.repeat(64),
      'a'.repeat(1000),
      '门岗登记\n0190f5a0',
    ];
    for (const s of inputs) {
      expect(await sha256Hex(s)).toBe(nodeSha(s));
      expect(hex(sha256Fallback(new TextEncoder().encode(s)))).toBe(nodeSha(s));
    }
  });
});

describe('closeShift', () => {
  it('flushes first, sends the count and the digest of the sorted ids, and keeps the receipt', async () => {
    const ids = await seed(3);
    const fetch = closeServer(() => ids);
    const outcome = await closeShift(shift.id, { fetch, flush });
    expect(flush).toHaveBeenCalledOnce();
    const [url, init] = fetch.mock.calls[0]!;
    expect(url).toBe(`https://srv.example/api/v1/shifts/${shift.id}/close`);
    expect(new Headers(init?.headers).get('authorization')).toBe('Bearer tok');
    expect(JSON.parse(String(init?.body))).toEqual({
      recordCount: 3,
      digest: nodeSha([...ids].sort().join('\n')),
    });
    expect(outcome).toEqual({ status: 'complete', receipt: receiptFor(3) });
    expect((await getShift(shift.id))?.receipt).toEqual(receiptFor(3));
    expect(await savedReceipt(shift.id)).toEqual(receiptFor(3));
  });

  it('says what is missing: received N of M, what is still on the phone, the refused records', async () => {
    const ids = await seed(4);
    await markSynced(ids.slice(0, 2));
    await markRejected([{ id: ids[3]!, code: 'invalid', message: 'name: required' }]);
    const fetch = closeServer(() => ids.slice(0, 2));
    const outcome = await closeShift(shift.id, {
      fetch,
      flush: async () => ({ ...flushed, pending: 1 }),
    });
    expect(outcome).toMatchObject({ status: 'incomplete', expected: 3, received: 2, pending: 1 });
    const rejected = (outcome as Extract<ShiftCloseOutcome, { status: 'incomplete' }>).rejected;
    expect(rejected.map((r) => [r.id, r.rejection?.code])).toEqual([[ids[3], 'invalid']]);
    expect((await getShift(shift.id))?.receipt).toBeUndefined();
  });

  it('leaves refused records out of the digest, so the receipt can still agree', async () => {
    const ids = await seed(3);
    await markRejected([{ id: ids[1]!, code: 'conflict', message: 'x' }]);
    expect(await shiftDigest(shift.id)).toEqual({
      recordCount: 2,
      digest: nodeSha([ids[0], ids[2]].sort().join('\n')),
    });
    const outcome = await closeShift(shift.id, {
      fetch: closeServer(() => [ids[0]!, ids[2]!]),
      flush,
    });
    expect(outcome.status).toBe('complete');
  });

  it('needs enrollment, and reports auth and server trouble', async () => {
    await seed(1);
    const fetch = vi.fn(async () =>
      Response.json({ error: 'unauthorized', message: 'Unknown token' }, { status: 401 }),
    );
    expect(await closeShift(shift.id, { fetch, flush })).toEqual({ status: 'auth' });
    // A proxy's own 401 page is not the token refused: trouble to try again.
    const proxy = vi.fn(async () => new Response('<h1>401</h1>', { status: 401 }));
    expect(await closeShift(shift.id, { fetch: proxy, flush })).toMatchObject({ status: 'error' });
    expect(
      await closeShift(shift.id, {
        fetch: vi.fn(
          async () => new Response('{}', { status: 503, headers: { 'retry-after': '30' } }),
        ),
        flush,
      }),
    ).toMatchObject({ status: 'error', retryAfterMs: 30_000 });
    expect(
      await closeShift(shift.id, { fetch, flush: async () => ({ ...flushed, outcome: 'auth' }) }),
    ).toEqual({ status: 'auth' });
    await deleteSetting('enrollment');
    const untouched = vi.fn();
    expect(await closeShift(shift.id, { fetch: untouched, flush })).toEqual({
      status: 'not_enrolled',
    });
    expect(untouched).not.toHaveBeenCalled();
  });

  it('says when the server holds the shift as begun on another phone of the gate', async () => {
    await seed(1);
    const fetch = vi.fn(async () =>
      Response.json(
        { error: 'shift_of_another_phone', message: 'This shift was begun on another phone.' },
        { status: 409 },
      ),
    );
    expect(await closeShift(shift.id, { fetch, flush })).toEqual({ status: 'another_phone' });
    // Kept with the shift, for the next shift's start to say no receipt comes here.
    expect((await getShift(shift.id))?.anotherPhone).toBe(true);
    // Any other conflict is trouble to try again.
    const other = vi.fn(async () => Response.json({ error: 'conflict' }, { status: 409 }));
    expect(await closeShift(shift.id, { fetch: other, flush })).toMatchObject({ status: 'error' });
    expect((await getShift(shift.id))?.anotherPhone).toBe(true);
    // The server answers for it after all (the phone enrolled again with its former token).
    const answered = closeServer(() => []);
    expect(await closeShift(shift.id, { fetch: answered, flush })).toMatchObject({
      status: 'incomplete',
    });
    expect((await getShift(shift.id))?.anotherPhone).toBeUndefined();
  });
});

describe('closeShiftWithRetry', () => {
  function fakeClock() {
    const clock: SyncClock & { t: number; waits: number[]; pending: (() => void)[] } = {
      t: 0,
      waits: [],
      pending: [],
      now: () => clock.t,
      setTimeout: (fn, ms) => {
        clock.waits.push(ms);
        clock.t += ms;
        queueMicrotask(fn);
        return clock.waits.length;
      },
      clearTimeout: () => {},
    };
    return clock;
  }

  it('keeps trying with backoff until the server agrees', async () => {
    const ids = await seed(2);
    let held: string[] = [];
    const server = closeServer(() => held);
    let calls = 0;
    const fetch = vi.fn(async (url: RequestInfo | URL, init?: RequestInit) => {
      calls++;
      if (calls === 1) throw new TypeError('Failed to fetch');
      if (calls === 3) held = ids;
      return server(url, init);
    });
    const clock = fakeClock();
    const seen: string[] = [];
    const outcome = await closeShiftWithRetry(shift.id, {
      fetch,
      flush,
      clock,
      random: () => 0.5,
      onOutcome: (o, next) => seen.push(`${o.status}${next === undefined ? '' : '+'}`),
    });
    expect(outcome.status).toBe('complete');
    expect(seen).toEqual(['error+', 'incomplete+', 'complete']);
    expect(clock.waits.every((w) => w >= 1_000 && w <= 5 * 60_000)).toBe(true);
    expect(flush).toHaveBeenCalledTimes(3);
  });

  it('shows a receipt already kept without asking the server again', async () => {
    const ids = await seed(2);
    await closeShift(shift.id, { fetch: closeServer(() => ids), flush });
    const fetch = vi.fn();
    const outcome = await closeShiftWithRetry(shift.id, { fetch, flush, clock: fakeClock() });
    expect(outcome.status).toBe('complete');
    expect(fetch).not.toHaveBeenCalled();
  });

  it('stops when aborted', async () => {
    await seed(1);
    const abort = new AbortController();
    const fetch = vi.fn(async () => {
      abort.abort();
      throw new TypeError('offline');
    });
    const outcome = await closeShiftWithRetry(shift.id, {
      fetch,
      flush,
      clock: fakeClock(),
      signal: abort.signal,
    });
    expect(outcome.status).toBe('error');
    expect(fetch).toHaveBeenCalledOnce();
  });

  it('stops when the shift is another phone’s: no receipt is to come', async () => {
    await seed(1);
    const fetch = vi.fn(async () =>
      Response.json({ error: 'shift_of_another_phone', message: '' }, { status: 409 }),
    );
    const outcome = await closeShiftWithRetry(shift.id, { fetch, flush, clock: fakeClock() });
    expect(outcome.status).toBe('another_phone');
    expect(fetch).toHaveBeenCalledOnce();
  });
});

describe('closeWaitingShifts', () => {
  it('asks for the receipt of each ended shift that has none, once it is in, and stops offline', async () => {
    const ended = shift;
    const endedIds = await seed(2);
    await endShift(ended.id);
    shift = await startShift('gate-1', '李师傅');
    await seed(1);
    const held = new Map([[ended.id, endedIds]]);
    const asked: string[] = [];
    const fetch = vi.fn(async (url: RequestInfo | URL, init?: RequestInit) => {
      const id = String(url).split('/').at(-2)!;
      asked.push(id);
      const ids = held.get(id) ?? [];
      const body = JSON.parse(String(init?.body)) as ShiftCloseRequest;
      const complete =
        ids.length === body.recordCount && nodeSha([...ids].sort().join('\n')) === body.digest;
      const receipt = complete ? { ...receiptFor(ids.length), shiftId: id } : null;
      return new Response(JSON.stringify({ received: ids.length, complete, receipt }));
    });

    // The shift in progress is not asked about; the one ended offline gets its receipt.
    await closeWaitingShifts(flushed, { fetch });
    expect(asked).toEqual([ended.id]);
    expect((await savedReceipt(ended.id))?.recordCount).toBe(2);
    await closeWaitingShifts(flushed, { fetch });
    expect(asked).toEqual([ended.id]);

    // Offline: the first failure ends the round; the next run asks again.
    await endShift(shift.id);
    const offline = vi.fn(async () => {
      throw new TypeError('offline');
    });
    await closeWaitingShifts(flushed, { fetch: offline });
    expect(offline).toHaveBeenCalledOnce();
    expect(await savedReceipt(shift.id)).toBeUndefined();
  });

  it('goes on past a shift the server holds as another phone’s', async () => {
    // The newest ended shift is asked first: the server holds it as another phone's.
    const mine = shift;
    const ids = await seed(2);
    await endShift(mine.id);
    shift = await startShift('gate-1', '李师傅');
    await seed(1);
    await endShift(shift.id);
    const asked: string[] = [];
    const fetch = vi.fn(async (url: RequestInfo | URL, init?: RequestInit) => {
      const id = String(url).split('/').at(-2)!;
      asked.push(id);
      if (id !== mine.id) {
        return Response.json({ error: 'shift_of_another_phone', message: '' }, { status: 409 });
      }
      const body = JSON.parse(String(init?.body)) as ShiftCloseRequest;
      const complete = body.recordCount === ids.length;
      const receipt = complete ? { ...receiptFor(ids.length), shiftId: id } : null;
      return Response.json({ received: ids.length, complete, receipt });
    });
    await closeWaitingShifts(flushed, { fetch });
    expect(asked).toEqual([shift.id, mine.id]);
    expect((await savedReceipt(mine.id))?.recordCount).toBe(2);
  });
});
