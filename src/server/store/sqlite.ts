/**
 * The embedded store: one SQLite file (better-sqlite3) in WAL mode. better-sqlite3 is
 * synchronous, so every method finishes its SQL before it returns; the async signatures are
 * the Store contract that PostgreSQL shares. Long reads (the CSV export) go page by page so no
 * statement stays open across an await and blocks the connection for writers.
 */
import {
  chmodSync,
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  statSync,
} from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { RECORD_COLUMNS, RECORD_COLUMN_LIST } from './columns';
import {
  CORRECTED_BY,
  NOT_CORRECTED,
  searchedPassId,
  formerDevicesJson,
  laterVersionsSql,
  logSummary,
  rowReaders,
  SHIFT_FACTS_COLUMNS,
  toChange,
  toPass,
  toSigningKey,
  toWatch,
} from './rows';
import type {
  ChangeRow,
  ConsumeCodeResult,
  DeviceRow,
  DeviceTouch,
  EnrollPlan,
  EnrollmentCodeRow,
  GatePatch,
  GateRow,
  NewGateRow,
  InsertResult,
  LogCursor,
  LogFilter,
  LogRow,
  LogSummary,
  NewChange,
  NewDevice,
  PassRow,
  RecordRow,
  ShiftCloseRow,
  ShiftRecordFacts,
  SigningKeyRow,
  Store,
  WatchRow,
  BatchSender,
  WriteHint,
} from './types';
import { batchTouch } from './types';
import {
  DEFAULT_CHECKPOINT_PAGES,
  startCheckpointer,
  WRITER_CHECKPOINT_BYTES,
  type Checkpointer,
} from './sqlite-checkpointer';
import { SaidError, sayIn, terminalLocale } from '../cli-messages';
import { refuseNewerSchema } from './schema-version';
import { startWriter, type SqliteWriter } from './sqlite-writer';
import { feedCutoff, sameEntityKinds } from './feed';

const STREAM_PAGE_ROWS = 1_000;
const BUSY_TIMEOUT_MS = 5_000;
/**
 * The page size of a new database. A 500-record batch touches the records table and its five
 * indexes; with SQLite's default 4 KiB pages its commit wrote ≈180 WAL frames (≈720 KB) and
 * took longer than the inserts. With 16 KiB pages it is ≈60 frames (≈950 KB), and the commit
 * costs about half: on the bench, 20 batches in flight are stored at 83–86k instead of 62–74k
 * records/s (8, 32 and 64 KiB did no better; docs/performance.md, "Thirteenth round").
 */
const PAGE_SIZE = 16_384;

const MIGRATIONS_DIR = join(dirname(fileURLToPath(import.meta.url)), 'migrations', 'sqlite');

type Row = Record<string, unknown>;
type Param = string | number | null;

/** Numbered `NNN-name.sql` files, in order. */
export function readMigrations(dir: string): { version: number; name: string; sql: string }[] {
  return readdirSync(dir)
    .map((file) => /^(\d{3})-(.+)\.sql$/.exec(file))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => ({
      version: Number(m[1]),
      name: m[2]!,
      sql: readFileSync(join(dir, m[0]), 'utf8'),
    }))
    .sort((a, b) => a.version - b.version);
}

/** The schema versions a database's `schema_migrations` holds; none before its first migration. */
function appliedVersions(db: Database.Database): number[] {
  const made = db
    .prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'")
    .get();
  return made
    ? (db.prepare('SELECT version FROM schema_migrations').pluck().all() as number[])
    : [];
}

const { toGate, toDevice, toLogRow, toShiftFacts } = rowReaders({
  truth: 1,
  json: (v) => JSON.parse(String(v)),
});

function recordParams(row: RecordRow): Param[] {
  return RECORD_COLUMNS.map(([, key]) => {
    const v = row[key];
    return typeof v === 'boolean' ? (v ? 1 : 0) : v;
  });
}

