/**
 * The database's later versions open one written by version 1 with records in it and lose
 * nothing (STYLE habit 5): version 2 (passes, watchlist, pullState), and version 3 (the
 * outbox state moved out of the records into the `outbox` and `rejections` tables).
 */
import 'fake-indexeddb/auto';
import Dexie from 'dexie';
import { afterEach, describe, expect, it } from 'vitest';
import {
  GateLogDb,
  adoptLegacyPending,
  getRecord,
  getSetting,
  listRejected,
  lookupPeople,
  outboxStats,
  readLogRows,
  setDb,
  takePendingBatch,
  type Shift,
  type StoredRecord,
  type SyncState,
} from '../../src/app/db';
import { makeGateLog } from '../support/factories';

/** Version 1 exactly as it shipped (src/app/db/db.ts): what phones in the field hold. */
class GateLogDbV1 extends Dexie {
  constructor(name: string) {
    super(name);
    this.version(1).stores({
      records: 'id, [syncState+id], [shiftId+id], [gateId+day+id], savedAt',
      shifts: 'id, startedAt',
      settings: 'key',
      people: 'key, name, phone, idRev, address, lastSeenAt',
      counters: 'key',
    });
  }
}

/** Version 2 exactly as it shipped. */
class GateLogDbV2 extends GateLogDbV1 {
  constructor(name: string) {
    super(name);
    this.version(2).stores({
      passes: 'id, validUntil',
      watchlist: 'id, passId, idHash, phoneHash, until',
      pullState: 'key',
    });
  }
}

/** A record as versions 1 and 2 stored it, its outbox state in the row. */
type OldRecord = StoredRecord & {
  syncState: SyncState;
  rejection?: { code: string; message: string };
  syncedAt?: number;
};

/** A pending record as versions 1 and 2 stored it. */
function pendingOldRow(): OldRecord {
  const record = makeGateLog({ direction: 'in' });
  return {
    id: record.id,
    record,
    syncState: 'pending',
    shiftId: record.shiftId,
    gateId: record.gateId,
    day: '2020-02-03',
    savedAt: 1_580_688_900_000,
    fever: false,
  };
}

let opened: { close(): void }[] = [];
afterEach(async () => {
  for (const d of opened) d.close();
  opened = [];
});

describe('GateLogDb from version 1', () => {
  it('opens a version-1 database with records in it, keeps every row, and moves the outbox state out of the records', async () => {
    const name = `upgrade-${Date.now()}`;
    const v1 = new GateLogDbV1(name);
    opened.push(v1);
    const shift: Shift = {
      id: '0190f5a0-1111-7000-8000-000000000001',
      gateId: 'gate-1',
      guard: '王师傅',
      startedAt: '2020-02-03T08:00:00.000+08:00',
      counts: { total: 3, in: 2, out: 1, fever: 1, returnees: 0, refused: 1 },
    };
    const rows: OldRecord[] = (['pending', 'synced', 'rejected'] as const).map((state, i) => {
      const record = makeGateLog({ shiftId: shift.id, direction: i === 2 ? 'out' : 'in' });
      return {
        id: record.id,
        record,
        syncState: state,
        ...(state === 'rejected' && { rejection: { code: 'invalid', message: 'bad' } }),
        shiftId: shift.id,
        gateId: 'gate-1',
        day: '2020-02-03',
        savedAt: 1_580_688_900_000 + i,
        ...(state === 'synced' && { syncedAt: 1_580_688_960_000 }),
        fever: i === 1,
      };
    });
    await v1.table('records').bulkAdd(rows);
    await v1.table('shifts').add(shift);
    await v1.table('settings').bulkAdd([
      {
        key: 'gate',
        value: {
          id: 'gate-1',
          name: 'North gate',
          rules: {
            feverThresholdC: 37.3,
            quarantineDays: 14,
            keyRegions: ['湖北'],
            dutyPhone: '021-1234',
          },
        },
      },
      { key: 'currentShiftId', value: shift.id },
      { key: 'guards', value: ['王师傅'] },
    ]);
    await v1.table('people').add({
      key: 'id:cn_resident_id:310101198001011234',
      person: rows[0]!.record.person,
      name: rows[0]!.record.person.name,
      phone: '13800138000',
      idRev: '432110108910103',
      address: '3号楼 201',
      lastSeenAt: 1,
      visits: 4,
    });
    await v1.table('counters').bulkAdd([
      { key: 'pending', n: 1 },
      { key: 'rejected', n: 1 },
    ]);
    const before = {
      records: await v1.table('records').toArray(),
      shifts: await v1.table('shifts').toArray(),
      settings: await v1.table('settings').toArray(),
      people: await v1.table('people').toArray(),
      counters: await v1.table('counters').toArray(),
    };
    v1.close();

    const now = new GateLogDb(name);
    opened.push(now);
    await now.open();
    expect(now.verno).toBe(3);
    const [pending, synced, rejected] = rows as [OldRecord, OldRecord, OldRecord];
    const strip = ({ syncState: _s, rejection: _r, syncedAt: _a, ...rest }: OldRecord) => rest;
    expect({
      // The records of the backlog lose their state fields; the acknowledged ones are not
      // rewritten (a phone with a week of them opens at once), and nothing reads theirs.
      records: await now.records.toArray(),
      shifts: await now.shifts.toArray(),
      settings: await now.settings.toArray(),
      people: await now.people.toArray(),
      counters: await now.counters.toArray(),
    }).toEqual({
      ...before,
      records: [strip(pending), synced, strip(rejected)].sort((a, b) => (a.id < b.id ? -1 : 1)),
    });
    expect(await now.outbox.toArray()).toEqual([
      { id: pending.id, shiftId: shift.id, savedAt: pending.savedAt },
    ]);
    expect(await now.rejections.toArray()).toEqual([
      { id: rejected.id, code: 'invalid', message: 'bad' },
    ]);
    // The old indexes still answer: the state index with the acknowledged records only.
    expect(
      await now.records
        .where('[syncState+id]')
        .between(['pending', Dexie.minKey], ['rejected', Dexie.maxKey])
        .count(),
    ).toBe(0);
    expect(
      await now.records
        .where('[shiftId+id]')
        .between([shift.id, Dexie.minKey], [shift.id, Dexie.maxKey])
        .count(),
    ).toBe(3);

    // The tables of version 2 are there, empty, and usable.
    expect(await now.passes.count()).toBe(0);
    expect(await now.watchlist.count()).toBe(0);
    expect(await now.pullState.count()).toBe(0);
    await now.passes.put({
      id: '7K3M9QX2',
      name: '王小明',
      address: '3号楼',
      validUntil: '2099-01-01',
      status: 'active',
      token: 'x',
    });
    expect(await now.passes.where('validUntil').above('2020-01-01').count()).toBe(1);

    // And the app reads the old data through its repos, each record in its state.
    setDb(now);
    expect(await outboxStats()).toMatchObject({ pending: 1, rejected: 1 });
    expect((await listRejected()).map((r) => [r.id, r.rejection])).toEqual([
      [rejected.id, { code: 'invalid', message: 'bad' }],
    ]);
    expect((await getRecord(pending.id))?.syncState).toBe('pending');
    expect((await getRecord(synced.id))?.syncState).toBe('synced');
    expect((await getRecord(rejected.id))?.syncState).toBe('rejected');
    const rowsNow = await readLogRows({ kind: 'shift', shiftId: shift.id }, { limit: 10 });
    expect(new Map(rowsNow.map((r) => [r.id, r.syncState]))).toEqual(
      new Map(rows.map((r) => [r.id, r.syncState])),
    );
    // The backlog is sent, the rest not.
    const batch = await takePendingBatch({
      maxRecords: 500,
      maxBytes: 1 << 20,
      savedAtOrBefore: Date.now(),
    });
    expect(batch.records).toEqual([strip(pending)]);
    expect((await getSetting('gate'))?.rules.dutyPhone).toBe('021-1234');
    expect((await lookupPeople('3号楼')).map((p) => p.visits)).toEqual([4]);
  });
});

