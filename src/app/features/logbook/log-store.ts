/**
 * The rows of one logbook scope, held in memory while the logbook is open, and while it is kept
 * hidden behind the form (kept-logbook.tsx): then not watched, and read again by
 * `renewWhileHidden`.
 *
 * The first frame needs only the newest screenful and, for a shift, the counts the shift row
 * keeps: one small read. The older rows follow after that frame, newest first, in pieces small
 * enough that a tap is never held up for long. A live query over the rows from the oldest of that
 * first screenful on, the outbox states and the shift keeps everything current: new saves, an
 * undo, a correction, a record sent or refused.
 *
 * Until every row is in, the view says so (`complete: false`): counts only the rows can give are
 * left unknown, and what a filter finds is "so far". Once complete, the counts come from the
 * rows themselves, so they always agree with what a filter shows.
 */
import {
  db,
  onWrite,
  readLogHead,
  readLogIds,
  readLogRows,
  readLogRowsById,
  stateOf,
  watchLogTail,
  writesSoFar,
  type LogRow,
  type LogScope,
  type LogTail,
  type ShiftCounts,
} from '../../db';
import { whenIdle } from '../../ui/after-paint';
import { splitRows, type CorrectedBy, type FilterLists, type LogCounts } from './summarize';

/** Rows of the first read: a phone screen shows about ten. */
export const HEAD_ROWS = 40;
/** Rows per later read: each costs a phone at most a few tens of milliseconds. */
export const CHUNK_ROWS = 300;
/** While the older rows load, the list and the matches follow at most this often. */
const PUBLISH_MS = 200;
/** How long a store read for a render that React did not commit may serve the next one. */
const REUSE_MS = 2_000;
/** A hidden screen's rows are read again once writes have paused this long (and it is idle). */
const RENEW_MS = 1_000;

export interface LogView {
  /** Newest first: everything read so far. */
  rows: readonly LogRow[];
  /** Every record of the scope is in `rows`. */
  complete: boolean;
  /** How many records the scope holds, once known. */
  total: number | undefined;
  /** The counts known so far (all of them once complete). */
  counts: Partial<LogCounts>;
  /** Each count filter's rows, once complete. */
  lists: FilterLists | undefined;
  correctedBy: CorrectedBy;
  /** Every row read, by id. */
  byId: ReadonlyMap<string, LogRow>;
  /** Reading failed: what is shown may be incomplete. */
  failed: boolean;
}

const byIdDesc = (a: LogRow, b: LogRow) => (a.id < b.id ? 1 : a.id > b.id ? -1 : 0);

function isSortedDesc(rows: readonly LogRow[]): boolean {
  for (let i = 1; i < rows.length; i++) if (rows[i - 1]!.id <= rows[i]!.id) return false;
  return true;
}

/** Runs `task` once the frame being prepared has been painted (soon, when nothing paints). */
function afterPaint(task: () => void): void {
  if (typeof requestAnimationFrame === 'function' && document.visibilityState === 'visible') {
    requestAnimationFrame(() => setTimeout(task, 0));
  } else {
    setTimeout(task, 0);
  }
}

export class LogStore {
  private rows: LogRow[] = [];
  private readonly byId = new Map<string, LogRow>();
  private correctedBy: Map<string, readonly string[]> = new Map();
  private complete = false;
  private failed = false;
  private total: number | undefined;
  private shiftCounts: ShiftCounts | undefined;
  private states: Pick<LogTail, 'pending' | 'rejected'> | undefined;
  /** Rows from this id on are watched live; older ones never change but for their state. */
  private floor: string | undefined;
  /** Older rows are read below this id. */
  private readDownTo: string | undefined;
  /** Settles once the newest rows are read (or could not be). */
  readonly ready: Promise<void>;
  /** The scope's key (`scopeKey`). */
  readonly key: string;
  private readonly createdAt = Date.now();
  /** The writes counted when the first read began. */
  private readonly readAfter = writesSoFar();
  private view: LogView;
  private readonly listeners = new Set<() => void>();
  private tail: { unsubscribe(): void } | undefined;
  private active = false;
  private started = false;
  private loading = false;
  private reconciling = false;
  private lastPublish = 0;
  private publishTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(readonly scope: LogScope) {
    this.key = scopeKey(scope);
    this.view = this.makeView();
    // Read at once, not on subscribe: React subscribes only after its first commit.
    this.ready = readLogHead(scope, HEAD_ROWS).then(
      ({ rows, shiftCounts }) => {
        this.add(rows);
        this.floor = this.readDownTo = rows.at(-1)?.id;
        this.shiftCounts = shiftCounts;
        this.complete = rows.length < HEAD_ROWS;
        this.publish();
      },
      (e: unknown) => this.fail(e),
    );
  }

  readonly subscribe = (onChange: () => void): (() => void) => {
    this.listeners.add(onChange);
    if (this.listeners.size === 1) this.start();
    return () => {
      this.listeners.delete(onChange);
      if (this.listeners.size === 0) this.stop();
    };
  };

  readonly getSnapshot = (): LogView => this.view;