/** WHERE and ORDER BY of a log query; shared by the page and the stream. */
function logWhere(
  filter: LogFilter,
  after: LogCursor | null,
): { sql: string; params: Param[]; order: string } {
  const conds: string[] = [];
  const params: Param[] = [];
  if (filter.gateId !== undefined) {
    conds.push('gate_id = ?');
    params.push(filter.gateId);
  }
  if (filter.fromMs !== undefined) {
    conds.push('occurred_ms >= ?');
    params.push(filter.fromMs);
  }
  if (filter.toMs !== undefined) {
    conds.push('occurred_ms < ?');
    params.push(filter.toMs);
  }
  if (filter.receivedFromMs !== undefined) {
    conds.push('received_at >= ?');
    params.push(filter.receivedFromMs);
  }
  if (filter.receivedToMs !== undefined) {
    conds.push('received_at < ?');
    params.push(filter.receivedToMs);
  }
  if (filter.flag === 'fever') conds.push('is_fever = 1');
  if (filter.flag === 'returnee') conds.push("returnee_status <> 'none'");
  if (filter.flag === 'refused') conds.push("decision = 'refused'");
  // A flag is of the record as it stands: one a later record corrected is not flagged by it.
  if (filter.flag !== undefined) conds.push(NOT_CORRECTED);
  if (filter.search !== undefined) {
    const text = filter.search;
    // Any case, in any script that has cases (`fold`: SQLite's own lower() folds ASCII only;
    // PostgreSQL's folds É, Ω and full-width letters too).
    conds.push(
      '(instr(fold(name), ?) > 0 OR instr(fold(address), ?) > 0 OR instr(phone, ?) > 0 OR id_number = ? OR pass_id IN (?, ?))',
    );
    const folded = text.toLowerCase();
    params.push(folded, folded, text, text.toUpperCase(), text, searchedPassId(text));
  }
  if (after !== null) {
    conds.push(`(received_at, id) ${filter.newestFirst ? '<' : '>'} (?, ?)`);
    params.push(after.receivedAt, after.id);
  }
  const order = filter.newestFirst ? 'received_at DESC, id DESC' : 'received_at, id';
  return { sql: conds.length ? `WHERE ${conds.join(' AND ')}` : '', params, order };
}

/** What `rewriteSqliteFile` did. */
export interface Rewritten {
  pageSizeBefore: number;
  pageSizeAfter: number;
  /** The database file and its WAL, before and after. */
  bytesBefore: number;
  bytesAfter: number;
}

/**
 * Rewrites a database file whole (VACUUM) with the page size of a new one: a database made
 * before GateLog used 16 KiB pages keeps its 4 KiB ones until this runs, and its batches
 * commit at about half the speed. Also gives back the space of deleted rows. The page size can
 * change only out of WAL mode, which takes the only connection: while the server or another
 * command has the file open, this throws and changes nothing. Needs free disk space about the
 * size of the database.
 */
export function rewriteSqliteFile(file: string): Rewritten {
  const bytes = () =>
    [file, `${file}-wal`].reduce((n, f) => n + (existsSync(f) ? statSync(f).size : 0), 0);
  const bytesBefore = bytes();
  const db = new Database(file, { fileMustExist: true });
  try {
    // Not a newer GateLog's database: this one cannot tell what its rewrite would keep.
    refuseNewerSchema(appliedVersions(db), readMigrations(MIGRATIONS_DIR), { file });
    db.pragma('busy_timeout = 0');
    const pageSizeBefore = db.pragma('page_size', { simple: true }) as number;
    try {
      db.pragma('journal_mode = DELETE');
    } catch (err) {
      if ((err as { code?: string }).code !== 'SQLITE_BUSY') throw err;
      throw new SaidError((say) => say('rewriteInUse', { file }), { cause: err });
    }
    db.pragma(`page_size = ${PAGE_SIZE}`);
    db.exec('VACUUM');
    db.pragma('journal_mode = WAL');
    const pageSizeAfter = db.pragma('page_size', { simple: true }) as number;
    db.close();
    return { pageSizeBefore, pageSizeAfter, bytesBefore, bytesAfter: bytes() };
  } finally {
    if (db.open) db.close();
  }
}

interface RecordStatements {
  insert: Database.Statement<[Param[]]>;
  storedJson: Database.Statement<[string], string>;
  /** The stored JSON of the ids of a JSON array, as [id, json] rows. */
  storedJsonOf: Database.Statement<[string]>;
  batch: Database.Transaction<(rows: RecordRow[], sender?: BatchSender) => InsertResult>;
}

export interface SqliteStoreOptions {
  /**
   * 'main' (the default): the server's store; for a file, its sync batches and device touches
   * go to a writer thread while other requests wait (sqlite-writer.ts), and its WAL checkpoints
   * to another thread (sqlite-checkpointer.ts). 'writer': the writer thread's own store, which
   * writes in place.
   */
  role?: 'main' | 'writer';
}

/** How often, at most, `checkIntact` looks at the database file. */
const FILE_CHECK_EVERY_MS = 1_000;

/** A file's device and inode ('' when it is not there). */
function fileIdOf(file: string): string {
  try {
    const st = statSync(file);
    return `${st.dev}:${st.ino}`;
  } catch {
    return '';
  }
}

/**
 * Makes the database's folder (0700) and file (0600) before SQLite opens it, when they are not
 * there: the records hold names, ID numbers and phone numbers, and were readable by every user
 * of the machine (0644) while `admin-token` was not. SQLite gives the -wal and -shm it makes the
 * database file's mode. A file already there is left to `tightenSqliteFiles`.
 */
