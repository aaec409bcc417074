/**
 * The PostgreSQL store (DATABASE_URL=postgres://…): the same contract as the SQLite store, so
 * any number of stateless server instances can share one database.
 *
 * - Migrations run in one transaction under an advisory lock, so instances that start at the
 *   same moment apply each one exactly once.
 * - A sync batch whose first record is stored (a batch sent again) first looks its ids up
 *   (`SELECT id, json … WHERE id = ANY(…)`, the primary key only): a resent batch ends there,
 *   its rows never sent, nothing written. The rows not found, or a batch whose first record is
 *   not stored, go in one transaction, by `COPY records FROM STDIN` (PostgreSQL's bulk path: 13 %
 *   more records a second than the multi-row INSERT in the store bench). Should one of them be
 *   stored already (a batch mixing new and stored records, or another instance storing it since
 *   the look-up), COPY fails on the primary key and the batch goes
 *   again as a multi-row `INSERT … SELECT FROM unnest(…) ON CONFLICT (id) DO NOTHING RETURNING
 *   id`, then, only if it skipped some, one more look-up of those. That must be a later
 *   statement: when another instance is inserting the same id, ON CONFLICT waits for it to
 *   commit and skips the row, and only a later statement (READ COMMITTED takes a new snapshot
 *   per statement) can see that row's content to tell a duplicate from a conflict. Rows go in
 *   in id order, so two batches that share ids always lock them in the same order and cannot
 *   deadlock.
 * - Reads return exactly what the SQLite store returns: bigint columns as JS numbers, numeric
 *   as numbers, booleans as booleans.
 * - Long reads (the CSV export) go page by page by keyset, so no connection is held while a
 *   slow client downloads.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
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
import { refuseDatabaseEncoding, refuseNewerSchema } from './schema-version';
import { batchTouch } from './types';
import { feedCutoff, sameEntityKinds } from './feed';

export const PG_POOL_MAX_DEFAULT = 10;
const CONNECT_TIMEOUT_MS = 5_000;
const IDLE_TIMEOUT_MS = 30_000;
const PING_TIMEOUT_MS = 3_000;
/** Rows per INSERT statement (when COPY met a conflict); a sync batch (≤ 500) is one. */
const INSERT_CHUNK_ROWS = 5_000;
const STREAM_PAGE_ROWS = 1_000;
/** Attempts of a batch insert that lost a deadlock or serialization race. */
const INSERT_ATTEMPTS = 3;
/** First key of the migration advisory lock ('GLmg'); the second is the schema's hash. */
const MIGRATE_LOCK_KEY = 0x474c6d67;
/** Advisory lock ('GLch') that writers of the pull feed take in turn (see 002-passes.sql). */
const CHANGES_LOCK_KEY = 0x474c6368;

const MIGRATIONS_DIR = join(dirname(fileURLToPath(import.meta.url)), 'migrations', 'postgres');

const OID_INT8 = 20;
const OID_NUMERIC = 1700;

/** Parses int8 to a JS number, refusing values a number cannot hold exactly. */
function parseInt8(text: string): number {
  const n = Number(text);
  if (!Number.isSafeInteger(n))
    throw new RangeError(`bigint ${text} is beyond Number.MAX_SAFE_INTEGER`);
  return n;
}

const pgTypes = new pg.TypeOverrides();
pgTypes.setTypeParser(OID_INT8, parseInt8);
pgTypes.setTypeParser(OID_NUMERIC, (text: string) => Number(text));

/** Per column of `records`: the array type its unnest() parameter is cast to. */
const PG_ARRAY_TYPE: Record<(typeof RECORD_COLUMNS)[number][0], string> = {
  id: 'text[]',
  schema_version: 'int[]',
  device_id: 'text[]',
  gate_id: 'text[]',
  shift_id: 'text[]',
  guard: 'text[]',
  occurred_at: 'text[]',
  occurred_ms: 'bigint[]',
  direction: 'text[]',
  category: 'text[]',
  name: 'text[]',
  id_type: 'text[]',
  id_number: 'text[]',
  phone: 'text[]',
  address: 'text[]',
  pass_id: 'text[]',
  temperature_c: 'numeric[]',
  returnee_status: 'text[]',
  returnee_origin: 'text[]',
  arrived_on: 'text[]',
  quarantine_until: 'text[]',
  registered: 'boolean[]',
  decision: 'text[]',
  note: 'text[]',
  amends: 'text[]',
  is_fever: 'boolean[]',
  received_at: 'bigint[]',
  batch_id: 'text[]',
  json: 'text[]',
};

/** Every column is sent as text[] (see textArray), cast in SQL where it is not text. */
const unnestArg = ([column]: (typeof RECORD_COLUMNS)[number], i: number): string =>
  PG_ARRAY_TYPE[column] === 'text[]'
    ? `$${i + 1}::text[]`
    : `$${i + 1}::text[]::${PG_ARRAY_TYPE[column]}`;

const INSERT_RECORDS_SQL = `INSERT INTO records (${RECORD_COLUMN_LIST})
  SELECT * FROM unnest(${RECORD_COLUMNS.map(unnestArg).join(', ')})`;

