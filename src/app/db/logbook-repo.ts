/**
 * The logbook's reads: this shift's or today's records at a gate as compact rows, in pieces, so
 * a busy gate's day (10,000 records and more) never has to be read whole before the first frame.
 *
 * - `readLogHead`: the newest screenful and the shift's running counts (one index range read
 *   backwards with a limit: a few milliseconds whatever the size of the scope);
 * - `readLogRows`: the next older piece, for loading the rest after the first frame;
 * - `watchLogTail`: a live query over what can still change: the records from a given id on
 *   (new saves, an undo), the outbox states, the number of records in the scope and the shift's
 *   counts. It reads keys, and in full only the records the caller does not hold yet.
 *
 * Records are append-only on the phone (only their outbox state changes, kept apart in the
 * outbox and rejections tables, and an undo deletes one of the newest), so rows read once stay
 * right but for their state; the caller keeps them.
 */
import Dexie, { liveQuery, type Observable } from 'dexie';
import type { Category, Decision, Direction } from '../../shared';
import {
  db,
  type GateLogDb,
  type RecordWithState,
  type ShiftCounts,
  type StoredRecord,
  type SyncState,
} from './db';
import { outboxStates, stateOf, withStates } from './outbox-repo';

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
  /** The outbox state: the only field that changes, so whoever keeps the row updates it. */
  syncState: SyncState;
}

export type LogScope =
  { kind: 'shift'; shiftId: string } | { kind: 'day'; gateId: string; day: string };

/** A record's row, in the given outbox state. */
export function toLogRow(s: StoredRecord, syncState: SyncState): LogRow {
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
    syncState,
  };
}

/** The scope's records with ids in [from, to): both ends open when not given. */
function scopeRange(d: GateLogDb, scope: LogScope, from?: string, to?: string) {
  const lo = from ?? Dexie.minKey;
  const hi = to ?? Dexie.maxKey;
  return scope.kind === 'shift'
    ? d.records.where('[shiftId+id]').between([scope.shiftId, lo], [scope.shiftId, hi], true, !to)
    : d.records
        .where('[gateId+day+id]')
        .between([scope.gateId, scope.day, lo], [scope.gateId, scope.day, hi], true, !to);
}

/** Up to `limit` rows of the scope older than `before` (all when not given), newest first. */
export async function readLogRows(
  scope: LogScope,
  { before, limit }: { before?: string; limit: number },
): Promise<LogRow[]> {
  const d = db;
  return d.transaction('r', [d.records, d.outbox, d.rejections], async () =>
    rowsWithStates(
      d,
      await scopeRange(d, scope, undefined, before).reverse().limit(limit).toArray(),
    ),
  );
}

/**
 * The rows of records read newest first, each in its outbox state: the outbox and refusal keys
 * within their ids' span, two key reads whatever the number of rows.
 */
async function rowsWithStates(d: GateLogDb, stored: readonly StoredRecord[]): Promise<LogRow[]> {
  if (stored.length === 0) return [];
  const ids = stored.map((s) => s.id);
  const lo = ids.reduce((a, b) => (b < a ? b : a));
  const hi = ids.reduce((a, b) => (b > a ? b : a));
  const span = (t: typeof d.outbox | typeof d.rejections) =>
    t.where(':id').between(lo, hi, true, true).primaryKeys();
  const [pending, rejected] = await Promise.all([span(d.outbox), span(d.rejections)]);
  const states = { pending: new Set(pending), rejected: new Set(rejected) };
  return stored.map((s) => toLogRow(s, stateOf(s.id, states)));
}

export interface LogHead {
  /** The newest rows, newest first. */
  rows: LogRow[];
  /** The shift's running counts, kept by every save (shift scope only). */
  shiftCounts: ShiftCounts | undefined;
}

