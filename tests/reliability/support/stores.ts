/**
 * Every reliability scenario runs once per store: SQLite always, PostgreSQL when DATABASE_URL
 * reaches one. Without it the PostgreSQL half is skipped with the reason in its name (and a loud
 * warning); with GATELOG_REQUIRE_POSTGRES=1, or an unreachable DATABASE_URL, it fails instead.
 * A scratch database is a fresh SQLite folder or a fresh PostgreSQL schema, readable behind the
 * server's back so a test can see what really got committed.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { describe, it } from 'vitest';
import { openStore } from '../../../src/server/store';
import type { Store } from '../../../src/server/store/types';
import { createScratchSchema, pgTarget, warnSkipped } from '../../server/support/pg';

export type StoreKind = 'sqlite' | 'postgres';

export interface ReadyTarget {
  kind: StoreKind;
  label: string;
  /** PostgreSQL's DATABASE_URL. */
  url?: string;
}

export type StoreTarget =
  | ({ state: 'ready' } & ReadyTarget)
  | { state: 'skip' | 'fail'; kind: 'postgres'; label: string; reason: string };

/** The stores to run on: SQLite, and PostgreSQL as DATABASE_URL allows. */
export async function storeTargets(what: string): Promise<StoreTarget[]> {
  const pg = await pgTarget();
  warnSkipped(pg, what);
  return [
    { state: 'ready', kind: 'sqlite', label: 'SQLite' },
    pg.kind === 'ready'
      ? { state: 'ready', kind: 'postgres', label: 'PostgreSQL', url: pg.url }
      : { state: pg.kind, kind: 'postgres', label: 'PostgreSQL', reason: pg.reason },
  ];
}

/**
 * One `describe` per store, titled `<title> [SQLite]`. A skipped store gets a skipped test that
 * says why; a store that must run but cannot gets a failing one.
 */
export function describeEachStore(
  title: string,
  targets: readonly StoreTarget[],
  body: (target: ReadyTarget) => void,
): void {
  for (const t of targets) {
    const name = `${title} [${t.label}]`;
    if (t.state === 'ready') describe(name, () => body(t));
    else if (t.state === 'skip') {
      describe(name, () => it.skip(`skipped: ${t.reason}`, () => {}));
    } else {
      describe(name, () =>
        it('PostgreSQL is configured and reachable', () => {
          throw new Error(t.reason);
        }),
      );
    }
  }
}

export interface ScratchDb {
  kind: StoreKind;
  label: string;
  /** A data folder of its own (the SQLite file lives here; unused by PostgreSQL). */
  dataDir: string;
  /** What a server process needs in its environment to use this database. */
  env: Record<string, string>;
  /** A store on it, through the server's own factory; call `migrate()` first. */
  openStore(): Store;
  /** Stored record ids, read directly from the database, sorted as JS strings. */
  recordIds(): Promise<string[]>;
  /** Rows in `records`, and distinct ids among them. */
  recordCount(): Promise<{ rows: number; distinct: number }>;
  /** Every row of a table, as JSON text: to look for secrets the server must not keep. */
  tableText(table: 'devices' | 'enrollment_codes'): Promise<string>;
  drop(): Promise<void>;
}

/** A fresh, empty database of the target's kind. */
export async function createScratchDb(target: ReadyTarget, label: string): Promise<ScratchDb> {
  const dataDir = mkdtempSync(join(tmpdir(), `gatelog-rel-${label}-`));
  const sqliteFile = join(dataDir, 'gatelog.sqlite');
  if (target.kind === 'sqlite') {
    // A short-lived connection per read: after a SIGKILL it also recovers the WAL as a
    // restarted server would.
    const read = <T>(fn: (db: Database.Database) => T): T => {
      const db = new Database(sqliteFile, { fileMustExist: true });
      try {
        return fn(db);
      } finally {
        db.close();
      }
    };
    return {
      kind: 'sqlite',
      label: target.label,
      dataDir,
      env: { GATELOG_DATA_DIR: dataDir },
      openStore: () => openStore({ sqliteFile }),
      recordIds: async () =>
        read((db) => db.prepare('SELECT id FROM records').pluck().all() as string[]).sort(),
      recordCount: async () =>
        read(
          (db) =>
            db
              .prepare('SELECT count(*) AS rows, count(DISTINCT id) AS "distinct" FROM records')
              .get() as { rows: number; distinct: number },
        ),
      tableText: async (table) =>
        read((db) => JSON.stringify(db.prepare(`SELECT * FROM ${table}`).all())),
      drop: async () => rmSync(dataDir, { recursive: true, force: true }),
    };
  }
  const scratch = await createScratchSchema(target.url!, label);
  // One small pool for the test's own reads (a connection per read is slow in a fuzz loop).
  const reader = new pg.Pool({ connectionString: scratch.url, max: 2 });
  reader.on('error', () => {});
  const query = async <R extends pg.QueryResultRow>(text: string) =>
    (await reader.query<R>(text)).rows;
  return {
    kind: 'postgres',
    label: target.label,
    dataDir,
    env: { GATELOG_DATA_DIR: dataDir, DATABASE_URL: scratch.url, GATELOG_DB_POOL_MAX: '5' },
    openStore: () => openStore({ sqliteFile, databaseUrl: scratch.url, dbPoolMax: 5 }),
    recordIds: async () =>
      (await query<{ id: string }>('SELECT id FROM records')).map((r) => r.id).sort(),
    recordCount: async () =>
      (
        await query<{ rows: number; distinct: number }>(
          'SELECT count(*)::int AS rows, count(DISTINCT id)::int AS "distinct" FROM records',
        )
      )[0]!,
    tableText: async (table) => JSON.stringify(await query(`SELECT * FROM ${table}`)),
    drop: async () => {
      await reader.end();
      await scratch.drop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