function createSqliteFilePrivately(file: string): void {
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  try {
    closeSync(openSync(file, 'wx', 0o600));
  } catch {
    // There already; anything else is SQLite's to report, with its own code (main.ts).
  }
}

/**
 * Takes away what other users may do with the database files already there (see
 * `createSqliteFilePrivately`). Called once the database was found to be one this GateLog may
 * open: a start refused on a newer GateLog's database leaves its files' modes as they were. A file
 * of another user is left as it is, with a warning: only its owner (or root) may change it. Both
 * are said in the terminal's language (npm start's output, or the command line's).
 */
function tightenSqliteFiles(file: string): void {
  const uid = process.getuid?.();
  if (uid === undefined) return; // Windows: no Unix modes to tighten
  const say = sayIn(terminalLocale());
  const tightened: string[] = [];
  for (const f of [file, `${file}-wal`, `${file}-shm`]) {
    let mode: number;
    let owner: number;
    try {
      ({ mode, uid: owner } = statSync(f));
    } catch {
      continue;
    }
    if ((mode & 0o077) === 0) continue;
    const was = (mode & 0o777).toString(8);
    try {
      if (owner !== uid) throw new Error(say('files.notOurs', { owner, uid }));
      chmodSync(f, mode & 0o700);
      tightened.push(f);
    } catch (err) {
      console.warn(say('files.leftOpen', { file: f, mode: was, why: (err as Error).message }));
    }
  }
  if (tightened.length > 0) {
    console.log(say('files.tightened', { files: tightened.join(', ') }));
  }
}

export class SqliteStore implements Store {
  readonly db: Database.Database;
  /** Test fault hook (src/server/faults.ts): runs inside a batch's transaction before COMMIT. */
  beforeCommit: (() => void) | undefined = undefined;
  private records: RecordStatements | undefined;
  /** Statements of every sync request (its device, its gate, the phone's touch), prepared once. */
  private readonly hot = new Map<string, Database.Statement>();
  private checkpointer: Checkpointer | undefined;
  /** Where batches are written, once the first comes (a file's main store only). */
  private writer: SqliteWriter | undefined;
  /** The opened file's device and inode, to tell it was replaced (`checkIntact`). */
  private fileId: string | undefined;
  private checkedAt = 0;
  private replaced = false;
  private writesInThread: boolean;
  /** kill-before-commit is armed: batches are written here, where it counts them. */
  private faultArmed = false;
  /** The WAL, in pages, past which a commit checkpoints: this connection's and the writer's. */
  private autocheckpointPages = DEFAULT_CHECKPOINT_PAGES;

  /** Opens (and creates) the database file; `:memory:` works too. */
  constructor(
    readonly file: string,
    { role = 'main' }: SqliteStoreOptions = {},
  ) {
    const onFile = file !== ':memory:' && file !== '';
    if (onFile && role === 'main') createSqliteFilePrivately(file);
    // The writer thread's file is the server's, open already: gone, it is not made anew.
    this.db = new Database(file, { fileMustExist: onFile && role === 'writer' });
    // A newer GateLog's database is refused before anything below changes the file (its journal
    // mode and its files' modes included): read, and closed again.
    if (role === 'main') {
      try {
        refuseNewerSchema(appliedVersions(this.db), readMigrations(MIGRATIONS_DIR), { file });
      } catch (err) {
        this.db.close();
        throw err;
      }
    }
    if (onFile && role === 'main') tightenSqliteFiles(file);
    // Before anything is written: a database made here gets PAGE_SIZE pages; an existing one
    // keeps the size it was made with, until `rewriteSqliteFile` (`gatelog db:rewrite`).
    this.db.pragma(`page_size = ${PAGE_SIZE}`);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    this.db.pragma('foreign_keys = ON');
    // An acknowledged record must survive a power cut: the phone will not send it again.
    this.db.pragma('synchronous = FULL');
    // Lower case as Unicode has it, for the log's search.
    this.db.function('fold', { deterministic: true }, (v: unknown) =>
      typeof v === 'string' ? v.toLowerCase() : v,
    );
    this.writesInThread = onFile && role === 'main';
    if (onFile && role === 'main') this.fileId = fileIdOf(file);
    if (onFile) {
      // WAL checkpoints off the request loop (sqlite-checkpointer.ts).
      const pageSize = this.db.pragma('page_size', { simple: true }) as number;
      this.checkpointEvery(Math.ceil(WRITER_CHECKPOINT_BYTES / pageSize));
    }
    if (this.writesInThread) {
      this.checkpointer = startCheckpointer(file, (why) => this.checkpointsBackInCommits(why));
    }
  }

