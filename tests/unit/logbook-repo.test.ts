import 'fake-indexeddb/auto';
import Dexie from 'dexie';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  EMPTY_COUNTS,
  GateLogDb,
  db,
  findCorrections,
  markRejected,
  markSynced,
  onWrite,
  readLogHead,
  readLogRows,
  saveEntry,
  setDb,
  startShift,
  undoEntry,
  uuidv7,
  writesSoFar,
  type LogRow,
  type LogScope,
  type Shift,
  type StoredRecord,
} from '../../src/app/db';
import {
  CHUNK_ROWS,
  HEAD_ROWS,
  LogStore,
  logStoreFor,
  renewWhileHidden,
} from '../../src/app/features/logbook/log-store';
import {
  LOG_FILTERS,
  filterRows,
  passageHere,
  splitRows,
} from '../../src/app/features/logbook/summarize';
import { holdOlderRows, releaseOlderRows } from '../support/held-log-reads';
import { DEFAULT_GATE_RULES, type Entry, type Person } from '../../src/shared';

vi.mock('../../src/app/db/logbook-repo', async (original) =>
  (await import('../support/held-log-reads')).withHeldReads(original),
);

const rules = DEFAULT_GATE_RULES;
let n = 0;
let shift: Shift;
let clock = 0;
const stops: (() => void)[] = [];

function makeEntry(
  over: Omit<Partial<Entry>, 'person'> & { person?: Partial<Person> } = {},
): Entry {
  const { person, ...rest } = over;
  return {
    direction: 'in',
    person: {
      category: 'resident',
      name: '张三',
      idType: 'cn_resident_id',
      idNumber: '11010519491231002X',
      phone: '13800138000',
      address: '3号楼 201',
      ...person,
    },
    temperatureC: 36.5,
    returnee: { status: 'none' },
    decision: 'admitted',
    ...rest,
  };
}

async function save(e: Entry, s: Shift = shift): Promise<StoredRecord> {
  clock += 1000;
  return saveEntry(e, { shift: s, deviceId: 'dev-1', rules, now: new Date(clock) });
}

const names = (rows: readonly LogRow[]) => rows.map((r) => r.name);

/** A store for the scope, open (as the logbook screen keeps it) until the test ends. */
function open(scope: LogScope = { kind: 'shift', shiftId: shift.id }): LogStore {
  const store = new LogStore(scope);
  stops.push(store.subscribe(() => {}));
  return store;
}

async function whenComplete(store: LogStore) {
  await vi.waitFor(() => expect(store.getSnapshot().complete).toBe(true));
  return store.getSnapshot();
}

/** `count` copies of a saved record with new ids (a busy day, written at once). */
async function addCopies(count: number, template: StoredRecord): Promise<void> {
  const stored: StoredRecord[] = [];
  for (let i = 0; i < count; i++) {
    const id = uuidv7((clock += 10));
    stored.push({
      ...template,
      id,
      record: { ...template.record, id, person: { ...template.record.person, name: `P${i}` } },
    });
  }
  await db.records.bulkAdd(stored);
}

beforeEach(async () => {
  setDb(new GateLogDb(`test-logbook-${n++}`));
  clock = new Date(2020, 1, 3, 8, 0).getTime();
  shift = await startShift('gate-1', '王师傅', new Date(clock));
});

afterEach(() => {
  for (const stop of stops.splice(0)) stop();
  releaseOlderRows();
  vi.restoreAllMocks();
  vi.unstubAllGlobals();
});

