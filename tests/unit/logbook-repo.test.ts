import 'fake-indexeddb/auto';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import {
  GateLogDb,
  db,
  findCorrections,
  loadLogRows,
  markRejected,
  markSynced,
  saveEntry,
  setDb,
  startShift,
  uuidv7,
  type LogRow,
  type Shift,
  type StoredRecord,
} from '../../src/app/db';
import { filterRows, summarize } from '../../src/app/features/logbook/summarize';
import { DEFAULT_GATE_RULES, type Entry, type Person } from '../../src/shared';

const rules = DEFAULT_GATE_RULES;
let n = 0;
let shift: Shift;
let clock = 0;

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

beforeEach(async () => {
  setDb(new GateLogDb(`test-logbook-${n++}`));
  clock = new Date(2020, 1, 3, 8, 0).getTime();
  shift = await startShift('gate-1', '王师傅', new Date(clock));
});

describe('loadLogRows', () => {
  it('gives a shift’s rows newest first, and a gate’s day without other gates or days', async () => {
    await save(makeEntry({ person: { name: 'A' } }));
    await save(makeEntry({ person: { name: 'B' } }));
    const other = await startShift('gate-2', '李', new Date(clock));
    await save(makeEntry({ person: { name: 'elsewhere' } }), other);
    clock += 24 * 3600_000;
    await save(makeEntry({ person: { name: 'tomorrow' } }));

    expect(names(await loadLogRows({ kind: 'shift', shiftId: shift.id }))).toEqual([
      'tomorrow',
      'B',
      'A',
    ]);
    expect(names(await loadLogRows({ kind: 'day', gateId: 'gate-1', day: '2020-02-03' }))).toEqual([
      'B',
      'A',
    ]);
    expect(names(await loadLogRows({ kind: 'day', gateId: 'gate-2', day: '2020-02-03' }))).toEqual([
      'elsewhere',
    ]);
  });

  it('keeps the fields the list needs, searchable', async () => {
    await save(
      makeEntry({
        temperatureC: 38.0,
        decision: 'referred',
        person: { name: 'Li Si', address: 'Room 9' },
      }),
    );
    const [row] = await loadLogRows({ kind: 'shift', shiftId: shift.id });
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

  it('follows the outbox state of rows it has already read', async () => {
    const a = await save(makeEntry({ person: { name: 'A' } }));
    const b = await save(makeEntry({ person: { name: 'B' } }));
    const scope = { kind: 'shift', shiftId: shift.id } as const;
    expect((await loadLogRows(scope)).map((r) => r.syncState)).toEqual(['pending', 'pending']);
    await markSynced([a.id]);
    await markRejected([{ id: b.id, code: 'invalid', message: 'no' }]);
    expect((await loadLogRows(scope)).map((r) => r.syncState)).toEqual(['rejected', 'synced']);
  });

  it('drops rows that are gone (an undone entry)', async () => {
    const a = await save(makeEntry({ person: { name: 'A' } }));
    const scope = { kind: 'shift', shiftId: shift.id } as const;
    expect(await loadLogRows(scope)).toHaveLength(1);
    await db.records.delete(a.id);
    expect(await loadLogRows(scope)).toEqual([]);
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

    const rows = await loadLogRows({ kind: 'shift', shiftId: shift.id });
    const { counts, correctedBy } = summarize(rows);
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
  it('are counted and filtered in a few milliseconds', () => {
    const rows = syntheticRows(10_000);
    summarize(rows); // warm up the JIT as a phone would after the first render
    let t = performance.now();
    const { counts, correctedBy } = summarize(rows);
    const summarizeMs = performance.now() - t;
    t = performance.now();
    const fever = filterRows(rows, 'fever', '', correctedBy);
    const byPhone = filterRows(rows, null, '1380000123', correctedBy);
    const byIdTail = filterRows(rows, 'in', '09998', correctedBy);
    const filterMs = (performance.now() - t) / 3;
    console.info(
      `logbook: 10,000 rows counted in ${summarizeMs.toFixed(1)} ms, filtered in ${filterMs.toFixed(1)} ms`,
    );
    expect(counts).toMatchObject({ total: 10_000, in: 5000, out: 5000, unsynced: 300 });
    expect(fever).toHaveLength(counts.fever);
    expect(byPhone.map((r) => r.name).sort()).toEqual(
      Array.from({ length: 10 }, (_, i) => `居民${1230 + i}`).sort(),
    );
    expect(names(byIdTail)).toEqual(['居民9998']);
    // Generous bounds for a loaded CI machine; a phone has a frame budget of 16 ms.
    expect(summarizeMs).toBeLessThan(100);
    expect(filterMs).toBeLessThan(100);
  });

  it('are read once, then only their keys on each change', async () => {
    const template = await save(makeEntry());
    const stored: StoredRecord[] = [];
    for (let i = 0; i < 10_000; i++) {
      const id = uuidv7(clock + i);
      stored.push({
        ...template,
        id,
        record: { ...template.record, id, person: { ...template.record.person, name: `P${i}` } },
      });
    }
    await db.records.bulkAdd(stored);
    const scope = { kind: 'shift', shiftId: shift.id } as const;
    const bulkGet = vi.spyOn(db.records, 'bulkGet');
    let t = performance.now();
    const first = await loadLogRows(scope);
    const firstMs = performance.now() - t;
    expect(bulkGet).not.toHaveBeenCalled(); // one getAll, not 10,001 gets
    const fresh = await save(makeEntry({ person: { name: 'newest' } }));
    t = performance.now();
    const again = await loadLogRows(scope);
    const againMs = performance.now() - t;
    console.info(
      `logbook: 10,001 records read in ${firstMs.toFixed(0)} ms (fake-indexeddb), re-read after a save in ${againMs.toFixed(0)} ms`,
    );
    expect(first).toHaveLength(10_001);
    expect(again).toHaveLength(10_002);
    expect(again[0]!.name).toBe('newest');
    // After a save only the new record is read in full; the rest comes from keys and the cache.
    expect(bulkGet).toHaveBeenCalledTimes(1);
    expect(bulkGet).toHaveBeenCalledWith([fresh.id]);
  }, 60_000);
});