/** A batch's new rows, not stored a moment ago: COPY's bulk insert, with no conflict check. */
const COPY_RECORDS_SQL = `COPY records (${RECORD_COLUMN_LIST}) FROM STDIN`;

/** The same rows again when another batch stored one of them since (COPY met unique_violation). */
const INSERT_SKIPPING_SQL = `${INSERT_RECORDS_SQL} ON CONFLICT (id) DO NOTHING RETURNING id`;

type Row = Record<string, unknown>;
type Param = string | number | boolean | null | Param[] | Buffer;
type Scalar = string | number | boolean | null;

const OID_TEXT = 25;

/**
 * A `text[]` parameter in PostgreSQL's binary array format (what array_send writes: a header,
 * then each element's byte length and its UTF-8 bytes). pg sends a Buffer as binary, so nothing
 * is quoted or escaped on either side: for a batch's canonical JSON, full of quotes, this costs
 * a third of what pg's array literal does. Numbers and booleans go as their text.
 */
function textArray(values: readonly Scalar[]): Buffer {
  let size = 20;
  for (const v of values) size += 4 + (typeof v === 'string' ? v.length * 3 : 24);
  const buf = Buffer.allocUnsafe(size);
  let at = buf.writeInt32BE(1, 0); // dimensions
  at = buf.writeInt32BE(values.includes(null) ? 1 : 0, at); // has nulls
  at = buf.writeInt32BE(OID_TEXT, at);
  at = buf.writeInt32BE(values.length, at);
  at = buf.writeInt32BE(1, at); // lower bound
  for (const v of values) {
    if (v === null) {
      at = buf.writeInt32BE(-1, at);
      continue;
    }
    const bytes = buf.write(pgText(String(v)), at + 4);
    at = buf.writeInt32BE(bytes, at) + bytes;
  }
  return buf.subarray(0, at);
}

