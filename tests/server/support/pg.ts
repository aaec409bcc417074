/**
 * PostgreSQL for tests: whether it is there (DATABASE_URL), whether it must be
 * (GATELOG_REQUIRE_POSTGRES=1), and scratch schemas so test files and runs never share tables.
 * A schema needs only the CREATE right on the database, which its owner has; the test role
 * does not need CREATEDB or superuser.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';

const CONNECT_TIMEOUT_MS = 3_000;

export type PgTarget =
  | { kind: 'ready'; url: string }
  | { kind: 'skip'; reason: string }
  | { kind: 'fail'; reason: string };

const required = (): boolean => process.env.GATELOG_REQUIRE_POSTGRES === '1';

/**
 * Where the PostgreSQL tests run: `ready` with a reachable DATABASE_URL; `skip` without one
 * (`fail` instead when GATELOG_REQUIRE_POSTGRES=1); `fail` when it is set but unreachable.
 */
export async function pgTarget(): Promise<PgTarget> {
  const url = process.env.DATABASE_URL;
  const missing = (reason: string): PgTarget =>
    required()
      ? { kind: 'fail', reason: `GATELOG_REQUIRE_POSTGRES=1 but ${reason}` }
      : { kind: 'skip', reason };
  if (!url) return missing('DATABASE_URL is not set');
  if (!/^postgres(ql)?:\/\//i.test(url)) return missing('DATABASE_URL is not a postgres:// URL');
  const client = new pg.Client({
    connectionString: url,
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
  });
  client.on('error', () => {});
  try {
    await client.connect();
    await client.query('SELECT 1');
    return { kind: 'ready', url };
  } catch (err) {
    // DATABASE_URL says PostgreSQL is wanted: an unreachable one fails, it never skips.
    return {
      kind: 'fail',
      reason: `PostgreSQL at DATABASE_URL is unreachable (${(err as Error).message})`,
    };
  } finally {
    await client.end().catch(() => {});
  }
}

/** Says loudly, once per file, that the PostgreSQL half did not run. */
export function warnSkipped(target: PgTarget, what: string): void {
  if (target.kind !== 'skip') return;
  console.warn(
    `\n*** PostgreSQL SKIPPED: ${what} did not run: ${target.reason}. ` +
      'Set DATABASE_URL=postgres://… to run it (GATELOG_REQUIRE_POSTGRES=1 makes it required). ***\n',
  );
}

/** The same URL with `search_path` set to one schema (libpq `options`, which pg passes on). */
export function urlWithSchema(url: string, schema: string): string {
  const u = new URL(url);
  u.searchParams.set('options', `-c search_path=${schema}`);
  return u.toString();
}

export interface ScratchSchema {
  schema: string;
  /** DATABASE_URL whose connections use only this schema. */
  url: string;
  drop(): Promise<void>;
}

async function admin<T>(url: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({
    connectionString: url,
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
  });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** Creates an empty schema `gltest_<pid>_<random>` in the database of `url`. */
export async function createScratchSchema(url: string, label = 'test'): Promise<ScratchSchema> {
  const tag = label
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '')
    .slice(0, 16);
  const schema = `gltest_${tag}_${process.pid}_${randomBytes(4).toString('hex')}`;
  await admin(url, (c) => c.query(`CREATE SCHEMA ${schema}`));
  return {
    schema,
    url: urlWithSchema(url, schema),
    drop: () =>
      admin(url, (c) => c.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`)).then(() => {}),
  };
}

/** One query on a scratch schema (or any URL), for checks a test makes behind the store. */
export async function queryOnce<R extends pg.QueryResultRow>(
  url: string,
  text: string,
  params: unknown[] = [],
): Promise<R[]> {
  return admin(url, async (c) => (await c.query<R>(text, params)).rows);
}