describe('the logbook’s reads', () => {
  it('give a shift’s rows newest first, and a gate’s day without other gates or days', async () => {
    await save(makeEntry({ person: { name: 'A' } }));
    await save(makeEntry({ person: { name: 'B' } }));
    const other = await startShift('gate-2', '李', new Date(clock));
    await save(makeEntry({ person: { name: 'elsewhere' } }), other);
    clock += 24 * 3600_000;
    const tomorrow = await save(makeEntry({ person: { name: 'tomorrow' } }));

    const scope = { kind: 'shift', shiftId: shift.id } as const;
    expect(names(await readLogRows(scope, { limit: 10 }))).toEqual(['tomorrow', 'B', 'A']);
    expect(names(await readLogRows(scope, { limit: 2 }))).toEqual(['tomorrow', 'B']);
    expect(names(await readLogRows(scope, { before: tomorrow.id, limit: 10 }))).toEqual(['B', 'A']);
    const day = (gateId: string) => ({ kind: 'day', gateId, day: '2020-02-03' }) as const;
    expect(names(await readLogRows(day('gate-1'), { limit: 10 }))).toEqual(['B', 'A']);
    expect(names(await readLogRows(day('gate-2'), { limit: 10 }))).toEqual(['elsewhere']);
  });

  it('begin with the newest rows and the counts the shift keeps', async () => {
    await save(makeEntry({ person: { name: 'A' } }));
    await save(makeEntry({ direction: 'out', temperatureC: 38.2, decision: 'referred' }));
    const head = await readLogHead({ kind: 'shift', shiftId: shift.id }, 1);
    expect(head.rows).toHaveLength(1);
    expect(head.shiftCounts).toEqual({ ...EMPTY_COUNTS, total: 2, in: 1, out: 1, fever: 1 });
    expect(
      (await readLogHead({ kind: 'day', gateId: 'gate-1', day: '2020-02-03' }, 5)).shiftCounts,
    ).toBeUndefined();
  });

  it('keep the fields the list needs, searchable', async () => {
    await save(
      makeEntry({
        temperatureC: 38.0,
        decision: 'referred',
        person: { name: 'Li Si', address: 'Room 9' },
      }),
    );
    const [row] = await readLogRows({ kind: 'shift', shiftId: shift.id }, { limit: 1 });
    expect(row).toMatchObject({
      name: 'Li Si',
      direction: 'in',
      category: 'resident',
      temperatureC: 38,
      fever: true,
      returnee: false,
      decision: 'referred',
      syncState: 'pending',
      idNumber: '11010519491231002X',
      day: '2020-02-03',
    });
    expect(row!.haystack).toContain('room 9');
  });
});

describe('the logbook’s rows in memory', () => {
  it('show the newest rows and the shift’s counts first, and the rest after', async () => {
    const first = await save(makeEntry({ person: { name: 'first' } }));
    await markSynced([first.id]);
    await addCopies(HEAD_ROWS + 9, first);
    const release = holdOlderRows();
    const store = open();
    await store.ready;
    let view = store.getSnapshot();
    expect(view.rows).toHaveLength(HEAD_ROWS);
    expect(view.rows[0]!.name).toBe(`P${HEAD_ROWS + 8}`);
    expect(view.complete).toBe(false);
    // The shift's counts are known at once (copies written by hand do not change them);
    // the unsynced ones only the rows can tell.
    expect(view.counts).toEqual({ ...EMPTY_COUNTS, total: 1, in: 1 });
    expect(view.counts.unsynced).toBeUndefined();

    release();
    view = await whenComplete(store);
    expect(view.rows).toHaveLength(HEAD_ROWS + 10);
    expect(view.rows.at(-1)!.name).toBe('first');
    expect(view.total).toBe(HEAD_ROWS + 10);
    expect(view.counts).toMatchObject({ total: HEAD_ROWS + 10, in: HEAD_ROWS + 10, unsynced: 0 });
  });

  it('follow saves, undos, outbox states and corrections live', async () => {
    const a = await save(makeEntry({ person: { name: 'A' } }));
    const store = open();
    await whenComplete(store);
    const b = await save(makeEntry({ person: { name: 'B' } }));
    await vi.waitFor(() => expect(names(store.getSnapshot().rows)).toEqual(['B', 'A']));

    await markSynced([a.id]);
    await markRejected([{ id: b.id, code: 'invalid', message: 'no' }]);
    await vi.waitFor(() =>
      expect(store.getSnapshot().rows.map((r) => r.syncState)).toEqual(['rejected', 'synced']),
    );
    expect(store.getSnapshot().counts.unsynced).toBe(1);

    const fix = await save(
      makeEntry({
        direction: 'out',
        person: { name: 'A2' },
        amends: a.id,
        temperatureC: 38.1,
        decision: 'referred',
      }),
    );
    await vi.waitFor(() => expect(store.getSnapshot().correctedBy.get(a.id)).toEqual([fix.id]));
    expect(store.getSnapshot().counts).toMatchObject({ total: 2, in: 1, out: 1, fever: 1 });

    const c = await save(makeEntry({ person: { name: 'C' } }));
    await vi.waitFor(() => expect(store.getSnapshot().rows).toHaveLength(4));
    expect(await undoEntry(c.id, rules, clock + 1)).toBe(true);
    await vi.waitFor(() => expect(names(store.getSnapshot().rows)).toEqual(['A2', 'B', 'A']));
    expect(store.getSnapshot().byId.has(c.id)).toBe(false);
  });

  it('are read in pieces, then only their keys on each change', async () => {
    const template = await save(makeEntry());
    await addCopies(2 * CHUNK_ROWS + 5, template);
    const bulkGet = vi.spyOn(db.records, 'bulkGet');
    const store = open();
    const view = await whenComplete(store);
    expect(view.rows).toHaveLength(2 * CHUNK_ROWS + 6);
    expect(view.rows.map((r) => r.id)).toEqual(
      view.rows
        .map((r) => r.id)
        .sort()
        .reverse(),
    );
    expect(bulkGet).not.toHaveBeenCalled(); // range reads, not one get per record

    const fresh = await save(makeEntry({ person: { name: 'newest' } }));
    await vi.waitFor(() => expect(store.getSnapshot().rows[0]!.name).toBe('newest'));
    // Only the new record is read in full; the rest come from keys and what the store holds.
    expect(bulkGet).toHaveBeenCalledWith([fresh.id]);
    expect(bulkGet.mock.calls.flatMap(([ids]) => ids)).toEqual([fresh.id]);
  });

  it('pick up a record older than the newest rows that appears later', async () => {
    const a = await save(makeEntry({ person: { name: 'A' } }));
    await save(makeEntry({ person: { name: 'B' } }));
    const store = open();
    await whenComplete(store);
    // Saved on a day the phone's clock was behind, say: its id sorts before every other.
    const id = '00000000-0000-7000-8000-000000000000';
    await db.records.add({
      ...a,
      id,
      record: { ...a.record, id, person: { ...a.record.person, name: 'early' } },
    });
    await vi.waitFor(() => expect(names(store.getSnapshot().rows)).toEqual(['B', 'A', 'early']));
    expect(store.getSnapshot().counts.total).toBe(3);
  });
});

