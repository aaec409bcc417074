import 'fake-indexeddb/auto';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { DEFAULT_GATE_RULES } from '../../src/shared';
import {
  GateLogDb,
  UNDO_WINDOW_MS,
  db,
  endShift,
  getCurrentShift,
  getRecord,
  getRecords,
  getSetting,
  holdForUndo,
  lookupPeople,
  markRejected,
  markSynced,
  outboxStats,
  saveDraft,
  saveEntry,
  sendAgain,
  setDb,
  ShiftEndedError,
  settleBatch,
  settledThrough,
  shiftRecordIds,
  startShift,
  takePendingBatch,
  undoEntry,
  type Shift,
  type StoredRecord,
} from '../../src/app/db';
import { liveQuery } from 'dexie';
import { makeEntry, makeResidentId } from '../support/factories';

let shift: Shift;
let n = 0;
const rules = DEFAULT_GATE_RULES;
const ctx = (now?: Date) => ({ shift, deviceId: 'dev-1', rules, ...(now ? { now } : {}) });

beforeEach(async () => {
  setDb(new GateLogDb(`test-records-${n++}`));
  shift = await startShift('gate-1', '王师傅');
});

describe('saving an entry', () => {
  it('stores the wire record pending, counts it, indexes the person and clears the draft', async () => {
    await saveDraft({ person: { name: '张' } });
    const saved = await saveEntry(makeEntry({ temperatureC: 38.2, decision: 'referred' }), {
      ...ctx(),
      clearDraft: true,
    });
    expect((await getRecord(saved.id))?.syncState).toBe('pending');
    expect(await db.outbox.get(saved.id)).toEqual({
      id: saved.id,
      shiftId: shift.id,
      savedAt: saved.savedAt,
    });
    expect(saved.record).toMatchObject({
      schemaVersion: 1,
      deviceId: 'dev-1',
      gateId: 'gate-1',
      shiftId: shift.id,
      guard: '王师傅',
    });
    expect(saved.record.occurredAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}[+-]\d\d:\d\d$/);
    expect(saved.fever).toBe(true);
    expect((await outboxStats()).pending).toBe(1);
    expect((await getCurrentShift())?.counts).toMatchObject({ total: 1, in: 1, fever: 1 });
    expect(await getSetting('draft')).toBeUndefined();
    expect((await lookupPeople('张'))[0]?.name).toBe('张三');
  });

  it('leaves the draft alone unless the checkpoint form asks (a correction is not the gate form)', async () => {
    await saveDraft({ person: { name: '张' } });
    await saveEntry(makeEntry(), ctx());
    expect(await getSetting('draft')).toEqual({ person: { name: '张' } });
  });

  it('refuses a record that fails the schema and stores nothing', async () => {
    await expect(
      saveEntry(makeEntry({ temperatureC: 38.2, decision: 'admitted' }), ctx()),
    ).rejects.toThrow();
    expect(await db.records.count()).toBe(0);
    expect((await outboxStats()).pending).toBe(0);
  });

  it('saves nothing into a shift ended meanwhile (in another tab), and says so', async () => {
    await saveEntry(makeEntry(), ctx());
    await endShift(shift.id);
    await expect(saveEntry(makeEntry(), ctx())).rejects.toBeInstanceOf(ShiftEndedError);
    expect(await db.records.count()).toBe(1);
    expect((await outboxStats()).pending).toBe(1);
    expect((await db.shifts.get(shift.id))?.counts.total).toBe(1);
  });

  it('is one transaction: a failure inside leaves no partial write', async () => {
    await saveEntry(makeEntry(), ctx());
    // The quick-lookup row, written after the record, the counter and the shift, fails.
    const put = IDBObjectStore.prototype.put;
    const failing = vi.spyOn(IDBObjectStore.prototype, 'put').mockImplementation(function (
      this: IDBObjectStore,
      ...args: Parameters<typeof put>
    ) {
      if (this.name === 'people') throw new DOMException('disk says no', 'UnknownError');
      return put.apply(this, args);
    });
    try {
      await expect(
        saveEntry(makeEntry({ person: { category: 'visitor', name: '李四' } }), ctx()),
      ).rejects.toThrow('disk says no');
    } finally {
      failing.mockRestore();
    }
    expect(await db.records.count()).toBe(1);
    expect((await outboxStats()).pending).toBe(1);
    expect((await getCurrentShift())?.counts.total).toBe(1);
  });

  it('a correction replaces the original in the shift counts and keeps both records', async () => {
    const original = await saveEntry(
      makeEntry({ temperatureC: 38.0, decision: 'referred' }),
      ctx(),
    );
    await saveEntry(makeEntry({ temperatureC: 36.8, amends: original.id }), ctx());
    expect(await db.records.count()).toBe(2);
    expect((await getCurrentShift())?.counts).toMatchObject({ total: 1, in: 1, fever: 0 });
  });

  it('a correction of an earlier shift’s entry is counted in that shift, not as a passage now', async () => {
    const earlier = shift;
    const original = await saveEntry(
      makeEntry({ temperatureC: 38.0, decision: 'referred' }),
      ctx(),
    );
    await endShift(earlier.id);
    shift = await startShift('gate-1', '李师傅');
    await saveEntry(makeEntry({ direction: 'out' }), ctx());
    const fix = await saveEntry(makeEntry({ temperatureC: 36.8, amends: original.id }), ctx());
    expect(await db.records.count()).toBe(3);
    // This shift logged one person; the correction is sent with it, and counted where it belongs.
    expect((await getCurrentShift())?.counts).toMatchObject({ total: 1, in: 0, out: 1, fever: 0 });
    expect((await db.shifts.get(earlier.id))?.counts).toMatchObject({ total: 1, in: 1, fever: 0 });
    expect((await outboxStats()).pending).toBe(3);
    // Corrected again from that correction (of this shift): still counted in the earlier one.
    await saveEntry(
      makeEntry({ direction: 'out', temperatureC: undefined, amends: fix.id }),
      ctx(),
    );
    expect((await getCurrentShift())?.counts).toMatchObject({ total: 1, in: 0, out: 1 });
    expect((await db.shifts.get(earlier.id))?.counts).toMatchObject({ total: 1, in: 0, out: 1 });
  });

  it('counts a person’s visits and keeps the pending counter across saves', async () => {
    await saveEntry(makeEntry(), ctx());
    await saveEntry(makeEntry({ direction: 'out' }), ctx());
    const [person] = await lookupPeople('张');
    expect(person).toMatchObject({ name: '张三', visits: 2 });
    expect((await outboxStats()).pending).toBe(2);
    expect((await getCurrentShift())?.counts).toMatchObject({ total: 2, in: 1, out: 1 });
  });

  it('judges each save by the rules it is given, also after other rules were used', async () => {
    const entry = makeEntry({ temperatureC: 37.2, decision: 'admitted' });
    await saveEntry(entry, ctx());
    const stricter = { ...rules, feverThresholdC: 37.1 };
    await expect(saveEntry(entry, { ...ctx(), rules: stricter })).rejects.toThrow();
    await saveEntry(entry, ctx());
    expect(await db.records.count()).toBe(2);
  });
});