  private checkpointEvery(pages: number): void {
    this.autocheckpointPages = pages;
    if (this.db.open) this.db.pragma(`wal_autocheckpoint = ${pages}`);
    this.writer?.call('walAutocheckpoint', [pages]).catch(() => undefined);
  }

  /** The checkpoint thread is gone: commits checkpoint as SQLite's own default has them. */
  private checkpointsBackInCommits(why: string): void {
    this.checkpointEvery(DEFAULT_CHECKPOINT_PAGES);
    // Nothing is lost, but the server's operator should hear of it (stderr).
    process.emitWarning(`SQLite checkpoints are back in the commits: ${why}`);
  }

  /** The writer thread, started now if it is not running: its connection checkpoints as this. */
  private startWriterThread(): SqliteWriter {
    return (this.writer ??= startWriter(this.file, this.autocheckpointPages));
  }

  /**
   * Starts the writer thread now: started at the first batch that needs it, its start-up
   * (≈0.3 s) fell on the requests of the first burst (20 phones: p95 455–519 against 262–279 ms).
   */
  serving(): void {
    if (this.writesInThread && !this.faultArmed && this.db.open) this.startWriterThread();
  }

  /** Arms faults.ts's kill-before-commit: `fire` runs in each batch's transaction. */
  armKillBeforeCommit(fire: () => void): void {
    this.faultArmed = true;
    this.beforeCommit = fire;
  }

  /**
   * Where a write goes: to the writer thread when the caller says other requests are waiting
   * (started then, the first time), or when the thread still has a write of its own (this
   * connection would wait for its lock); else here, in place, with no hand-over to pay. With
   * kill-before-commit armed, always here: its count of batches is this connection's.
   */
  private writerFor(hint?: WriteHint): SqliteWriter | undefined {
    if (!this.writesInThread || !this.db.open || this.faultArmed) return undefined;
    const gone = this.writer?.gone();
    if (gone) {
      // Nothing is lost: the batch it had failed and goes again; from now on, in place.
      this.writesInThread = false;
      process.emitWarning(`SQLite batches are written on the request loop again: ${gone.message}`);
      return undefined;
    }
    if (this.writer?.busy()) return this.writer;
    if (!hint?.othersWaiting) return undefined;
    return this.startWriterThread();
  }