/** The scope's newest `limit` rows and, for a shift, its counts: what the first frame shows. */
export async function readLogHead(scope: LogScope, limit: number): Promise<LogHead> {
  const d = db;
  return d.transaction('r', [d.records, d.outbox, d.rejections, d.shifts], async () => {
    const [rows, shift] = await Promise.all([
      readLogRows(scope, { limit }),
      scope.kind === 'shift' ? d.shifts.get(scope.shiftId) : undefined,
    ]);
    return { rows, shiftCounts: shift?.counts };
  });
}

export interface LogTail {
  /** The scope's ids from `from` on, oldest first. */
  ids: string[];
  /** The rows of those ids the caller did not hold, newest first. */
  fresh: LogRow[];
  /** Ids of every record waiting to be sent, and of every record the server refused. */
  pending: ReadonlySet<string>;
  rejected: ReadonlySet<string>;
  /** How many records the scope holds in all. */
  total: number;
  shiftCounts: ShiftCounts | undefined;
}

/**
 * The live part of a scope from id `from` on (the whole scope when not given): emits again on
 * every save, undo, sync-state change in the database, and shift-count change. `holds` tells
 * which ids the caller already has as rows, so only new records are read in full.
 */
export function watchLogTail(
  scope: LogScope,
  from: string | undefined,
  holds: (id: string) => boolean,
): Observable<LogTail> {
  const d = db;
  return liveQuery(() =>
    d.transaction('r', [d.records, d.outbox, d.rejections, d.shifts], async () => {
      const [ids, { pending, rejected }, total, shift] = await Promise.all([
        scopeRange(d, scope, from).primaryKeys() as Promise<string[]>,
        outboxStates(d),
        scopeRange(d, scope).count(),
        scope.kind === 'shift' ? d.shifts.get(scope.shiftId) : undefined,
      ]);
      const unheld = ids.filter((id) => !holds(id)).reverse();
      const fresh = await readLogRowsById(unheld);
      return { ids, fresh, pending, rejected, total, shiftCounts: shift?.counts };
    }),
  );
}

/** The scope's ids older than `before` (all when not given), oldest first. */
export async function readLogIds(scope: LogScope, before?: string): Promise<string[]> {
  return (await scopeRange(db, scope, undefined, before).primaryKeys()) as string[];
}

/** The rows of these ids, in the same order; missing ones are left out. */
export async function readLogRowsById(ids: readonly string[]): Promise<LogRow[]> {
  if (ids.length === 0) return [];
  const d = db;
  return d.transaction('r', [d.records, d.outbox, d.rejections], async () => {
    const stored = await d.records.bulkGet([...ids]);
    return rowsWithStates(
      d,
      stored.filter((s): s is StoredRecord => s !== undefined),
    );
  });
}

/**
 * Records that correct the given one, oldest first. Corrections are always saved after the
 * record they correct, and ids are time-ordered, so only later ids are looked at.
 */
export async function findCorrections(id: string): Promise<RecordWithState[]> {
  const d = db;
  return d.transaction('r', [d.records, d.outbox, d.rejections], async () =>
    withStates(
      d,
      await d.records
        .where(':id')
        .above(id)
        .filter((s) => s.record.amends === id)
        .toArray(),
    ),
  );
}

/**
 * The newest version of an entry: `id` itself when nothing corrects it, else the newest entry
 * correcting it, followed along the chain of corrections.
 */
export async function findNewestVersion(id: string): Promise<string> {
  for (let current = id; ;) {
    const next = (await findCorrections(current)).at(-1);
    if (!next) return current;
    current = next.id;
  }
}

/** The stored records with these ids, in the same order; missing ones are left out. */
export async function getRecords(ids: readonly string[]): Promise<RecordWithState[]> {
  const d = db;
  return d.transaction('r', [d.records, d.outbox, d.rejections], async () => {
    const rows = await d.records.bulkGet([...ids]);
    return withStates(
      d,
      rows.filter((r): r is StoredRecord => r !== undefined),
    );
  });
}
