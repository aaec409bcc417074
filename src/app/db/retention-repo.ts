/**
 * Retention on the phone (DESIGN §7): records the server has acknowledged are deleted once they
 * are older than the retention period, and so are quick-lookup people not seen in that time
 * (unless their home quarantine, registered here, is not over).
 * Only records of shifts the server gave a receipt for go — a shift's receipt compares counts and
 * digests over all its records, so an unreceipted shift keeps every one — and never a pending or
 * rejected record. The shift itself stays, with its counts and receipt. The greatest id deleted is remembered, so the wiped-storage check can tell a
 * purged record from a lost one.
 */
import Dexie from 'dexie';
import { db } from './db';
import { getSetting, setSetting } from './settings-repo';
import { localIsoWithOffset, localToday } from './time';

/** How long the phone keeps acknowledged records (DESIGN §7). */
export const RETENTION_DAYS = 7;

const DAY_MS = 24 * 60 * 60 * 1000;

export interface PurgeResult {
  records: number;
  people: number;
}

/**
 * Deletes the acknowledged records of receipted shifts that ended before the retention period
 * (all of such a shift's records were saved before it ended), and people last seen before it.
 * Reads keys only. One transaction: a run's deletions and the remembered mark are stored
 * together or not at all.
 */
export async function purgeAcknowledged(
  now = Date.now(),
  keepDays = RETENTION_DAYS,
): Promise<PurgeResult> {
  const cutoff = now - keepDays * DAY_MS;
  const today = localToday(new Date(now));
  const tables = [db.records, db.outbox, db.rejections, db.shifts, db.people, db.settings];
  return db.transaction('rw', tables, async () => {
    const [shifts, pending, rejected, oldPeople, before] = await Promise.all([
      db.shifts.toArray(), // a few a day
      db.outbox.toCollection().primaryKeys(),
      db.rejections.toCollection().primaryKeys(),
      // Not one whose home quarantine this phone registered and that is not over: the gate
      // stops them going out until it ends, whenever they were last seen.
      db.people
        .where('lastSeenAt')
        .below(cutoff)
        .filter((p) => p.quarantineUntil === undefined || p.quarantineUntil < today)
        .primaryKeys(),
      getSetting('purged'),
    ]);
    const due = shifts.filter(
      (s) => s.receipt && !s.purgedAt && s.endedAt && Date.parse(s.endedAt) < cutoff,
    );
    if (due.length === 0 && oldPeople.length === 0) return { records: 0, people: 0 };
    const keep = new Set([...pending, ...rejected]);
    const ids: string[] = [];
    for (const s of due) {
      const keys = await db.records
        .where('[shiftId+id]')
        .between([s.id, Dexie.minKey], [s.id, Dexie.maxKey])
        .primaryKeys();
      for (const k of keys) if (!keep.has(k)) ids.push(k);
    }
    const at = localIsoWithOffset(new Date(now));
    const writes: Promise<unknown>[] = [
      db.records.bulkDelete(ids),
      db.people.bulkDelete(oldPeople),
      ...due.map((s) => db.shifts.update(s.id, { purgedAt: at })),
    ];
    if (ids.length > 0) {
      const newest = ids.reduce((x, y) => (y > x ? y : x), before?.throughId ?? '');
      writes.push(
        setSetting('purged', {
          throughId: newest,
          records: (before?.records ?? 0) + ids.length,
          lastAt: at,
        }),
      );
    }
    await Promise.all(writes);
    return { records: ids.length, people: oldPeople.length };
  });
}

/** Whether the phone deleted this acknowledged record itself (retention), rather than lost it. */
export async function wasPurged(id: string): Promise<boolean> {
  const purged = await getSetting('purged');
  return purged !== undefined && purged.throughId !== '' && id <= purged.throughId;
}