describe('a hidden logbook’s rows', () => {
  const scope = (): LogScope => ({ kind: 'shift', shiftId: shift.id });
  /** The rows a hidden screen renders with: read for it, and not watched. */
  async function keptRows(): Promise<LogStore> {
    const kept = logStoreFor(scope(), false);
    await kept.ready;
    return kept;
  }

  it('are shown as they are while nothing was written since they were read', async () => {
    await save(makeEntry({ person: { name: 'A' } }));
    const kept = await keptRows();
    expect(logStoreFor(scope(), true)).toBe(kept);
  });

  it('are read afresh for the screen shown after a Save, or any other write', async () => {
    await save(makeEntry({ person: { name: 'A' } }));
    let kept = await keptRows();
    await save(makeEntry({ person: { name: 'B' } }));
    const shown = logStoreFor(scope(), true);
    expect(shown).not.toBe(kept);
    await shown.ready;
    expect(names(shown.getSnapshot().rows)).toEqual(['B', 'A']);

    // A write through Dexie, as the outbox marks a record sent.
    kept = await keptRows();
    expect(logStoreFor(scope(), true)).toBe(kept);
    await markSynced([shown.getSnapshot().rows[0]!.id]);
    expect(logStoreFor(scope(), true)).not.toBe(kept);
  });

  it('count a Save as written when it commits, before the live queries are told', async () => {
    const seen = vi.fn();
    stops.push(onWrite(seen));
    const before = writesSoFar();
    const told = vi.fn();
    Dexie.on('storagemutated', told);
    try {
      await save(makeEntry());
      const counted = writesSoFar();
      expect(counted).toBeGreaterThan(before);
      expect(seen).toHaveBeenCalled();
      expect(told).not.toHaveBeenCalled();
      // Told once the frame is painted: the same write, not counted again.
      await vi.waitFor(() => expect(told).toHaveBeenCalled());
      expect(writesSoFar()).toBe(counted);
    } finally {
      Dexie.on.storagemutated.unsubscribe(told);
    }
  });

  it('are not handed to a screen shown once they were watched (their watch has stopped)', async () => {
    const kept = await keptRows();
    kept.subscribe(() => {})();
    expect(logStoreFor(scope(), true)).not.toBe(kept);
  });

  it('are read again once writes pause, for the hidden screen, and shown as they are', async () => {
    vi.stubGlobal('requestIdleCallback', (fn: () => void) => setTimeout(fn, 0));
    await save(makeEntry({ person: { name: 'A' } }));
    const kept = await keptRows();
    const renewed = vi.fn();
    stops.push(renewWhileHidden(renewed));
    await save(makeEntry({ person: { name: 'B' } }));
    await vi.waitFor(() => expect(renewed).toHaveBeenCalledTimes(1), { timeout: 5_000 });
    const now = logStoreFor(scope(), false);
    expect(now).not.toBe(kept);
    expect(names(now.getSnapshot().rows)).toEqual(['B', 'A']);
    expect(logStoreFor(scope(), true)).toBe(now);
  });

  it('are not read again while nothing was written', async () => {
    vi.stubGlobal('requestIdleCallback', (fn: () => void) => setTimeout(fn, 0));
    await save(makeEntry());
    const kept = await keptRows();
    const renewed = vi.fn();
    stops.push(renewWhileHidden(renewed));
    await new Promise((r) => setTimeout(r, 1_500));
    expect(renewed).not.toHaveBeenCalled();
    expect(logStoreFor(scope(), false)).toBe(kept);
  });
});