describe('undo', () => {
  it('removes a record inside its undo window, not after', async () => {
    const now = Date.now();
    const a = await saveEntry(makeEntry(), ctx(new Date(now)));
    const b = await saveEntry(makeEntry(), ctx(new Date(now + 1)));
    expect(await undoEntry(a.id, rules, now + 1000)).toBe(true);
    expect(await undoEntry(b.id, rules, now + 1 + UNDO_WINDOW_MS)).toBe(false);
    expect(await db.records.count()).toBe(1);
    expect((await outboxStats()).pending).toBe(1);
    expect((await getCurrentShift())?.counts.total).toBe(1);
  });

  it('holds a record back while the guard is asked, undoable until the hold ends, and lets it go', async () => {
    const now = Date.now();
    const a = await saveEntry(makeEntry(), ctx(new Date(now)));
    const batchAt = async (at: number) =>
      (
        await takePendingBatch({
          maxRecords: 500,
          maxBytes: 512 * 1024,
          savedAtOrBefore: at - UNDO_WINDOW_MS,
        })
      ).records.map((r) => r.id);
    // Asked 4 s after the save, held for 30 s: not sent 10 s after it, and still undoable.
    expect(await holdForUndo(a.id, now + 4000 + 30_000, now + 4000)).toBe(true);
    expect(await batchAt(now + 10_000)).toEqual([]);
    // 'Keep typing' at 12 s: let go, sent at the next run, no longer undoable.
    expect(await holdForUndo(a.id, now + 12_000, now + 12_000)).toBe(true);
    expect(await batchAt(now + 12_000)).toEqual([a.id]);
    expect(await undoEntry(a.id, rules, now + 12_001)).toBe(false);
    expect(await holdForUndo(a.id, now + 50_000, now + 12_001)).toBe(false);

    // Held and answered 'Undo and replace' at 20 s: taken back.
    const b = await saveEntry(makeEntry(), ctx(new Date(now)));
    expect(await holdForUndo(b.id, now + 34_000, now + 4000)).toBe(true);
    expect(await undoEntry(b.id, rules, now + 20_000)).toBe(true);
    // Never a synced record, nor one past its window.
    const c = await saveEntry(makeEntry(), ctx(new Date(now)));
    expect(await holdForUndo(c.id, now + 40_000, now + UNDO_WINDOW_MS)).toBe(false);
    await markSynced([c.id]);
    expect(await holdForUndo(c.id, now + 40_000, now + 10)).toBe(false);
    expect((await db.records.get(c.id))?.savedAt).toBe(now);
  });

  it('keeps the draft it is given in the same transaction as the removal, only if it removes', async () => {
    const now = Date.now();
    const a = await saveEntry(makeEntry(), { ...ctx(new Date(now)), clearDraft: true });
    const draft = { values: { person: { name: '张三' } }, stamp: { tab: 't', seq: 7 } };
    // Too late: the record stays, and the form's draft is not its copy.
    expect(await undoEntry(a.id, rules, now + UNDO_WINDOW_MS, draft)).toBe(false);
    expect(await getSetting('draft')).toBeUndefined();
    // A draft that cannot be written takes the removal back with it.
    const refused = { values: { bad: () => {} }, stamp: undefined };
    await expect(undoEntry(a.id, rules, now + 10, refused)).rejects.toThrow();
    expect(await db.records.count()).toBe(1);
    expect(await undoEntry(a.id, rules, now + 10, draft)).toBe(true);
    expect(await db.records.count()).toBe(0);
    expect(await getSetting('draft')).toEqual({ person: { name: '张三' }, stamp: draft.stamp });
  });

  it('never removes a synced record', async () => {
    const a = await saveEntry(makeEntry(), ctx());
    await markSynced([a.id]);
    expect(await undoEntry(a.id, rules, a.savedAt + 10)).toBe(false);
  });
});