  /**
   * Held by a hidden screen: not watched, so handed to a screen shown only while `unchanged`.
   */
  keptHidden = false;

  /**
   * What it read is still what the database holds: never watched (so never left behind by the
   * live query) and nothing written since its read began.
   */
  get unchanged(): boolean {
    return !this.started && !this.failed && writesSoFar() === this.readAfter;
  }

  /** A screen on show watches it: its rows are current. */
  get inUse(): boolean {
    return this.listeners.size > 0;
  }

  /** Still worth handing to a render: in use, or read a moment ago for a render not committed. */
  get fresh(): boolean {
    return this.inUse || (!this.started && Date.now() - this.createdAt < REUSE_MS);
  }

  private start(): void {
    this.started = this.active = true;
    void this.ready.then(() =>
      afterPaint(() => {
        if (!this.active || this.failed) return;
        this.tail ??= watchLogTail(this.scope, this.floor, (id) => this.byId.has(id)).subscribe({
          next: (t) => this.applyTail(t),
          error: (e: unknown) => this.fail(e),
        });
        void this.loadOlder();
      }),
    );
  }

  private stop(): void {
    this.active = false;
    this.tail?.unsubscribe();
    this.tail = undefined;
    clearTimeout(this.publishTimer);
  }

  /** Reads the older rows piece by piece, newest first, while the logbook is open. */
  private async loadOlder(): Promise<void> {
    if (this.loading) return;
    this.loading = true;
    try {
      while (this.active && !this.complete && !this.failed) {
        const older = await readLogRows(this.scope, {
          before: this.readDownTo,
          limit: CHUNK_ROWS,
        });
        this.add(older);
        this.readDownTo = older.at(-1)?.id ?? this.readDownTo;
        if (older.length < CHUNK_ROWS) {
          this.complete = true;
          this.checkTotal();
        }
        this.publish(!this.complete);
      }
    } catch (e) {
      this.fail(e);
    } finally {
      this.loading = false;
    }
  }

  private applyTail(t: LogTail): void {
    const live = new Set(t.ids);
    const gone: LogRow[] = [];
    for (const r of this.rows) {
      if (this.floor !== undefined && r.id < this.floor) break; // newest first: the rest is older
      if (!live.has(r.id)) gone.push(r);
    }
    this.remove(gone);
    this.states = { pending: t.pending, rejected: t.rejected };
    this.add(t.fresh);
    this.applyStates(this.rows);
    this.total = t.total;
    this.shiftCounts = t.shiftCounts;
    // Ids the query took for held while an earlier emission was still on its way.
    const unheld = t.ids.filter((id) => !this.byId.has(id));
    this.publish();
    // Further reads start outside the live query's own context, or they would be watched too.
    if (unheld.length > 0) setTimeout(() => void this.fetch(unheld), 0);
    else setTimeout(() => this.checkTotal(), 0);
  }

  /** Once every row is in, their number must be the scope's; else the database is read again. */
  private checkTotal(): void {
    if (this.complete && this.total !== undefined && this.total !== this.rows.length) {
      void this.reconcile();
    }
  }

  /**
   * Makes the rows older than the floor exactly the scope's (after a clock change, say); the
   * newer ones are the live query's.
   */
  private async reconcile(): Promise<void> {
    const floor = this.floor;
    if (this.reconciling || floor === undefined) return; // no floor: the live query has it all
    this.reconciling = true;
    try {
      const ids = await readLogIds(this.scope, floor);
      const keep = new Set(ids);
      this.remove(this.rows.filter((r) => r.id < floor && !keep.has(r.id)));
      this.add(await readLogRowsById(ids.filter((id) => !this.byId.has(id))));
      this.publish();
    } catch (e) {
      this.fail(e);
    } finally {
      this.reconciling = false;
    }
  }

  private async fetch(ids: readonly string[]): Promise<void> {
    try {
      this.add(await readLogRowsById(ids));
      this.publish();
    } catch (e) {
      this.fail(e);
    }
  }

  /** Adds rows not held yet, keeping the list newest first. */
  private add(rows: readonly LogRow[]): void {
    const fresh = rows.filter((r) => !this.byId.has(r.id));
    if (fresh.length === 0) return;
    if (!isSortedDesc(fresh)) fresh.sort(byIdDesc);
    if (this.states) this.applyStates(fresh);
    for (const r of fresh) {
      this.byId.set(r.id, r);
      if (r.amends !== undefined) this.link(r.amends, r.id);
    }
    const newest = this.rows[0];
    const oldest = this.rows.at(-1);
    if (!newest || !oldest) this.rows = fresh;
    else if (fresh.at(-1)!.id > newest.id) this.rows = fresh.concat(this.rows);
    else if (fresh[0]!.id < oldest.id) this.rows = this.rows.concat(fresh);
    else this.rows = this.rows.concat(fresh).sort(byIdDesc);
  }

  private remove(rows: readonly LogRow[]): void {
    if (rows.length === 0) return;
    const ids = new Set(rows.map((r) => r.id));
    this.rows = this.rows.filter((r) => !ids.has(r.id));
    for (const r of rows) {
      this.byId.delete(r.id);
      if (r.amends !== undefined) this.unlink(r.amends, r.id);
    }
  }