describe('corrections', () => {
  it('are found from the original, and replace it in the counts', async () => {
    const a = await save(makeEntry({ person: { name: 'A' } }));
    await save(makeEntry({ direction: 'out', temperatureC: undefined, person: { name: 'B' } }));
    const fix = await save(
      makeEntry({ temperatureC: 38.1, decision: 'referred', person: { name: 'A2' }, amends: a.id }),
    );
    expect((await findCorrections(a.id)).map((r) => r.id)).toEqual([fix.id]);
    expect(await findCorrections(fix.id)).toEqual([]);

    const { rows, counts, correctedBy } = await whenComplete(open());
    expect(counts).toEqual({
      total: 2,
      in: 1,
      out: 1,
      fever: 1,
      returnees: 0,
      refused: 0,
      unsynced: 3,
    });
    expect(correctedBy.get(a.id)).toEqual([fix.id]);
    expect(names(filterRows(rows, 'in', '', correctedBy))).toEqual(['A2']);
    expect(names(filterRows(rows, 'unsynced', '', correctedBy))).toEqual(['A2', 'B', 'A']);
    expect(names(filterRows(rows, null, 'a', correctedBy))).toEqual(['A2', 'A']);
  });
});

/** Synthetic compact rows, as a very busy gate's day would give. */
function syntheticRows(count: number): LogRow[] {
  const rows: LogRow[] = [];
  for (let i = 0; i < count; i++) {
    const name = `居民${i}`;
    rows.push({
      id: uuidv7(1_700_000_000_000 + i),
      occurredAt: '2020-02-03T08:00:00.000+08:00',
      day: '2020-02-03',
      direction: i % 2 ? 'out' : 'in',
      name,
      category: 'resident',
      temperatureC: i % 2 ? undefined : i % 97 === 0 ? 38.0 : 36.5,
      fever: i % 2 === 0 && i % 97 === 0,
      returnee: i % 13 === 0,
      decision: i % 2 === 0 && i % 97 === 0 ? 'referred' : i % 31 === 0 ? 'refused' : 'admitted',
      amends: undefined,
      haystack: `${name}\n138${String(i).padStart(8, '0')}\n${i % 40}号楼 ${i % 600}`.toLowerCase(),
      idNumber: `3101011980010${String(i).padStart(5, '0')}`,
      syncState: i < count - 300 ? 'synced' : 'pending',
    });
  }
  return rows.reverse();
}