describe('the outbox', () => {
  it('takes pending records in id order within count, bytes and the undo window', async () => {
    const t0 = Date.now() - 60_000;
    for (let i = 0; i < 12; i++) {
      await saveEntry(
        makeEntry({
          person: {
            category: 'visitor',
            name: `访客${i}`,
            idType: 'cn_resident_id',
            idNumber: makeResidentId('19800101', i),
          },
        }),
        ctx(new Date(t0 + i)),
      );
    }
    const fresh = await saveEntry(makeEntry(), ctx(new Date()));
    const limits = {
      maxRecords: 5,
      maxBytes: 512 * 1024,
      savedAtOrBefore: Date.now() - UNDO_WINDOW_MS,
    };
    const { records: first, oldestPendingAt } = await takePendingBatch(limits);
    expect(first).toHaveLength(5);
    expect(first.map((r) => r.id)).toEqual([...first.map((r) => r.id)].sort());
    expect(oldestPendingAt).toBe(first[0]!.record.occurredAt);
    const { records: all, firstLeft } = await takePendingBatch({ ...limits, maxRecords: 500 });
    expect(all).toHaveLength(12);
    expect(all.some((r) => r.id === fresh.id)).toBe(false);
    expect(firstLeft).toBe(fresh.id);
    const size = JSON.stringify(all[0]!.record).length + 1;
    expect(
      (await takePendingBatch({ ...limits, maxRecords: 500, maxBytes: size * 3 + 1 })).records,
    ).toHaveLength(3);
    const one = await takePendingBatch({ ...limits, maxRecords: 500, maxBytes: 1 });
    expect(one.records).toHaveLength(1);
    expect(one.firstLeft).toBe(all[1]!.id);
    // A read after an id begins past it.
    const later = await takePendingBatch({ ...limits, maxRecords: 500, after: all[9]!.id });
    expect(later.records.map((r) => r.id)).toEqual(all.slice(10).map((r) => r.id));
    expect(later.oldestPendingAt).toBe(all[10]!.record.occurredAt);
  });

  it('looks past records still inside the undo window to fill a batch', async () => {
    const t0 = Date.now() - 60_000;
    const saved: StoredRecord[] = [];
    for (let i = 0; i < 6; i++) saved.push(await saveEntry(makeEntry(), ctx(new Date(t0 + i))));
    // The first two ids saved last (a clock set back meanwhile): not yet to be sent.
    for (const s of saved.slice(0, 2)) await db.outbox.update(s.id, { savedAt: Date.now() });
    const limits = { maxRecords: 2, maxBytes: 1e6, savedAtOrBefore: t0 + 100 };
    const batch = await takePendingBatch(limits);
    expect(batch.records.map((r) => r.id)).toEqual([saved[2]!.id, saved[3]!.id]);
    // The oldest pending is the first met, sent or not.
    expect(batch).toMatchObject({
      oldestPendingAt: saved[0]!.record.occurredAt,
      firstLeft: saved[0]!.id,
    });
    const rest = await takePendingBatch({ ...limits, maxRecords: 500 });
    expect(rest.records.map((r) => r.id)).toEqual(saved.slice(2).map((s) => s.id));
    expect((await takePendingBatch({ ...limits, savedAtOrBefore: t0 - 1 })).records).toEqual([]);
  });

  it('takes pending records with acknowledged ones between them, each once, and settles them apart', async () => {
    const t0 = Date.now() - 60_000;
    const saved: StoredRecord[] = [];
    for (let i = 0; i < 6; i++) saved.push(await saveEntry(makeEntry(), ctx(new Date(t0 + i))));
    const [a, b, c, d, e, f] = saved as [StoredRecord, ...StoredRecord[]];
    await markSynced([b!.id, c!.id, e!.id]);
    const limits = { maxRecords: 500, maxBytes: 1e6, savedAtOrBefore: Date.now() };
    const batch = await takePendingBatch(limits);
    expect(batch.records).toEqual([a, d, f]);
    expect(batch.pending).toBe(3);
    await settleBatch(batch.records, [a.id, f!.id], []);
    expect((await takePendingBatch(limits)).records).toEqual([d]);
    expect(await outboxStats()).toMatchObject({ pending: 1 });
  });

  it('a run reads on after the last id up to which every record it met was settled', () => {
    const batch = (ids: string[], firstLeft?: string) => ({
      records: ids.map((id) => ({ id }) as StoredRecord),
      ...(firstLeft && { firstLeft }),
    });
    const all = new Set(['b', 'c', 'd', 'e']);
    expect(settledThrough(batch(['b', 'c', 'd']), all, 'a')).toBe('d');
    expect(settledThrough(batch(['b', 'c', 'd']), new Set(['b', 'd']), 'a')).toBe('b');
    expect(settledThrough(batch(['b', 'c', 'd']), new Set(['c', 'd']), 'a')).toBe('a');
    expect(settledThrough(batch(['b', 'c', 'd']), new Set(), undefined)).toBeUndefined();
    // A record left for later (undo window, size) stops it there too.
    expect(settledThrough(batch(['b', 'd', 'e'], 'c'), all, 'a')).toBe('b');
    expect(settledThrough(batch(['c', 'd'], 'b'), all, 'a')).toBe('a');
    expect(settledThrough(batch(['b', 'c'], 'd'), all, 'a')).toBe('c');
  });

  it('acks move records out of pending; rejected ones are kept with their reason and not taken again', async () => {
    const t0 = Date.now() - 60_000;
    const a = await saveEntry(makeEntry(), ctx(new Date(t0)));
    const b = await saveEntry(makeEntry(), ctx(new Date(t0 + 1)));
    const c = await saveEntry(makeEntry(), ctx(new Date(t0 + 2)));
    await markSynced([a.id, 'unknown-id']);
    await markRejected([{ id: b.id, code: 'invalid', message: 'person.name: required' }]);
    await markSynced([a.id]); // a second ack changes nothing
    expect(await outboxStats()).toEqual({ pending: 1, rejected: 1 });
    const batch = await takePendingBatch({
      maxRecords: 500,
      maxBytes: 1e6,
      savedAtOrBefore: Date.now(),
    });
    expect(batch.records.map((r) => r.id)).toEqual([c.id]);
    expect(batch.oldestPendingAt).toBe(c.record.occurredAt);
    expect((await getRecord(b.id))?.rejection).toEqual({
      code: 'invalid',
      message: 'person.name: required',
    });
    expect(await shiftRecordIds(shift.id)).toEqual([a.id, c.id]);
  });

  it('sends a refused record again once when asked: pending again, its reason gone', async () => {
    const t0 = Date.now() - 60_000;
    const a = await saveEntry(makeEntry(), ctx(new Date(t0)));
    const b = await saveEntry(makeEntry(), ctx(new Date(t0 + 1)));
    await markRejected([{ id: b.id, code: 'wrong_gate', message: 'gateId: not the gate' }]);
    expect(await sendAgain(a.id)).toBe(false);
    expect(await sendAgain(b.id)).toBe(true);
    expect(await sendAgain(b.id)).toBe(false);
    expect(await outboxStats()).toEqual({ pending: 2, rejected: 0 });
    expect(await getRecord(b.id)).not.toHaveProperty('rejection');
    expect(await db.rejections.count()).toBe(0);
    const batch = await takePendingBatch({
      maxRecords: 500,
      maxBytes: 1e6,
      savedAtOrBefore: Date.now(),
    });
    expect(batch.records.map((r) => r.id)).toEqual([a.id, b.id]);
  });

  it('settles a whole batch in one go from the records it holds, touching only those still pending', async () => {
    const t0 = Date.now() - 60_000;
    const saved = [];
    for (let i = 0; i < 5; i++) saved.push(await saveEntry(makeEntry(), ctx(new Date(t0 + i))));
    const [a, b, c, d, e] = saved as [StoredRecord, ...StoredRecord[]];
    const { records: held } = await takePendingBatch({
      maxRecords: 4,
      maxBytes: 1e6,
      savedAtOrBefore: t0 + 10,
    });
    expect(held.map((s) => s.id)).toEqual([a.id, b!.id, c!.id, d!.id]);
    await markSynced([c!.id]); // settled meanwhile (say, by the run before)
    await settleBatch(
      held,
      [a.id, c!.id, e!.id, 'unknown-id'],
      [{ id: b!.id, code: 'invalid', message: 'temperatureC: out of range' }],
    );
    const state = async (s: StoredRecord) => (await getRecord(s.id))?.syncState;
    expect([
      await state(a),
      await state(b!),
      await state(c!),
      await state(d!),
      await state(e!),
    ]).toEqual(['synced', 'rejected', 'synced', 'pending', 'pending']);
    // The records themselves are not rewritten: only their outbox rows go.
    for (const s of saved) expect(await db.records.get(s.id)).toEqual(s);
    expect(await outboxStats()).toMatchObject({ pending: 2, rejected: 1 });
  });

  it('a read or write on a connection the browser closed under Dexie fails as a promise, not at the call', async () => {
    const saved = await saveEntry(makeEntry(), ctx(new Date(Date.now() - 60_000)));
    db.backendDB().close();
    let read: Promise<unknown> | undefined;
    let write: Promise<unknown> | undefined;
    expect(() => {
      read = takePendingBatch({ maxRecords: 500, maxBytes: 1e6, savedAtOrBefore: Date.now() });
      write = settleBatch([saved], [saved.id], []);
    }).not.toThrow();
    await expect(read).rejects.toThrow();
    await expect(write).rejects.toThrow();
  });

  it('tells live queries of a batch settled, as of any other write (the sync line, the logbook)', async () => {
    const t0 = Date.now() - 60_000;
    for (let i = 0; i < 3; i++) await saveEntry(makeEntry(), ctx(new Date(t0 + i)));
    const seen: { pending: number; rejected: number; states: string[] }[] = [];
    const watching = liveQuery(async () => ({
      ...(await outboxStats()),
      states: (await getRecords(await db.records.orderBy('id').primaryKeys())).map(
        (s) => s.syncState,
      ),
    })).subscribe((v) => seen.push(v));
    try {
      await vi.waitFor(() => expect(seen.at(-1)?.pending).toBe(3));
      const { records: held } = await takePendingBatch({
        maxRecords: 500,
        maxBytes: 1e6,
        savedAtOrBefore: t0 + 10,
      });
      await settleBatch(
        held,
        [held[0]!.id, held[2]!.id],
        [{ id: held[1]!.id, code: 'invalid', message: 'temperatureC: out of range' }],
      );
      await vi.waitFor(() =>
        expect(seen.at(-1)).toEqual({
          pending: 0,
          rejected: 1,
          states: ['synced', 'rejected', 'synced'],
        }),
      );
    } finally {
      watching.unsubscribe();
    }
  });

  it('stores the sync’s last sync with the answer, in its transaction, and tells the settings’ live queries', async () => {
    const saved = await saveEntry(makeEntry(), ctx(new Date(Date.now() - 60_000)));
    const seen: unknown[] = [];
    const watching = liveQuery(() => getSetting('lastSync')).subscribe((v) => seen.push(v));
    try {
      await vi.waitFor(() => expect(seen).toHaveLength(1));
      const lastSync = {
        at: '2026-12-07T16:00:00.000+08:00',
        serverTime: '2026-12-07T08:00:00.000Z',
        serverUtcOffsetMinutes: 480,
      };
      await settleBatch([saved], [saved.id], [], lastSync);
      expect(await getSetting('lastSync')).toEqual(lastSync);
      expect((await getRecord(saved.id))?.syncState).toBe('synced');
      await vi.waitFor(() => expect(seen.at(-1)).toEqual(lastSync));
      // An answer that settles none of the batch still says the server answered.
      const later = { ...lastSync, at: '2026-12-07T16:05:00.000+08:00' };
      await settleBatch([saved], [], [], later);
      expect(await getSetting('lastSync')).toEqual(later);
    } finally {
      watching.unsubscribe();
    }
  });
});

describe('enrollment', () => {
  it('gives entries logged before enrollment the gate and device the server gave; nothing else changes', async () => {
    const { LOCAL_GATE_ID, saveEnrollment, getShift } = await import('../../src/app/db');
    const localShift = await startShift(LOCAL_GATE_ID, '王师傅');
    const before = await saveEntry(makeEntry(), {
      shift: localShift,
      deviceId: 'local-abc',
      rules,
    });
    const other = await saveEntry(makeEntry(), ctx()); // addressed to gate-1 already
    await saveEnrollment(
      { serverUrl: '', deviceId: 'dev-9', token: 't', enrolledAt: new Date().toISOString() },
      { id: 'gate-9', name: 'North gate', rules },
    );
    const moved = await db.records.get(before.id);
    expect(moved?.gateId).toBe('gate-9');
    expect(moved?.record).toMatchObject({ ...before.record, gateId: 'gate-9', deviceId: 'dev-9' });
    expect((await db.records.get(other.id))?.record).toEqual(other.record);
    expect((await getShift(localShift.id))?.gateId).toBe('gate-9');
    expect((await outboxStats()).pending).toBe(2);
  });
});