  private link(original: string, id: string): void {
    const ids = [...(this.correctedBy.get(original) ?? []), id].sort().reverse();
    this.correctedBy = new Map(this.correctedBy).set(original, ids);
  }

  private unlink(original: string, id: string): void {
    const ids = (this.correctedBy.get(original) ?? []).filter((x) => x !== id);
    this.correctedBy = new Map(this.correctedBy);
    if (ids.length > 0) this.correctedBy.set(original, ids);
    else this.correctedBy.delete(original);
  }

  /** Sets the rows' outbox states from the latest sets; a new list when one changed. */
  private applyStates(rows: readonly LogRow[]): void {
    const states = this.states;
    if (!states) return;
    let changed = false;
    for (const r of rows) {
      const state = stateOf(r.id, states);
      if (r.syncState !== state) {
        r.syncState = state;
        changed = true;
      }
    }
    if (changed && rows === this.rows) this.rows = this.rows.slice();
  }

  private fail(e: unknown): void {
    console.error('logbook: reading failed', e);
    this.failed = true;
    this.publish();
  }

  /** Hands the listeners a new view; `throttle`d while the older rows load. */
  private publish(throttle = false): void {
    clearTimeout(this.publishTimer);
    this.publishTimer = undefined;
    const wait = this.lastPublish + PUBLISH_MS - Date.now();
    if (throttle && wait > 0) {
      this.publishTimer = setTimeout(() => this.publish(), wait);
      return;
    }
    this.lastPublish = Date.now();
    this.view = this.makeView();
    for (const l of this.listeners) l();
  }

  private makeView(): LogView {
    const split = this.complete ? splitRows(this.rows, this.correctedBy, this.byId) : undefined;
    return {
      rows: this.rows,
      complete: this.complete,
      total: this.complete ? this.rows.length : this.total,
      counts: split?.counts ?? { ...(this.shiftCounts ?? {}) },
      lists: split?.lists,
      correctedBy: this.correctedBy,
      byId: this.byId,
      failed: this.failed,
    };
  }
}

/** Equal for equal scopes. */
export const scopeKey = (scope: LogScope): string => JSON.stringify(scope);

const stores = new WeakMap<object, Map<string, LogStore>>();

/**
 * The store of a scope. Renders of the same scope share one, also when React throws a render
 * away before committing it (it may, while the logbook's code or rows arrive); a logbook opened
 * again later starts afresh. A hidden screen (`visible` false) keeps the store it was given, and
 * nothing watches it (`renewWhileHidden` reads its rows again); shown again, the screen keeps
 * that store while nothing was written since its read began, and gets a new one otherwise.
 */
export function logStoreFor(scope: LogScope, visible = true): LogStore {
  let byKey = stores.get(db);
  if (!byKey) stores.set(db, (byKey = new Map()));
  const key = scopeKey(scope);
  let store = byKey.get(key);
  // A store a hidden screen was given is handed to a screen shown while what it read is still
  // the database's, or while one watches it (a render that was to hide the screen and was
  // thrown away).
  const usable = visible
    ? store?.inUse || (store?.keptHidden ? store.unchanged : store?.fresh)
    : true;
  if (!store || !usable) {
    for (const [k, s] of byKey) if (k !== key && !s.fresh) byKey.delete(k);
    byKey.set(key, (store = new LogStore(scope)));
  }
  if (!visible) {
    // One hidden screen, one scope: a store kept for another is no longer kept.
    for (const s of byKey.values()) s.keptHidden = s === store;
  }
  return store;
}

/**
 * Keeps the store of a hidden logbook worth showing, without watching it: once writes have
 * paused and the page is idle (and the same way once the screen was hidden, its store then no
 * longer watched), its newest rows are read into a new store, which replaces it; `onRenewed`
 * then has the hidden screen render with it. Opening the logbook can then show those rows
 * without reading them again. Returns the function that stops this.
 */
export function renewWhileHidden(onRenewed: () => void): () => void {
  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let renewing = false;
  const renew = async () => {
    const byKey = stores.get(db);
    const kept = byKey && [...byKey.values()].find((s) => s.keptHidden);
    if (stopped || renewing || !byKey || !kept || kept.inUse || kept.unchanged) return;
    renewing = true;
    const store = new LogStore(kept.scope);
    await store.ready; // never rejects: a failed read is in the view
    renewing = false;
    if (stopped || store.getSnapshot().failed || byKey.get(store.key) !== kept || kept.inUse) {
      return;
    }
    store.keptHidden = true;
    kept.keptHidden = false;
    byKey.set(store.key, store);
    onRenewed();
    // Written to while it read (a renewal asked for then was skipped): again, later.
    if (!store.unchanged) schedule();
  };
  const schedule = () => {
    clearTimeout(timer);
    timer = setTimeout(() => whenIdle(() => void renew()), RENEW_MS);
  };
  schedule();
  const stopWrites = onWrite(schedule);
  return () => {
    stopped = true;
    clearTimeout(timer);
    stopWrites();
  };
}