describe('10,000 rows', () => {
  it('are counted and filtered in single passes', () => {
    const rows = syntheticRows(10_000);
    const correctedBy = new Map<string, string[]>();
    const held = new Map(rows.map((r) => [r.id, r]));
    splitRows(rows, correctedBy, held); // warm up the JIT as a phone would after the first render
    let t = performance.now();
    const { counts } = splitRows(rows, correctedBy, held);
    const countMs = performance.now() - t;
    t = performance.now();
    const fever = filterRows(rows, 'fever', '', correctedBy);
    const byPhone = filterRows(rows, null, '1380000123', correctedBy);
    const byIdTail = filterRows(rows, 'in', '09998', correctedBy);
    const filterMs = (performance.now() - t) / 3;
    console.info(
      `logbook: 10,000 rows counted and split in ${countMs.toFixed(1)} ms, filtered in ${filterMs.toFixed(1)} ms`,
    );
    expect(counts).toMatchObject({ total: 10_000, in: 5000, out: 5000, unsynced: 300 });
    expect(fever).toHaveLength(counts.fever);
    expect(byPhone.map((r) => r.name).sort()).toEqual(
      Array.from({ length: 10 }, (_, i) => `居民${1230 + i}`).sort(),
    );
    expect(names(byIdTail)).toEqual(['居民9998']);
    expect(filterRows(rows, null, ' ', correctedBy)).toBe(rows);
  });

  it('are split by filter as filtering them one by one would, corrections included', () => {
    const rows = syntheticRows(2_000);
    // Some corrected originals: out of every count but "unsynced", in the list still.
    const correctedBy = new Map(
      rows.filter((_, i) => i % 7 === 0).map((r) => [r.id, ['a later id']] as const),
    );
    // And corrections made in this shift of entries of an earlier one (not among the rows).
    for (const [i, r] of rows.entries()) if (i % 11 === 5) r.amends = `earlier ${i}`;
    const held = new Map(rows.map((r) => [r.id, r]));
    const { counts, lists } = splitRows(rows, correctedBy, held);
    let total = 0;
    for (const f of LOG_FILTERS) {
      // One by one over rows still loading, corrections of earlier shifts' entries are left in.
      const one = filterRows(rows, f, '', correctedBy).filter(
        (r) => f === 'unsynced' || passageHere(r, held),
      );
      expect(lists[f]).toEqual(one);
      expect(counts[f]).toBe(one.length);
      // A count tapped shows its list as it is; with a search, the search runs over that list.
      expect(filterRows(rows, f, '', correctedBy, lists)).toBe(lists[f]);
      expect(filterRows(rows, f, '号楼 1', correctedBy, lists)).toEqual(
        filterRows(rows, f, '号楼 1', correctedBy).filter(
          (r) => f === 'unsynced' || passageHere(r, held),
        ),
      );
      if (f === 'in' || f === 'out') total += one.length;
    }
    expect(counts.total).toBe(total);
    expect(counts.fever).toBeGreaterThan(0);
    // The search above finds rows in a count's list, so the comparison has something to compare.
    expect(filterRows(rows, 'in', '号楼 1', correctedBy, lists).length).toBeGreaterThan(0);
    // The data has the cases: a corrected original still waiting to be sent is unsynced.
    expect(lists.unsynced.some((r) => correctedBy.has(r.id))).toBe(true);
    expect(filterRows(rows, null, '号楼 1', correctedBy, lists)).toEqual(
      filterRows(rows, null, '号楼 1', correctedBy),
    );
  });
});

describe('a correction of an entry of another shift', () => {
  it('is listed but counted in the shift of the entry it corrects, also when corrected again', () => {
    const [fixOfHeld, fixOfFix, fixOfEarlier, passage] = syntheticRows(4); // newest first
    const rows = [fixOfHeld!, fixOfFix!, fixOfEarlier!, passage!];
    fixOfEarlier!.amends = 'an entry of yesterday';
    fixOfFix!.amends = fixOfEarlier!.id;
    fixOfHeld!.amends = passage!.id;
    const correctedBy = new Map([
      [fixOfEarlier!.id, [fixOfFix!.id]],
      [passage!.id, [fixOfHeld!.id]],
    ]);
    const held = new Map(rows.map((r) => [r.id, r]));
    const { counts, lists } = splitRows(rows, correctedBy, held);
    expect(counts.total).toBe(1);
    expect([...lists.in, ...lists.out]).toEqual([fixOfHeld]);
    expect(passageHere(fixOfFix!, held)).toBe(false);
    expect(passageHere(fixOfHeld!, held)).toBe(true);
    // Two records naming each other are no passage, and the walk ends.
    const [x, y] = syntheticRows(2);
    x!.amends = y!.id;
    y!.amends = x!.id;
    expect(passageHere(x!, new Map([x!, y!].map((r) => [r.id, r])))).toBe(false);
  });
});
