/**
 * Dexie version 2 (passes, watchlist, pullState) opens a database written by version 1 with
 * records in it and loses nothing: STYLE habit 5.
 */
import 'fake-indexeddb/auto';
import Dexie from 'dexie';
import { afterEach, describe, expect, it } from 'vitest';
import {
  GateLogDb,
  getSetting,
  listRejected,
  lookupPeople,
  outboxStats,
  setDb,
  type Shift,
  type StoredRecord,
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

let opened: { close(): void }[] = [];
afterEach(async () => {
  for (const d of opened) d.close();
  opened = [];
});

describe('GateLogDb version 2', () => {
  it('opens a version-1 database with records in it and keeps every row', async () => {
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
    const rows: StoredRecord[] = ['pending', 'synced', 'rejected'].map((state, i) => {
      const record = makeGateLog({ shiftId: shift.id, direction: i === 2 ? 'out' : 'in' });
      return {
        id: record.id,
        record,
        syncState: state as StoredRecord['syncState'],
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

    const v2 = new GateLogDb(name);
    opened.push(v2);
    await v2.open();
    expect(v2.verno).toBe(2);
    expect({
      records: await v2.records.toArray(),
      shifts: await v2.shifts.toArray(),
      settings: await v2.settings.toArray(),
      people: await v2.people.toArray(),
      counters: await v2.counters.toArray(),
    }).toEqual(before);
    // The indexes of version 1 still answer.
    expect(
      await v2.records
        .where('[syncState+id]')
        .between(['pending', Dexie.minKey], ['pending', Dexie.maxKey])
        .count(),
    ).toBe(1);
    expect(
      await v2.records
        .where('[shiftId+id]')
        .between([shift.id, Dexie.minKey], [shift.id, Dexie.maxKey])
        .count(),
    ).toBe(3);

    // The new tables are there, empty, and usable.
    expect(await v2.passes.count()).toBe(0);
    expect(await v2.watchlist.count()).toBe(0);
    expect(await v2.pullState.count()).toBe(0);
    await v2.passes.put({
      id: '7K3M9QX2',
      name: '王小明',
      address: '3号楼',
      validUntil: '2099-01-01',
      status: 'active',
      token: 'x',
    });
    expect(await v2.passes.where('validUntil').above('2020-01-01').count()).toBe(1);

    // And the app reads the old data through its repos as before.
    setDb(v2);
    expect(await outboxStats()).toMatchObject({ pending: 1, rejected: 1 });
    expect((await listRejected()).map((r) => r.id)).toEqual([rows[2]!.id]);
    expect((await getSetting('gate'))?.rules.dutyPhone).toBe('021-1234');
    expect((await lookupPeople('3号楼')).map((p) => p.visits)).toEqual([4]);
  });
});