  async migrate(): Promise<void> {
    const db = this.db;
    db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)`);
    const apply = db.transaction(() => {
      const done = new Set(appliedVersions(db));
      const migrations = readMigrations(MIGRATIONS_DIR);
      refuseNewerSchema(done, migrations, { file: this.file });
      for (const m of migrations) {
        if (done.has(m.version)) continue;
        db.exec(m.sql);
        db.prepare(
          'INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)',
        ).run(m.version, m.name, Date.now());
      }
    });
    apply.immediate();
  }

  async createGate(gate: NewGateRow): Promise<void> {
    this.db
      .prepare(
        `INSERT INTO gates (id, name, rules, created_at, highest_fever_threshold_c)
         VALUES (?, ?, ?, ?, ?)`,
      )
      .run(
        gate.id,
        gate.name,
        JSON.stringify(gate.rules),
        gate.createdAt,
        gate.rules.feverThresholdC,
      );
  }

  /** `sql` prepared the first time it is asked for, in better-sqlite3's default mode. */
  private prepared(sql: string): Database.Statement {
    let statement = this.hot.get(sql);
    if (!statement) this.hot.set(sql, (statement = this.db.prepare(sql)));
    return statement;
  }

  async getGate(id: string): Promise<GateRow | null> {
    const r = this.prepared('SELECT * FROM gates WHERE id = ?').get(id) as Row | undefined;
    return r ? toGate(r) : null;
  }

  async listGates(): Promise<GateRow[]> {
    const rows = this.db.prepare('SELECT * FROM gates ORDER BY created_at, id').all() as Row[];
    return rows.map(toGate);
  }

  async updateGate(id: string, patch: GatePatch): Promise<GateRow | null> {
    // json_patch (RFC 7396) replaces the keys given, arrays whole, and keeps the others. The
    // SET expressions all see the row as it was: the new threshold is read from the patch.
    const r = this.db
      .prepare(
        `UPDATE gates SET name = COALESCE(:name, name), rules = json_patch(rules, :rules),
           highest_fever_threshold_c = max(
             COALESCE(highest_fever_threshold_c, rules ->> '$.feverThresholdC'),
             json_patch(rules, :rules) ->> '$.feverThresholdC')
         WHERE id = :id RETURNING *`,
      )
      .get({ name: patch.name ?? null, rules: JSON.stringify(patch.rules ?? {}), id }) as
      Row | undefined;
    return r ? toGate(r) : null;
  }

  async createEnrollmentCode(code: EnrollmentCodeRow): Promise<void> {
    this.db
      .prepare(
        'INSERT INTO enrollment_codes (code_hash, gate_id, created_at, expires_at) VALUES (?, ?, ?, ?)',
      )
      .run(code.codeHash, code.gateId, code.createdAt, code.expiresAt);
  }

  async consumeEnrollmentCode(codeHash: string, now: number): Promise<ConsumeCodeResult> {
    return this.enrollWithCode(codeHash, now, () => ({ devices: [], revoke: [] }));
  }

  /** Why a code that could not be used was refused. */
  private codeRefusal(codeHash: string): ConsumeCodeResult {
    const r = this.db
      .prepare('SELECT used_at FROM enrollment_codes WHERE code_hash = ?')
      .get(codeHash) as Row | undefined;
    if (!r) return { ok: false, reason: 'unknown' };
    return { ok: false, reason: r.used_at != null ? 'used' : 'expired' };
  }

  async createDevice(d: NewDevice): Promise<void> {
    this.insertDevice(d);
  }

  private insertDevice(d: NewDevice): void {
    this.db
      .prepare(
        `INSERT INTO devices (id, gate_id, name, token_hash, created_at, former_devices)
         VALUES (?, ?, ?, ?, ?, ?)`,
      )
      .run(d.id, d.gateId, d.name, d.tokenHash, d.createdAt, formerDevicesJson(d));
  }

  async enrollWithCode(
    codeHash: string,
    now: number,
    plan: (gateId: string) => EnrollPlan,
  ): Promise<ConsumeCodeResult> {
    const run = this.db.transaction((): ConsumeCodeResult => {
      const used = this.db
        .prepare(
          `UPDATE enrollment_codes SET used_at = ?
           WHERE code_hash = ? AND used_at IS NULL AND expires_at > ? RETURNING gate_id`,
        )
        .get(now, codeHash, now) as Row | undefined;
      if (!used) return this.codeRefusal(codeHash);
      const gateId = String(used.gate_id);
      const { devices, revoke, retry } = plan(gateId);
      for (const d of devices) this.insertDevice(d);
      const revokeOne = this.db.prepare(
        'UPDATE devices SET revoked_at = COALESCE(revoked_at, ?) WHERE id = ?',
      );
      for (const id of revoke) revokeOne.run(now, id);
      if (retry) {
        this.db
          .prepare('UPDATE enrollment_codes SET retry_hash = ?, device_id = ? WHERE code_hash = ?')
          .run(retry.hash, retry.deviceId, codeHash);
      }
      return { ok: true, gateId };
    });
    return run.immediate();
  }

  async retryEnrollment(
    codeHash: string,
    retryHash: string,
    tokenHash: string,
    now: number,
  ): Promise<{ deviceId: string; gateId: string } | null> {
    const run = this.db.transaction(() => {
      const r = this.db
        .prepare(
          `SELECT d.id, d.gate_id FROM enrollment_codes c JOIN devices d ON d.id = c.device_id
           WHERE c.code_hash = ? AND c.retry_hash = ? AND c.expires_at > ?
             AND d.last_seen_at IS NULL AND d.revoked_at IS NULL`,
        )
        .get(codeHash, retryHash, now) as Row | undefined;
      if (!r) return null;
      this.db.prepare('UPDATE devices SET token_hash = ? WHERE id = ?').run(tokenHash, r.id);
      return { deviceId: String(r.id), gateId: String(r.gate_id) };
    });
    return run.immediate();
  }

  async getDeviceByTokenHash(tokenHash: string): Promise<DeviceRow | null> {
    const r = this.prepared('SELECT * FROM devices WHERE token_hash = ?').get(tokenHash) as
      Row | undefined;
    return r ? toDevice(r) : null;
  }

  async listDevices(): Promise<DeviceRow[]> {
    const rows = this.db.prepare('SELECT * FROM devices ORDER BY created_at, id').all() as Row[];
    return rows.map(toDevice);
  }

  async revokeDevice(id: string, now: number): Promise<boolean> {
    const r = this.db
      .prepare('UPDATE devices SET revoked_at = COALESCE(revoked_at, ?) WHERE id = ?')
      .run(now, id);
    return r.changes > 0;
  }

  async touchDevice(id: string, t: DeviceTouch): Promise<void> {
    const writer = this.writerFor();
    if (writer) return writer.call('touchDevice', [id, t]);
    this.db.transaction(() => this.touchDeviceNow(id, t))();
  }

  private touchDeviceNow(id: string, t: DeviceTouch): void {
    this.prepared('UPDATE devices SET last_seen_at = ? WHERE id = ?').run(t.seenAt, id);
    if (t.status) {
      const s = t.status;
      this.prepared(
        `UPDATE devices SET last_sync_at = ?, app_version = ?, pending = ?, oldest_pending_at = ?,
             persisted = ?, usage_bytes = ?, quota_bytes = ?
           WHERE id = ?`,
      ).run(
        t.seenAt,
        s.appVersion,
        s.pending,
        s.oldestPendingAt ?? null,
        s.persisted === undefined ? null : s.persisted ? 1 : 0,
        s.usageBytes ?? null,
        s.quotaBytes ?? null,
        id,
      );
    }
    if (t.lastRecordId !== undefined) {
      this.prepared(
        `UPDATE devices SET last_record_id = ?
           WHERE id = ? AND (last_record_id IS NULL OR last_record_id < ?)`,
      ).run(t.lastRecordId, id, t.lastRecordId);
    }
  }

  /** Prepared on first use: the records table exists only once `migrate()` has run. */
  private recordStatements(): RecordStatements {
    return (this.records ??= {
      insert: this.db.prepare<[Param[]]>(
        `INSERT INTO records (${RECORD_COLUMN_LIST})
         VALUES (${RECORD_COLUMNS.map(() => '?').join(', ')}) ON CONFLICT (id) DO NOTHING`,
      ),
      storedJson: this.db
        .prepare<[string], string>('SELECT json FROM records WHERE id = ?')
        .pluck(),
      storedJsonOf: this.db
        .prepare<[string]>(
          'SELECT id, json FROM records WHERE id IN (SELECT value FROM json_each(?))',
        )
        .raw(),
      batch: this.db.transaction((rows: RecordRow[], sender?: BatchSender) =>
        this.insertBatch(rows, sender),
      ),
    });
  }

  /**
   * A batch is one IMMEDIATE transaction of single-row statements prepared once. SQLite runs
   * in-process, so a call costs no round trip, and a cached single-row INSERT in a loop is
   * faster than one multi-row INSERT … RETURNING of the whole batch (≈1.5× measured on 500-row
   * batches). A stored id costs an INSERT that changes nothing, then a read of its json; after
   * one, the next row is looked up before it is inserted, which costs a quarter of a conflicting
   * INSERT: a resent batch is one index lookup a row, and its transaction writes nothing.
   */
  private insertBatch(rows: RecordRow[], sender?: BatchSender): InsertResult {
    const { insert, storedJson } = this.recordStatements();
    const inserted: string[] = [];
    const existing = new Map<string, string>();
    let lookFirst = false;
    for (const row of rows) {
      const stored = lookFirst ? storedJson.get(row.id) : undefined;
      if (stored === undefined && insert.run(recordParams(row)).changes > 0) {
        inserted.push(row.id);
        lookFirst = false;
      } else {
        existing.set(row.id, stored ?? storedJson.get(row.id)!);
        lookFirst = true;
      }
    }
    const result = { inserted, existing };
    if (sender) this.touchDeviceNow(sender.deviceId, batchTouch(sender, rows, result));
    if (rows.length > 0) this.beforeCommit?.();
    return result;
  }

  async insertRecords(
    rows: RecordRow[],
    sender?: BatchSender,
    hint?: WriteHint,
  ): Promise<InsertResult> {
    const writer = this.writerFor(hint);
    if (writer) return writer.call('insertRecords', [rows, sender]);
    return this.recordStatements().batch.immediate(rows, sender);
  }

  /**
   * One statement for all the ids (bound as one JSON array): a resent batch's 500 look-ups in
   * about half the time of a statement call an id (0.7 against 1.5 ms measured).
   */
  async storedRecordJson(ids: readonly string[]): Promise<Map<string, string>> {
    const found = new Map<string, string>();
    if (ids.length === 0) return found;
    const rows = this.recordStatements().storedJsonOf.all(JSON.stringify(ids)) as [
      string,
      string,
    ][];
    for (const [id, json] of rows) found.set(id, json);
    return found;
  }

  async shiftSummary(gateId: string, shiftId: string): Promise<ShiftRecordFacts[]> {
    const rows = this.db
      .prepare(
        `SELECT ${SHIFT_FACTS_COLUMNS} FROM records WHERE gate_id = ? AND shift_id = ? ORDER BY id`,
      )
      .all(gateId, shiftId) as Row[];
    return rows.map(toShiftFacts);
  }

  async laterVersions(gateId: string, shiftId: string): Promise<ShiftRecordFacts[]> {
    const rows = this.db
      .prepare(laterVersionsSql(() => '?'))
      .all(gateId, shiftId, gateId, shiftId) as Row[];
    return rows.map(toShiftFacts);
  }

  async saveShiftClose(c: ShiftCloseRow): Promise<void> {
    this.db
      .prepare(
        `INSERT INTO shift_closes (device_id, shift_id, gate_id, record_count, digest, receipt, closed_at)
         VALUES (?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (device_id, shift_id) DO UPDATE SET record_count = excluded.record_count,
           digest = excluded.digest, receipt = excluded.receipt, closed_at = excluded.closed_at`,
      )
      .run(c.deviceId, c.shiftId, c.gateId, c.recordCount, c.digest, c.receipt, c.closedAt);
  }

  async listLogs(filter: LogFilter, after: LogCursor | null, limit: number): Promise<LogRow[]> {
    const where = logWhere(filter, after);
    const rows = this.db
      .prepare(
        `SELECT *, ${CORRECTED_BY} FROM records ${where.sql} ORDER BY ${where.order} LIMIT ?`,
      )
      .all(...where.params, limit) as Row[];
    return rows.map(toLogRow);
  }

  async summarizeLogs(filter: LogFilter): Promise<LogSummary> {
    const where = logWhere(filter, null);
    const r = this.db
      .prepare(
        `SELECT gate_id, sum(cur) AS total, sum(cur AND is_fever) AS fever,
                sum(cur AND returnee_status <> 'none') AS returnee,
                sum(cur AND decision = 'refused') AS refused, sum(NOT cur) AS corrected
         FROM (SELECT gate_id, is_fever, returnee_status, decision, ${NOT_CORRECTED} AS cur
               FROM records ${where.sql})
         GROUP BY gate_id ORDER BY gate_id`,
      )
      .all(...where.params) as Row[];
    return logSummary(r);
  }

  async *streamLogs(filter: LogFilter): AsyncIterable<LogRow> {
    let after: LogCursor | null = null;
    for (;;) {
      const page = await this.listLogs(filter, after, STREAM_PAGE_ROWS);
      yield* page;
      const last = page.at(-1);
      if (!last || page.length < STREAM_PAGE_ROWS) return;
      after = { receivedAt: last.receivedAt, id: last.id };
      // A page is read on the request loop: let other requests (a phone's sync) in between
      // pages, or a long export holds them all until it ends.
      await new Promise((resolve) => setImmediate(resolve));
    }
  }

  async purgeRecords(receivedBefore: number): Promise<number> {
    return this.db.prepare('DELETE FROM records WHERE received_at < ?').run(receivedBefore).changes;
  }

  async addSigningKey(
    key: Omit<SigningKeyRow, 'active' | 'retiredAt'>,
    rotate: boolean,
  ): Promise<boolean> {
    const run = this.db.transaction((): boolean => {
      if (rotate) {
        this.db
          .prepare("UPDATE signing_keys SET slot = NULL, retired_at = ? WHERE slot = 'active'")
          .run(key.createdAt);
      }
      const r = this.db
        .prepare(
          `INSERT INTO signing_keys (kid, public_jwk, private_key, slot, created_at)
           VALUES (?, ?, ?, 'active', ?) ON CONFLICT DO NOTHING`,
        )
        .run(key.kid, key.publicJwk, key.privateKeyPem, key.createdAt);
      return r.changes > 0;
    });
    return run.immediate();
  }

  async getActiveSigningKey(): Promise<SigningKeyRow | null> {
    const r = this.db.prepare("SELECT * FROM signing_keys WHERE slot = 'active'").get() as
      Row | undefined;
    return r ? toSigningKey(r) : null;
  }

  async listPublishedSigningKeys(today: string): Promise<SigningKeyRow[]> {
    const rows = this.db
      .prepare(
        `SELECT * FROM signing_keys k WHERE k.slot = 'active'
           OR EXISTS (SELECT 1 FROM passes p WHERE p.kid = k.kid AND p.valid_until >= ?)
         ORDER BY k.created_at, k.kid`,
      )
      .all(today) as Row[];
    return rows.map(toSigningKey);
  }

  /** Logs a change, and drops what it makes needless (see `feed.ts`); inside the caller's transaction. */
  private insertChange(c: NewChange): void {
    const { lastInsertRowid: seq } = this.db
      .prepare(
        `INSERT INTO changes (kind, entity_id, gate_id, payload, created_at, ends_on)
         VALUES (?, ?, ?, ?, ?, ?)`,
      )
      .run(c.kind, c.entityId, c.gateId, c.payload, c.createdAt, c.endsOn);
    this.db
      .prepare('DELETE FROM changes WHERE entity_id = ? AND kind IN (?, ?) AND seq < ?')
      .run(c.entityId, ...sameEntityKinds(c.kind), seq);
    this.db.prepare('DELETE FROM changes WHERE ends_on < ?').run(feedCutoff(c.createdAt));
  }

  async insertPass(p: PassRow, change: NewChange): Promise<void> {
    this.db
      .transaction(() => {
        this.db
          .prepare(
            `INSERT INTO passes (id, gate_id, name, address, valid_until, kid, token, created_at, revoked_at)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
          )
          .run(
            p.id,
            p.gateId,
            p.name,
            p.address,
            p.validUntil,
            p.kid,
            p.token,
            p.createdAt,
            p.revokedAt,
          );
        this.insertChange(change);
      })
      .immediate();
  }

  async getPass(id: string): Promise<PassRow | null> {
    const r = this.db.prepare('SELECT * FROM passes WHERE id = ?').get(id) as Row | undefined;
    return r ? toPass(r) : null;
  }

  async listPasses(filter: { gateId?: string; includeRevoked?: boolean }): Promise<PassRow[]> {
    const conds: string[] = [];
    const params: Param[] = [];
    if (filter.gateId !== undefined) {
      conds.push('(gate_id IS NULL OR gate_id = ?)');
      params.push(filter.gateId);
    }
    if (!filter.includeRevoked) conds.push('revoked_at IS NULL');
    const where = conds.length ? `WHERE ${conds.join(' AND ')}` : '';
    const rows = this.db
      .prepare(`SELECT * FROM passes ${where} ORDER BY created_at, id`)
      .all(...params) as Row[];
    return rows.map(toPass);
  }

  async revokePass(
    id: string,
    now: number,
    change: (revoked: PassRow) => NewChange,
  ): Promise<{ pass: PassRow; changed: boolean } | null> {
    const run = this.db.transaction(() => {
      const updated = this.db
        .prepare('UPDATE passes SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL RETURNING *')
        .get(now, id) as Row | undefined;
      if (updated) {
        const pass = toPass(updated);
        this.insertChange(change(pass));
        return { pass, changed: true };
      }
      const r = this.db.prepare('SELECT * FROM passes WHERE id = ?').get(id) as Row | undefined;
      return r ? { pass: toPass(r), changed: false } : null;
    });
    return run.immediate();
  }

  async insertWatch(w: WatchRow, change: NewChange): Promise<void> {
    this.db
      .transaction(() => {
        this.db
          .prepare(
            `INSERT INTO watchlist (id, name, until, pass_id, id_number, phone, address, note, created_at)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
          )
          .run(
            w.id,
            w.name,
            w.until,
            w.passId,
            w.idNumber,
            w.phone,
            w.address,
            w.note,
            w.createdAt,
          );
        this.insertChange(change);
      })
      .immediate();
  }

  async deleteWatch(id: string, change: (removed: WatchRow) => NewChange): Promise<boolean> {
    const run = this.db.transaction((): boolean => {
      const r = this.db.prepare('DELETE FROM watchlist WHERE id = ? RETURNING *').get(id) as
        Row | undefined;
      if (!r) return false;
      this.insertChange(change(toWatch(r)));
      return true;
    });
    return run.immediate();
  }

  async listWatch(): Promise<WatchRow[]> {
    const rows = this.db.prepare('SELECT * FROM watchlist ORDER BY created_at, id').all() as Row[];
    return rows.map(toWatch);
  }

  async listChanges(gateId: string, afterSeq: number, limit: number): Promise<ChangeRow[]> {
    const rows = this.db
      .prepare(
        `SELECT * FROM changes WHERE seq > ? AND (gate_id IS NULL OR gate_id = ?)
         ORDER BY seq LIMIT ?`,
      )
      .all(afterSeq, gateId, limit) as Row[];
    return rows.map(toChange);
  }

  async ping(): Promise<void> {
    this.checkIntact();
    this.db.prepare('SELECT 1').get();
  }

  checkIntact(): void {
    if (this.fileId === undefined) return;
    const now = Date.now();
    if (!this.replaced && now - this.checkedAt >= FILE_CHECK_EVERY_MS) {
      this.checkedAt = now;
      this.replaced = fileIdOf(this.file) !== this.fileId;
    }
    if (this.replaced) {
      throw Object.assign(
        new Error(
          `The database file ${this.file} was removed or replaced while the server ran: ` +
            'stop the server, put the file in place, and start it again',
        ),
        { code: 'GATELOG_DB_REPLACED' },
      );
    }
  }

  async close(): Promise<void> {
    // The writer's and the checkpointer's connections first, so the last one to close, which
    // checkpoints the whole WAL and removes it, is this one.
    await this.writer?.close();
    await this.checkpointer?.stop();
    if (this.db.open) this.db.close();
  }
}
