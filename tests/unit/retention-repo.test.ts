import 'fake-indexeddb/auto';
import { beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_GATE_RULES } from '../../src/shared';
import {
  GateLogDb,
  RETENTION_DAYS,
  db,
  endShift,
  findOwnQuarantine,
  getSetting,
  lookupPeople,
  markRejected,
  markSynced,
  purgeAcknowledged,
  saveEntry,
  saveReceipt,
  setDb,
  startShift,
  wasPurged,
  type Shift,
  type StoredRecord,
} from '../../src/app/db';
import { makeEntry } from '../support/factories';

const DAY = 24 * 60 * 60 * 1000;
const now = Date.parse('2026-11-28T08:00:00Z');
let n = 0;

beforeEach(() => {
  setDb(new GateLogDb(`test-retention-${n++}`));
});

/** A shift `daysAgo` old with `count` entries, ended an hour after it began. */
async function oldShift(daysAgo: number, count: number, receipted: boolean) {
  const start = new Date(now - daysAgo * DAY);
  const shift: Shift = await startShift('gate-1', '王师傅', start);
  const records: StoredRecord[] = [];
  for (let i = 0; i < count; i++) {
    const entry = makeEntry({ person: { category: 'visitor', name: `访客${daysAgo}-${i}` } });
    const at = new Date(start.getTime() + i * 60_000);
    records.push(
      await saveEntry(entry, { shift, deviceId: 'dev-1', rules: DEFAULT_GATE_RULES, now: at }),
    );
  }
  await endShift(shift.id, new Date(start.getTime() + 60 * 60_000));
  if (receipted) {
    await saveReceipt(shift.id, {
      shiftId: shift.id,
      gateId: 'gate-1',
      recordCount: count,
      byDirection: { in: count },
      byCategory: { visitor: count },
      fever: 0,
      returnees: 0,
      refused: 0,
      closedAt: new Date(start.getTime() + 61 * 60_000).toISOString(),
    });
  }
  return { shift, records };
}

const ids = (rs: StoredRecord[]) => rs.map((r) => r.id);

describe('retention on the phone', () => {
  it('deletes acknowledged records of receipted shifts past the retention period, and nothing else', async () => {
    const old = await oldShift(RETENTION_DAYS + 2, 4, true);
    const unreceipted = await oldShift(RETENTION_DAYS + 1, 2, false);
    const recent = await oldShift(RETENTION_DAYS - 1, 2, true);
    const [a, b, c, d] = old.records as [StoredRecord, StoredRecord, StoredRecord, StoredRecord];
    await markSynced([a.id, b.id, ...ids(unreceipted.records), ...ids(recent.records)]);
    await markRejected([{ id: c.id, code: 'invalid', message: 'name: required' }]);
    // d stays pending: never deleted, whatever its age.

    expect(await purgeAcknowledged(now)).toEqual({ records: 2, people: 6 });

    const left = new Set(await db.records.toCollection().primaryKeys());
    expect(left.has(a.id) || left.has(b.id)).toBe(false);
    for (const id of [c.id, d.id, ...ids(unreceipted.records), ...ids(recent.records)])
      expect(left.has(id)).toBe(true);
    // People not seen within the period go; those seen since stay.
    expect(await lookupPeople(`访客${RETENTION_DAYS + 2}`)).toEqual([]);
    expect(await lookupPeople(`访客${RETENTION_DAYS - 1}`)).toHaveLength(2);
    // The shift keeps its counts and receipt for the summary.
    expect((await db.shifts.get(old.shift.id))?.counts.total).toBe(4);
  });

  it('keeps a returnee whose home quarantine is not over, however long ago they were seen', async () => {
    const start = new Date(now - (RETENTION_DAYS + 1) * DAY);
    const shift = await startShift('gate-1', '王师傅', start);
    const returnee = (name: string, phone: string, until: string) =>
      makeEntry({
        person: { category: 'resident', name, phone },
        returnee: {
          status: 'domestic',
          origin: '湖北武汉',
          arrivedOn: '2026-11-19',
          quarantineUntil: until,
        },
      });
    const ctx = { shift, deviceId: 'dev-1', rules: DEFAULT_GATE_RULES, now: start };
    await saveEntry(returnee('隔离中', '13800000001', '2026-12-03'), ctx);
    await saveEntry(returnee('今天满', '13800000002', '2026-11-28'), ctx);
    await saveEntry(returnee('已结束', '13800000003', '2026-11-27'), ctx);

    expect(await purgeAcknowledged(now)).toMatchObject({ people: 1 });
    expect(
      await findOwnQuarantine({ idNumber: '', phone: '13800000001' }, '2026-11-28'),
    ).toMatchObject({ name: '隔离中', quarantineUntil: '2026-12-03' });
    expect(
      await findOwnQuarantine({ idNumber: '', phone: '13800000002' }, '2026-11-28'),
    ).toBeDefined();
    expect(await lookupPeople('已结束')).toEqual([]);
  });

  it('remembers what it deleted, so a purged record is not taken for a wiped phone', async () => {
    const old = await oldShift(RETENTION_DAYS + 3, 3, true);
    await markSynced(ids(old.records));
    const later = await oldShift(1, 1, false);
    expect(await purgeAcknowledged(now)).toMatchObject({ records: 3 });
    expect(await getSetting('purged')).toMatchObject({ throughId: old.records[2]!.id, records: 3 });
    expect(await wasPurged(old.records[1]!.id)).toBe(true);
    expect(await wasPurged(later.records[0]!.id)).toBe(false);
    // A second run finds nothing more and keeps the mark.
    expect(await purgeAcknowledged(now)).toEqual({ records: 0, people: 0 });
    expect((await getSetting('purged'))?.throughId).toBe(old.records[2]!.id);
  });

  it('deletes nothing on a phone whose records are all within the period', async () => {
    const { records } = await oldShift(2, 3, true);
    await markSynced(ids(records));
    expect(await purgeAcknowledged(now)).toEqual({ records: 0, people: 0 });
    expect(await db.records.count()).toBe(3);
    expect(await getSetting('purged')).toBeUndefined();
    expect(await wasPurged(records[0]!.id)).toBe(false);
  });
});
