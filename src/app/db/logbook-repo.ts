/**
 * The logbook's reads: this shift's or today's records at a gate as compact rows, fast enough
 * to re-run on every save at a busy gate (10,000 rows and more).
 *
 * Records are append-only on the phone; only their outbox state changes. So a row's fields are
 * read from IndexedDB once and kept in a per-database cache, and each run reads only keys: the
 * scope's ids from its index, and the pending and rejected ids from `[syncState+id]`. A new save
 * costs one `bulkGet` of the new record, and a sync-state change costs nothing but keys.
 */
import Dexie from 'dexie';
import type { Category, Decision, Direction } from '../../shared';
import { db, type GateLogDb, type StoredRecord, type SyncState } from './db';

/** What the logbook list, its counts and its search need of one record. */
export interface LogRow {
  id: string;
  occurredAt: string;
  /** Local calendar date of `occurredAt`. */
  day: string;
  direction: Direction;
  name: string;
  category: Category;
  temperatureC: number | undefined;
  fever: boolean;
  returnee: boolean;
  decision: Decision;
  /** The record this one corrects. */
  amends: string | undefined;
  /** Lower-cased name, phone and address, one per line, for the search box. */
  haystack: string;
  /** The ID number, upper-cased ('' when none): searched by its last characters. */
  idNumber: string;
  syncState: SyncState;
}

export type LogScope =
  { kind: 'shift'; shiftId: string } | { kind: 'day'; gateId: string; day: string };

type CachedRow = Omit<LogRow, 'syncState'>;

/** Above this many unread records, the whole scope is read at once instead of one by one. */
const BULK_READ_MIN = 200;

const caches = new WeakMap<GateLogDb, Map<string, CachedRow>>();

function cacheOf(d: GateLogDb): Map<string, CachedRow> {
  let c = caches.get(d);
  if (!c) caches.set(d, (c = new Map()));
  return c;
}

/** The immutable part of a record's row. */
export function toCachedRow(s: StoredRecord): CachedRow {
  const r = s.record;
  const p = r.person;
  return {
    id: s.id,
    occurredAt: r.occurredAt,
    day: s.day,
    direction: r.direction,
    name: p.name,
    category: p.category,
    temperatureC: r.temperatureC,
    fever: s.fever,
    returnee: r.returnee.status !== 'none',
    decision: r.decision,
    amends: r.amends,
    haystack: `${p.name}\n${p.phone ?? ''}\n${p.address ?? ''}`.toLowerCase(),
    idNumber: (p.idNumber ?? '').toUpperCase(),
  };
}

function scopeRange(d: GateLogDb, scope: LogScope) {
  return scope.kind === 'shift'
    ? d.records
        .where('[shiftId+id]')
        .between([scope.shiftId, Dexie.minKey], [scope.shiftId, Dexie.maxKey])
    : d.records
        .where('[gateId+day+id]')
        .between([scope.gateId, scope.day, Dexie.minKey], [scope.gateId, scope.day, Dexie.maxKey]);
}

async function idsInState(d: GateLogDb, state: SyncState): Promise<Set<string>> {
  const keys = await d.records
    .where('[syncState+id]')
    .between([state, Dexie.minKey], [state, Dexie.maxKey])
    .primaryKeys();
  return new Set(keys as string[]);
}

/**
 * The scope's records as rows, newest first. Safe inside `liveQuery`: it observes the scope's
 * index range, the records it reads and the outbox states, so saves and acks show up live.
 */
export async function loadLogRows(scope: LogScope): Promise<LogRow[]> {
  const d = db;
  const cache = cacheOf(d);
  return d.transaction('r', d.records, async () => {
    const [ids, pending, rejected] = await Promise.all([
      scopeRange(d, scope).primaryKeys() as Promise<string[]>,
      idsInState(d, 'pending'),
      idsInState(d, 'rejected'),
    ]);
    const missing = ids.filter((id) => !cache.has(id));
    if (missing.length > BULK_READ_MIN) {
      // First read of a scope: one getAll is several times faster than thousands of gets.
      for (const s of await scopeRange(d, scope).toArray()) {
        if (!cache.has(s.id)) cache.set(s.id, toCachedRow(s));
      }
    } else if (missing.length > 0) {
      const stored = await d.records.bulkGet(missing);
      for (const s of stored) if (s) cache.set(s.id, toCachedRow(s));
    }
    const rows: LogRow[] = [];
    for (let i = ids.length - 1; i >= 0; i--) {
      const base = cache.get(ids[i]!);
      if (!base) continue;
      const syncState: SyncState = pending.has(base.id)
        ? 'pending'
        : rejected.has(base.id)
          ? 'rejected'
          : 'synced';
      rows.push({ ...base, syncState });
    }
    return rows;
  });
}

/**
 * Records that correct the given one, oldest first. Corrections are always saved after the
 * record they correct, and ids are time-ordered, so only later ids are looked at.
 */
export async function findCorrections(id: string): Promise<StoredRecord[]> {
  return db.records
    .where(':id')
    .above(id)
    .filter((s) => s.record.amends === id)
    .toArray();
}

/** The stored records with these ids, in the same order; missing ones are left out. */
export async function getRecords(ids: readonly string[]): Promise<StoredRecord[]> {
  const rows = await db.records.bulkGet([...ids]);
  return rows.filter((r): r is StoredRecord => r !== undefined);
}