/** Numbered `NNN-name.sql` files, in order. */
export function readPgMigrations(
  dir = MIGRATIONS_DIR,
): { version: number; name: string; sql: string }[] {
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

/**
 * PostgreSQL text cannot hold U+0000, which the record schema lets through: every text the
 * store sends goes through this, in the three ways text leaves it (query parameters, see
 * `Client`; binary `text[]` parameters, `textArray`; COPY, `copyValue`). The columns are copies
 * for queries and the CSV; the canonical `json` (where JSON escapes it) stays exact.
 */
const pgText = <T>(v: T): T =>
  typeof v === 'string' && v.includes('\0') ? (v.replace(/\0/g, '\uFFFD') as T) : v;

/** A query parameter as the store writes text: U+0000 replaced, in arrays too. */
const pgParam = (v: unknown): unknown =>
  typeof v === 'string' ? pgText(v) : Array.isArray(v) ? v.map(pgParam) : v;

/**
 * The pool's connections: every text parameter goes as the store writes text (`pgText`), so
 * a look-up by an id or name holding U+0000 (bad input: a URL's `%00`, a record's id) finds
 * what the store holds, or nothing, instead of failing the request with PostgreSQL's "invalid
 * byte sequence".
 */
class Client extends pg.Client {
  // One signature for pg's many overloads; each call gets back what pg gives it.
  override query(...args: unknown[]): never {
    const [config, values] = args as [{ values?: unknown } | string | undefined, unknown];
    if (Array.isArray(values)) args[1] = values.map(pgParam);
    else if (typeof config === 'object' && config !== null && Array.isArray(config.values)) {
      // A config object, or a Submittable (a cursor) that reads its own `values`.
      config.values = config.values.map(pgParam);
    }
    return (super.query as (...a: unknown[]) => never)(...args);
  }
}

/** What COPY's text format escapes: its delimiter, line ends and its escape character. */
const COPY_SPECIAL = /[\\\t\n\r]/;
const COPY_SPECIAL_ALL = new RegExp(COPY_SPECIAL.source, 'g');
const COPY_ESCAPES: Record<string, string> = {
  '\\': '\\\\',
  '\t': '\\t',
  '\n': '\\n',
  '\r': '\\r',
};

/** One value in COPY's text format: `\N` for null, t/f, numbers as their text, text escaped. */
function copyValue(v: Scalar | undefined): string {
  if (v === null || v === undefined) return '\\N';
  if (typeof v === 'boolean') return v ? 't' : 'f';
  const text = typeof v === 'string' ? pgText(v) : String(v);
  // Tested first: hardly any value has one, and the replace costs more (≈1 ms a batch).
  return COPY_SPECIAL.test(text) ? text.replace(COPY_SPECIAL_ALL, (c) => COPY_ESCAPES[c]!) : text;
}

/** The rows as COPY_RECORDS_SQL's input: a line a row, columns in RECORD_COLUMNS' order. */
function copyRows(rows: readonly RecordRow[]): string {
  let out = '';
  for (const row of rows) {
    let line = copyValue(row[RECORD_COLUMNS[0][1]]);
    for (let i = 1; i < RECORD_COLUMNS.length; i++)
      line += '\t' + copyValue(row[RECORD_COLUMNS[i]![1]]);
    out += line + '\n';
  }
  return out;
}

/**
 * COPY's input a few rows at a time: PostgreSQL stores the first rows while the rest are being
 * written out, on another core. The batch's text whole, then sent, kept the two in turn: a fresh
 * 500-record batch took ≈11–12 ms against ≈9 in chunks of 20 rows (store bench, side by side;
 * 5 to 20 rows a chunk did equally well, 100 less, 250 little).
 */
const COPY_CHUNK_ROWS = 20;
function* copyChunks(rows: readonly RecordRow[]): Generator<Buffer> {
  for (let i = 0; i < rows.length; i += COPY_CHUNK_ROWS) {
    yield Buffer.from(copyRows(rows.slice(i, i + COPY_CHUNK_ROWS)));
  }
}

const { toGate, toDevice, toLogRow, toShiftFacts } = rowReaders({
  truth: true,
  json: (v) => v,
});

/** One array per column, rows in the given order: the parameters of INSERT_RECORDS_SQL. */
function columnArrays(rows: readonly RecordRow[]): Buffer[] {
  return RECORD_COLUMNS.map(([, key]) => textArray(rows.map((row) => row[key] ?? null)));
}

/** WHERE and ORDER BY of a log query; shared by the page and the stream. */
function logWhere(
  filter: LogFilter,
  after: LogCursor | null,
): { sql: string; params: Param[]; order: string } {
  const conds: string[] = [];
  const params: Param[] = [];
  const p = (v: Param): string => {
    params.push(v);
    return `$${params.length}`;
  };
  if (filter.gateId !== undefined) conds.push(`gate_id = ${p(filter.gateId)}`);
  if (filter.fromMs !== undefined) conds.push(`occurred_ms >= ${p(filter.fromMs)}`);
  if (filter.toMs !== undefined) conds.push(`occurred_ms < ${p(filter.toMs)}`);
  if (filter.receivedFromMs !== undefined) {
    conds.push(`received_at >= ${p(filter.receivedFromMs)}`);
  }
  if (filter.receivedToMs !== undefined) conds.push(`received_at < ${p(filter.receivedToMs)}`);
  if (filter.flag === 'fever') conds.push('is_fever');
  if (filter.flag === 'returnee') conds.push("returnee_status <> 'none'");
  if (filter.flag === 'refused') conds.push("decision = 'refused'");
  // A flag is of the record as it stands: one a later record corrected is not flagged by it.
  if (filter.flag !== undefined) conds.push(NOT_CORRECTED);
  if (filter.search !== undefined) {
    const text = p(filter.search);
    const id = p(filter.search.toUpperCase());
    const pass = p(searchedPassId(filter.search));
    // Any case: lower() on both sides (folding as the database's LC_CTYPE does: a UTF-8 locale
    // folds É, Ω and full-width letters, as SQLite's store does).
    conds.push(
      `(strpos(lower(name), lower(${text})) > 0 OR strpos(lower(address), lower(${text})) > 0 OR strpos(phone, ${text}) > 0 OR id_number = ${id} OR pass_id IN (${text}, ${pass}))`,
    );
  }
  if (after !== null) {
    const op = filter.newestFirst ? '<' : '>';
    conds.push(`(received_at, id) ${op} (${p(after.receivedAt)}::bigint, ${p(after.id)}::text)`);
  }
  const order = filter.newestFirst ? 'received_at DESC, id DESC' : 'received_at, id';
  return { sql: conds.length ? `WHERE ${conds.join(' AND ')}` : '', params, order };
}

const UNIQUE_VIOLATION = '23505';

const errorCode = (err: unknown): unknown => (err as { code?: unknown } | null)?.code;

function isRetryable(err: unknown): boolean {
  const code = errorCode(err);
  return code === '40P01' || code === '40001';
}

/** Why a code that could not be used was refused. */
async function codeRefusal(
  db: pg.PoolClient | pg.Pool,
  codeHash: string,
): Promise<ConsumeCodeResult> {
  const r = await db.query('SELECT used_at FROM enrollment_codes WHERE code_hash = $1', [codeHash]);
  if (!r.rows[0]) return { ok: false, reason: 'unknown' };
  return { ok: false, reason: r.rows[0].used_at != null ? 'used' : 'expired' };
}

async function insertDevice(db: pg.PoolClient | pg.Pool, d: NewDevice): Promise<void> {
  await db.query(
    `INSERT INTO devices (id, gate_id, name, token_hash, created_at, former_devices)
     VALUES ($1, $2, $3, $4, $5, $6::jsonb)`,
    [d.id, d.gateId, d.name, d.tokenHash, d.createdAt, formerDevicesJson(d)],
  );
}

/** `fn` inside BEGIN … COMMIT on `client`; ROLLBACK on any error. */
async function inTransaction<T>(client: pg.PoolClient, fn: () => Promise<T>): Promise<T> {
  await client.query('BEGIN');
  try {
    const result = await fn();
    await client.query('COMMIT');
    return result;
  } catch (err) {
    await client.query('ROLLBACK').catch(() => {
      // The caller closes this connection: it saw an error.
    });
    throw err;
  }
}

/** The stored canonical JSON of each of `ids` that is stored. */
async function storedJson(
  client: pg.PoolClient | pg.Pool,
  ids: string[],
): Promise<Map<string, string>> {
  const r = await client.query<[string, string]>({
    text: 'SELECT id, json FROM records WHERE id = ANY($1::text[])',
    values: [textArray(ids)],
    rowMode: 'array',
  });
  return new Map(r.rows);
}

/** Writes `rows` with COPY: every one goes in, or the statement fails. The ids written. */
async function copyIn(client: pg.PoolClient, rows: readonly RecordRow[]): Promise<Set<string>> {
  const input = Readable.from(copyChunks(rows));
  await pipeline(input, client.query(copyFrom(COPY_RECORDS_SQL)));
  return new Set(rows.map((r) => r.id));
}

/** Writes those of `rows` not stored yet (see INSERT_SKIPPING_SQL). The ids written. */
async function insertSkipping(
  client: pg.PoolClient,
  rows: readonly RecordRow[],
): Promise<Set<string>> {
  const returned = new Set<string>();
  for (let i = 0; i < rows.length; i += INSERT_CHUNK_ROWS) {
    const chunk = rows.slice(i, i + INSERT_CHUNK_ROWS);
    const r = await client.query<{ id: string }>(INSERT_SKIPPING_SQL, columnArrays(chunk));
    for (const { id } of r.rows) returned.add(id);
  }
  return returned;
}

export interface PostgresStoreOptions {
  /** `postgres://user:pass@host:port/db`; `?options=-c search_path=…` picks a schema. */
  url: string;
  /** Most connections this instance opens. Default 10. */
  poolMax?: number;
  /** Errors of idle connections (the database restarted, a proxy cut the line). */
  onIdleError?: (err: Error) => void;
}

export class PostgresStore implements Store {
  readonly pool: pg.Pool;
  private readonly inflight = new Set<Promise<unknown>>();
  private closing: Promise<void> | null = null;

  constructor(opts: PostgresStoreOptions) {
    this.pool = new pg.Pool({
      connectionString: opts.url,
      max: opts.poolMax ?? PG_POOL_MAX_DEFAULT,
      connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
      idleTimeoutMillis: IDLE_TIMEOUT_MS,
      keepAlive: true,
      fallback_application_name: 'gatelog',
      types: pgTypes,
      Client,
      // GateLog's queries are short and many: PostgreSQL's JIT compiler, which starts on a
      // query's estimated cost, spent ≈1 s compiling the log summary of a busy day (100,000
      // records) that runs in ≈0.35 s without it. Set before the pool hands the connection out
      // (a query sent meanwhile would be queued on a busy client, which pg deprecates); an
      // engine without the setting answers an error, ignored.
      onConnect: async (client) => {
        await client.query('SET jit = off').catch(() => undefined);
      },
    });
    // Without a listener an idle connection's error would crash the process; the pool drops
    // that connection and opens a new one on demand.
    const onIdleError =
      opts.onIdleError ??
      ((err: Error) => console.warn(`gatelog: PostgreSQL idle connection error: ${err.message}`));
    this.pool.on('error', onIdleError);
  }

  /** Runs one store operation, so `close()` can wait for every operation in flight. */
  private op<T>(fn: () => Promise<T>): Promise<T> {
    if (this.closing) return Promise.reject(new Error('The PostgreSQL store is closed'));
    const p = fn();
    this.inflight.add(p);
    const done = () => this.inflight.delete(p);
    p.then(done, done);
    return p;
  }

  private query(text: string, params: readonly Param[] = []): Promise<pg.QueryResult<Row>> {
    return this.op(() => this.pool.query<Row>(text, params as Param[]));
  }

  /**
   * `fn` with one connection of the pool. As `pool.query` does, a connection that saw an error
   * is closed rather than reused (a failed ROLLBACK leaves it in an unknown state).
   */
  private withClient<T>(fn: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    return this.op(async () => {
      const client = await this.pool.connect();
      let failed: Error | undefined;
      try {
        return await fn(client);
      } catch (err) {
        failed = err as Error;
        throw err;
      } finally {
        client.release(failed);
      }
    });
  }

  /** `fn` inside BEGIN … COMMIT on one connection; ROLLBACK on any error. */
  private transaction<T>(fn: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    return this.withClient((client) => inTransaction(client, () => fn(client)));
  }

  async migrate(): Promise<void> {
    const migrations = readPgMigrations();
    await this.transaction(async (c) => {
      // Per schema, so test runs in separate schemas of one database do not wait on each other.
      await c.query("SELECT pg_advisory_xact_lock($1, hashtext(coalesce(current_schema(), '')))", [
        MIGRATE_LOCK_KEY,
      ]);
      const [db] = (
        await c.query<{ encoding: string; migrated: boolean }>(
          `SELECT current_setting('server_encoding') AS encoding,
             to_regclass('schema_migrations') IS NOT NULL AS migrated`,
        )
      ).rows;
      refuseDatabaseEncoding(db!.encoding, db!.migrated, 'DATABASE_URL');
      await c.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
        version integer PRIMARY KEY, name text NOT NULL, applied_at bigint NOT NULL)`);
      const done = new Set(
        (await c.query<{ version: number }>('SELECT version FROM schema_migrations')).rows.map(
          (r) => r.version,
        ),
      );
      refuseNewerSchema(done, migrations, 'DATABASE_URL');
      for (const m of migrations) {
        if (done.has(m.version)) continue;
        await c.query(m.sql);
        await c.query(
          'INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)',
          [m.version, m.name, Date.now()],
        );
      }
    });
  }

  async createGate(gate: NewGateRow): Promise<void> {
    await this.query(
      `INSERT INTO gates (id, name, rules, created_at, highest_fever_threshold_c)
       VALUES ($1, $2, $3::jsonb, $4, $5)`,
      [gate.id, gate.name, JSON.stringify(gate.rules), gate.createdAt, gate.rules.feverThresholdC],
    );
  }

  async getGate(id: string): Promise<GateRow | null> {
    const r = await this.query('SELECT * FROM gates WHERE id = $1', [id]);
    return r.rows[0] ? toGate(r.rows[0]) : null;
  }

  async listGates(): Promise<GateRow[]> {
    const r = await this.query('SELECT * FROM gates ORDER BY created_at, id');
    return r.rows.map(toGate);
  }

  async updateGate(id: string, patch: GatePatch): Promise<GateRow | null> {
    // jsonb `||` replaces the top-level keys given, arrays whole, and keeps the others. The
    // SET expressions all see the row as it was: the new threshold is read from the patch.
    const r = await this.query(
      `UPDATE gates SET name = COALESCE($2, name), rules = rules || $3::jsonb,
         highest_fever_threshold_c = GREATEST(highest_fever_threshold_c,
           ((rules || $3::jsonb) ->> 'feverThresholdC')::double precision)
       WHERE id = $1 RETURNING *`,
      [id, patch.name ?? null, JSON.stringify(patch.rules ?? {})],
    );
    return r.rows[0] ? toGate(r.rows[0]) : null;
  }

  async createEnrollmentCode(code: EnrollmentCodeRow): Promise<void> {
    await this.query(
      'INSERT INTO enrollment_codes (code_hash, gate_id, created_at, expires_at) VALUES ($1, $2, $3, $4)',
      [code.codeHash, code.gateId, code.createdAt, code.expiresAt],
    );
  }

  async consumeEnrollmentCode(codeHash: string, now: number): Promise<ConsumeCodeResult> {
    return this.enrollWithCode(codeHash, now, () => ({ devices: [], revoke: [] }));
  }

  async createDevice(d: NewDevice): Promise<void> {
    await insertDevice(this.pool, d);
  }

  async enrollWithCode(
    codeHash: string,
    now: number,
    plan: (gateId: string) => EnrollPlan,
  ): Promise<ConsumeCodeResult> {
    return this.transaction(async (c) => {
      // A concurrent enrollment waits for the row lock and then re-checks `used_at IS NULL`,
      // so of two at once exactly one gets the row back.
      const used = await c.query(
        `UPDATE enrollment_codes SET used_at = $1
         WHERE code_hash = $2 AND used_at IS NULL AND expires_at > $1 RETURNING gate_id`,
        [now, codeHash],
      );
      if (!used.rows[0]) return codeRefusal(c, codeHash);
      const gateId = String(used.rows[0].gate_id);
      const { devices, revoke, retry } = plan(gateId);
      for (const d of devices) await insertDevice(c, d);
      for (const id of revoke) {
        await c.query('UPDATE devices SET revoked_at = COALESCE(revoked_at, $1) WHERE id = $2', [
          now,
          id,
        ]);
      }
      if (retry) {
        await c.query(
          'UPDATE enrollment_codes SET retry_hash = $1, device_id = $2 WHERE code_hash = $3',
          [retry.hash, retry.deviceId, codeHash],
        );
      }
      return { ok: true, gateId };
    });
  }

  async retryEnrollment(
    codeHash: string,
    retryHash: string,
    tokenHash: string,
    now: number,
  ): Promise<{ deviceId: string; gateId: string } | null> {
    return this.transaction(async (c) => {
      // The device's row locked: a sync with the lost token cannot slip in between.
      const r = await c.query(
        `SELECT d.id, d.gate_id FROM enrollment_codes c JOIN devices d ON d.id = c.device_id
         WHERE c.code_hash = $1 AND c.retry_hash = $2 AND c.expires_at > $3
           AND d.last_seen_at IS NULL AND d.revoked_at IS NULL
         FOR UPDATE OF d`,
        [codeHash, retryHash, now],
      );
      const row = r.rows[0];
      if (!row) return null;
      await c.query('UPDATE devices SET token_hash = $1 WHERE id = $2', [tokenHash, row.id]);
      return { deviceId: String(row.id), gateId: String(row.gate_id) };
    });
  }

  async getDeviceByTokenHash(tokenHash: string): Promise<DeviceRow | null> {
    const r = await this.query('SELECT * FROM devices WHERE token_hash = $1', [tokenHash]);
    return r.rows[0] ? toDevice(r.rows[0]) : null;
  }

  async listDevices(): Promise<DeviceRow[]> {
    const r = await this.query('SELECT * FROM devices ORDER BY created_at, id');
    return r.rows.map(toDevice);
  }

  async revokeDevice(id: string, now: number): Promise<boolean> {
    const r = await this.query(
      'UPDATE devices SET revoked_at = COALESCE(revoked_at, $1) WHERE id = $2',
      [now, id],
    );
    return (r.rowCount ?? 0) > 0;
  }

  async touchDevice(id: string, t: DeviceTouch): Promise<void> {
    await this.withClient((client) => this.touchDeviceOn(client, id, t));
  }

  private async touchDeviceOn(client: pg.PoolClient, id: string, t: DeviceTouch): Promise<void> {
    // One statement, so a touch is atomic and `last_record_id` only ever grows, even when two
    // instances touch the same phone at once.
    const params: Param[] = [id, t.seenAt];
    const p = (v: Param): string => {
      params.push(v);
      return `$${params.length}`;
    };
    const sets = ['last_seen_at = $2'];
    if (t.status) {
      const s = t.status;
      sets.push(
        'last_sync_at = $2',
        `app_version = ${p(s.appVersion)}`,
        `pending = ${p(s.pending)}`,
        `oldest_pending_at = ${p(s.oldestPendingAt ?? null)}`,
        `persisted = ${p(s.persisted ?? null)}::boolean`,
        `usage_bytes = ${p(s.usageBytes ?? null)}::double precision`,
        `quota_bytes = ${p(s.quotaBytes ?? null)}::double precision`,
      );
    }
    if (t.lastRecordId !== undefined) {
      const last = p(t.lastRecordId);
      sets.push(
        `last_record_id = CASE WHEN last_record_id IS NULL OR last_record_id < ${last}::text
           THEN ${last}::text ELSE last_record_id END`,
      );
    }
    await client.query(`UPDATE devices SET ${sets.join(', ')} WHERE id = $1`, params);
  }

  async insertRecords(
    rows: RecordRow[],
    sender?: BatchSender,
    hint?: WriteHint,
  ): Promise<InsertResult> {
    const touch = (r: InsertResult) => sender && batchTouch(sender, rows, r);
    if (rows.length === 0) {
      const none = { inserted: [], existing: new Map<string, string>() };
      if (sender) await this.touchDevice(sender.deviceId, touch(none)!);
      return none;
    }
    return this.withClient(async (client) => {
      // A batch whose first record is stored is most likely sent again (its answer was lost):
      // its ids are looked up, and a resent batch is answered from the index, its rows never
      // sent. Any other goes straight to COPY without that look-up (500 index probes); it meets
      // a stored id only when a batch mixes new and stored records, and then goes again row by
      // row (insertFresh). The route's own look-up of the first id may have answered already.
      const ids = [...new Set(rows.map((r) => r.id))];
      const sentAgain = !hint?.firstNotStored && (await storedJson(client, [ids[0]!])).size > 0;
      const existing = sentAgain ? await storedJson(client, ids) : new Map<string, string>();
      const fresh = rows.filter((r) => !existing.has(r.id));
      if (fresh.length === 0) {
        const result = { inserted: [], existing };
        if (sender) await this.touchDeviceOn(client, sender.deviceId, touch(result)!);
        return result;
      }
      // The touch goes in the INSERT's transaction: one commit for the batch.
      const result = await this.insertFresh(client, fresh, (r) => {
        for (const [id, json] of existing) r.existing.set(id, json);
        const t = touch(r);
        return t && this.touchDeviceOn(client, sender!.deviceId, t);
      });
      return result;
    });
  }

  async storedRecordJson(ids: readonly string[]): Promise<Map<string, string>> {
    return this.op(() => storedJson(this.pool, [...new Set(ids)]));
  }

  /**
   * The rows not stored a moment ago, in one transaction (see INSERT_SQL); retried if it loses
   * a deadlock.
   */
  private async insertFresh(
    client: pg.PoolClient,
    rows: RecordRow[],
    /** Runs in the transaction once the rows are in (the sender's touch). */
    inserted: (r: InsertResult) => Promise<void> | undefined,
  ): Promise<InsertResult> {
    // Same order in every transaction: batches sharing ids wait on each other, never deadlock.
    const sorted = [...rows].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    let write = copyIn;
    for (let attempt = 1; ; attempt++) {
      try {
        return await inTransaction(client, async () => {
          const returned = await write(client, sorted);
          const ids = rows.map((r) => r.id);
          // Stored by another batch since the look-up: a separate statement sees the rows it
          // committed while the INSERT waited on them.
          const others = [...new Set(ids.filter((id) => !returned.has(id)))];
          const result: InsertResult = {
            inserted: ids.filter((id) => returned.has(id)),
            existing: others.length > 0 ? await storedJson(client, others) : new Map(),
          };
          await inserted(result);
          return result;
        });
      } catch (err) {
        if (errorCode(err) === UNIQUE_VIOLATION && write === copyIn) write = insertSkipping;
        else if (attempt >= INSERT_ATTEMPTS || !isRetryable(err)) throw err;
      }
    }
  }

  async shiftSummary(gateId: string, shiftId: string): Promise<ShiftRecordFacts[]> {
    const r = await this.query(
      `SELECT ${SHIFT_FACTS_COLUMNS} FROM records WHERE gate_id = $1 AND shift_id = $2 ORDER BY id`,
      [gateId, shiftId],
    );
    return r.rows.map(toShiftFacts);
  }

  async laterVersions(gateId: string, shiftId: string): Promise<ShiftRecordFacts[]> {
    const r = await this.query(
      laterVersionsSql((n) => `$${n}`),
      [gateId, shiftId],
    );
    return r.rows.map(toShiftFacts);
  }

  async saveShiftClose(c: ShiftCloseRow): Promise<void> {
    await this.query(
      `INSERT INTO shift_closes (device_id, shift_id, gate_id, record_count, digest, receipt, closed_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT (device_id, shift_id) DO UPDATE SET record_count = excluded.record_count,
         digest = excluded.digest, receipt = excluded.receipt, closed_at = excluded.closed_at`,
      [c.deviceId, c.shiftId, c.gateId, c.recordCount, c.digest, c.receipt, c.closedAt],
    );
  }

  async listLogs(filter: LogFilter, after: LogCursor | null, limit: number): Promise<LogRow[]> {
    const where = logWhere(filter, after);
    const r = await this.query(
      `SELECT ${RECORD_COLUMN_LIST}, ${CORRECTED_BY} FROM records ${where.sql}
       ORDER BY ${where.order} LIMIT $${where.params.length + 1}`,
      [...where.params, limit],
    );
    return r.rows.map(toLogRow);
  }

  async summarizeLogs(filter: LogFilter): Promise<LogSummary> {
    const where = logWhere(filter, null);
    const r = await this.query(
      `SELECT gate_id, count(*) FILTER (WHERE cur) AS total,
              count(*) FILTER (WHERE cur AND is_fever) AS fever,
              count(*) FILTER (WHERE cur AND returnee_status <> 'none') AS returnee,
              count(*) FILTER (WHERE cur AND decision = 'refused') AS refused,
              count(*) FILTER (WHERE NOT cur) AS corrected
       FROM (SELECT gate_id, is_fever, returnee_status, decision, ${NOT_CORRECTED} AS cur
             FROM records ${where.sql}) AS counted
       GROUP BY gate_id ORDER BY gate_id COLLATE "C"`,
      where.params,
    );
    return logSummary(r.rows);
  }

  async *streamLogs(filter: LogFilter): AsyncIterable<LogRow> {
    let after: LogCursor | null = null;
    for (;;) {
      const page = await this.listLogs(filter, after, STREAM_PAGE_ROWS);
      yield* page;
      const last = page.at(-1);
      if (!last || page.length < STREAM_PAGE_ROWS) return;
      after = { receivedAt: last.receivedAt, id: last.id };
    }
  }

  async purgeRecords(receivedBefore: number): Promise<number> {
    const r = await this.query('DELETE FROM records WHERE received_at < $1', [receivedBefore]);
    return r.rowCount ?? 0;
  }

  async addSigningKey(
    key: Omit<SigningKeyRow, 'active' | 'retiredAt'>,
    rotate: boolean,
  ): Promise<boolean> {
    return this.transaction(async (c) => {
      // Rotations take turns with each other and with the feed's writers.
      await c.query('SELECT pg_advisory_xact_lock($1)', [CHANGES_LOCK_KEY]);
      if (rotate) {
        await c.query(
          "UPDATE signing_keys SET slot = NULL, retired_at = $1 WHERE slot = 'active'",
          [key.createdAt],
        );
      }
      const r = await c.query(
        `INSERT INTO signing_keys (kid, public_jwk, private_key, slot, created_at)
         VALUES ($1, $2, $3, 'active', $4) ON CONFLICT DO NOTHING`,
        [key.kid, key.publicJwk, key.privateKeyPem, key.createdAt],
      );
      return (r.rowCount ?? 0) > 0;
    });
  }

  async getActiveSigningKey(): Promise<SigningKeyRow | null> {
    const r = await this.query("SELECT * FROM signing_keys WHERE slot = 'active'");
    return r.rows[0] ? toSigningKey(r.rows[0]) : null;
  }

  async listPublishedSigningKeys(today: string): Promise<SigningKeyRow[]> {
    const r = await this.query(
      `SELECT * FROM signing_keys k WHERE k.slot = 'active'
         OR EXISTS (SELECT 1 FROM passes p WHERE p.kid = k.kid AND p.valid_until >= $1)
       ORDER BY k.created_at, k.kid`,
      [today],
    );
    return r.rows.map(toSigningKey);
  }

  /**
   * `fn` and the change it logs in one transaction, after the feed's advisory lock: the change's
   * seq is drawn only once every earlier change has committed.
   */
  private changeTransaction<T>(
    fn: (c: pg.PoolClient, log: (change: NewChange) => Promise<void>) => Promise<T>,
  ): Promise<T> {
    return this.transaction(async (c) => {
      await c.query('SELECT pg_advisory_xact_lock($1)', [CHANGES_LOCK_KEY]);
      // The change, then what it makes needless (see `feed.ts`).
      const log = async (ch: NewChange) => {
        const r = await c.query<{ seq: string }>(
          `INSERT INTO changes (kind, entity_id, gate_id, payload, created_at, ends_on)
           VALUES ($1, $2, $3, $4, $5, $6) RETURNING seq`,
          [ch.kind, ch.entityId, ch.gateId, ch.payload, ch.createdAt, ch.endsOn],
        );
        await c.query('DELETE FROM changes WHERE entity_id = $1 AND kind = ANY($2) AND seq < $3', [
          ch.entityId,
          sameEntityKinds(ch.kind),
          r.rows[0]!.seq,
        ]);
        await c.query('DELETE FROM changes WHERE ends_on < $1', [feedCutoff(ch.createdAt)]);
      };
      return fn(c, log);
    });
  }

  async insertPass(p: PassRow, change: NewChange): Promise<void> {
    await this.changeTransaction(async (c, log) => {
      await c.query(
        `INSERT INTO passes (id, gate_id, name, address, valid_until, kid, token, created_at, revoked_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
        [p.id, p.gateId, p.name, p.address, p.validUntil, p.kid, p.token, p.createdAt, p.revokedAt],
      );
      await log(change);
    });
  }

  async getPass(id: string): Promise<PassRow | null> {
    const r = await this.query('SELECT * FROM passes WHERE id = $1', [id]);
    return r.rows[0] ? toPass(r.rows[0]) : null;
  }

  async listPasses(filter: { gateId?: string; includeRevoked?: boolean }): Promise<PassRow[]> {
    const conds: string[] = [];
    const params: Param[] = [];
    if (filter.gateId !== undefined) {
      params.push(filter.gateId);
      conds.push(`(gate_id IS NULL OR gate_id = $${params.length})`);
    }
    if (!filter.includeRevoked) conds.push('revoked_at IS NULL');
    const where = conds.length ? `WHERE ${conds.join(' AND ')}` : '';
    const r = await this.query(`SELECT * FROM passes ${where} ORDER BY created_at, id`, params);
    return r.rows.map(toPass);
  }

  async revokePass(
    id: string,
    now: number,
    change: (revoked: PassRow) => NewChange,
  ): Promise<{ pass: PassRow; changed: boolean } | null> {
    return this.changeTransaction(async (c, log) => {
      const updated = await c.query<Row>(
        'UPDATE passes SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL RETURNING *',
        [now, id],
      );
      if (updated.rows[0]) {
        const pass = toPass(updated.rows[0]);
        await log(change(pass));
        return { pass, changed: true };
      }
      const r = await c.query<Row>('SELECT * FROM passes WHERE id = $1', [id]);
      return r.rows[0] ? { pass: toPass(r.rows[0]), changed: false } : null;
    });
  }

  async insertWatch(w: WatchRow, change: NewChange): Promise<void> {
    await this.changeTransaction(async (c, log) => {
      await c.query(
        `INSERT INTO watchlist (id, name, until, pass_id, id_number, phone, address, note, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
        [w.id, w.name, w.until, w.passId, w.idNumber, w.phone, w.address, w.note, w.createdAt],
      );
      await log(change);
    });
  }

  async deleteWatch(id: string, change: (removed: WatchRow) => NewChange): Promise<boolean> {
    return this.changeTransaction(async (c, log) => {
      const r = await c.query<Row>('DELETE FROM watchlist WHERE id = $1 RETURNING *', [id]);
      if (!r.rows[0]) return false;
      await log(change(toWatch(r.rows[0])));
      return true;
    });
  }

  async listWatch(): Promise<WatchRow[]> {
    const r = await this.query('SELECT * FROM watchlist ORDER BY created_at, id');
    return r.rows.map(toWatch);
  }

  async listChanges(gateId: string, afterSeq: number, limit: number): Promise<ChangeRow[]> {
    const r = await this.query(
      `SELECT * FROM changes WHERE seq > $1 AND (gate_id IS NULL OR gate_id = $2)
       ORDER BY seq LIMIT $3`,
      [afterSeq, gateId, limit],
    );
    return r.rows.map(toChange);
  }

  async ping(): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`PostgreSQL did not answer within ${PING_TIMEOUT_MS} ms`)),
        PING_TIMEOUT_MS,
      );
    });
    try {
      await Promise.race([this.query('SELECT 1'), timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Waits for the operations in flight, then closes every connection. Safe to call twice. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      await Promise.allSettled([...this.inflight]);
      await this.pool.end();
    })();
    return this.closing;
  }
}