describe('GateLogDb from version 2', () => {
  it('keeps the passes, the watchlist and the pull state, and gives a pending record its outbox row', async () => {
    const name = `upgrade-v2-${Date.now()}`;
    const v2 = new GateLogDbV2(name);
    opened.push(v2);
    const row = pendingOldRow();
    await v2.table('records').add(row);
    await v2.table('counters').add({ key: 'pending', n: 1 });
    const pass = {
      id: '7K3M9QX2',
      name: '王小明',
      address: '3号楼',
      validUntil: '2099-01-01',
      status: 'active',
      token: 'x',
    };
    await v2.table('passes').add(pass);
    const watch = {
      id: 'w1',
      name: '赵六',
      until: '2099-01-01',
      address: '5号楼',
      passId: '',
      idHash: 'a',
      phoneHash: '',
    };
    await v2.table('watchlist').add(watch);
    await v2.table('pullState').add({ key: 'cursor', value: 42 });
    v2.close();

    const now = new GateLogDb(name);
    opened.push(now);
    await now.open();
    expect(now.verno).toBe(3);
    expect(await now.passes.toArray()).toEqual([pass]);
    expect(await now.watchlist.toArray()).toEqual([watch]);
    expect(await now.pullState.toArray()).toEqual([{ key: 'cursor', value: 42 }]);
    const { syncState: _, ...kept } = row;
    expect(await now.records.toArray()).toEqual([kept]);
    expect(await now.outbox.toArray()).toEqual([
      { id: row.id, shiftId: row.shiftId, savedAt: row.savedAt },
    ]);
    expect(await now.rejections.count()).toBe(0);
  });
});

describe('a tab of the previous release still open after the upgrade', () => {
  it('saves a record the old way; the next sync run gives it its outbox row, once, without counting it again', async () => {
    const name = `upgrade-old-tab-${Date.now()}`;
    const now = new GateLogDb(name);
    opened.push(now);
    setDb(now);
    await now.open();
    const legacy = pendingOldRow();
    const { record } = legacy;
    // What that tab's Save writes: the row with its state, and the counter.
    await now.records.add(legacy);
    await now.counters.put({ key: 'pending', n: 1 });
    expect(await adoptLegacyPending()).toBe(1);
    const { syncState: _, ...kept } = legacy;
    expect(await now.records.get(record.id)).toEqual(kept);
    expect(await now.outbox.toArray()).toEqual([
      { id: record.id, shiftId: record.shiftId, savedAt: legacy.savedAt },
    ]);
    expect(await outboxStats()).toMatchObject({ pending: 1 });
    expect(await adoptLegacyPending()).toBe(0);
    const batch = await takePendingBatch({
      maxRecords: 500,
      maxBytes: 1 << 20,
      savedAtOrBefore: Date.now(),
    });
    expect(batch.records).toEqual([kept]);
  });
});
