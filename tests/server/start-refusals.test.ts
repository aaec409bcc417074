/**
 * The server process (`src/server/main.ts`, as `npm start` runs it) refusing to start: the one
 * message an operator reads, the exit code, and the data left as it was.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  chmodSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { PostgresStore, readPgMigrations } from '../../src/server/store/postgres';
import { readMigrations, SqliteStore } from '../../src/server/store/sqlite';
import { ROOT } from '../reliability/support/server-process';
import { freePort } from '../support/free-port';
import { createScratchSchema, pgTarget, queryOnce, warnSkipped } from './support/pg';

const target = await pgTarget();
warnSkipped(target, 'the PostgreSQL half of tests/server/start-refusals.test.ts');

const START_TIMEOUT_MS = 30_000;

let dir: string | undefined;
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

/**
 * Runs the server until it exits on its own; one that starts instead is stopped, and answers
 * `started` (code null).
 */
async function runServer(
  env: Record<string, string>,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const port = await freePort();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/server/main.ts'], {
      cwd: ROOT,
      // In English whatever this machine's language (npm start speaks the terminal's).
      env: {
        ...process.env,
        LC_ALL: 'C.UTF-8',
        DATABASE_URL: '',
        PORT: String(port),
        HOST: '127.0.0.1',
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
      if (stdout.includes('GateLog is running')) child.kill('SIGKILL');
    });
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the server did not stop by itself:\n${stdout}\n${stderr}`));
    }, START_TIMEOUT_MS);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

describe('starting the server', () => {
  it('refuses an admin-token file shorter than 16 characters, and leaves it as it is', async () => {
    dir = mkdtempSync(join(tmpdir(), 'gatelog-start-'));
    const file = join(dir, 'admin-token');
    writeFileSync(file, 'gate-2024-ok\n', { mode: 0o600 });
    const { code, stdout, stderr } = await runServer({ GATELOG_DATA_DIR: dir });
    expect(code).toBe(1);
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).toContain(file);
    expect(stderr).toMatch(/at least 16 characters/);
    expect(`${stdout}${stderr}`).not.toContain('gate-2024-ok');
    expect(readFileSync(file, 'utf8')).toBe('gate-2024-ok\n');
    // Refused before the database was opened: none was made in the fresh data folder.
    expect(readdirSync(dir)).toEqual(['admin-token']);
  });

  if (target.kind === 'fail') {
    const { reason } = target;
    it('refuses a short admin-token file, on PostgreSQL: is configured and reachable', () => {
      throw new Error(reason);
    });
  }

  it.skipIf(target.kind !== 'ready')(
    'names a DATABASE_URL whose PostgreSQL refuses its password, without the password or a stack',
    async () => {
      if (target.kind !== 'ready') return;
      dir = mkdtempSync(join(tmpdir(), 'gatelog-start-'));
      const wrong = new URL(target.url);
      wrong.password = 'not-the-password';
      const { code, stderr } = await runServer({
        DATABASE_URL: wrong.href,
        GATELOG_DATA_DIR: dir,
      });
      expect(code).toBe(1);
      expect(stderr.trim().split('\n')).toHaveLength(1);
      expect(stderr).toContain(
        `The PostgreSQL server of DATABASE_URL (${wrong.host}${wrong.pathname}) refused GateLog (28P01: `,
      );
      expect(stderr).toContain('Check the user, password and database name in DATABASE_URL.');
      expect(stderr).not.toContain('not-the-password');
    },
  );

  it.skipIf(target.kind !== 'ready')(
    'refuses a short admin-token file before it migrates a PostgreSQL database',
    async () => {
      if (target.kind !== 'ready') return;
      const scratch = await createScratchSchema(target.url, 'shorttoken');
      try {
        dir = mkdtempSync(join(tmpdir(), 'gatelog-start-'));
        writeFileSync(join(dir, 'admin-token'), 'gate-2024-ok\n', { mode: 0o600 });
        const { code, stderr } = await runServer({
          DATABASE_URL: scratch.url,
          GATELOG_DATA_DIR: dir,
        });
        expect(code).toBe(1);
        expect(stderr).toMatch(/at least 16 characters/);
        expect(
          await queryOnce(
            scratch.url,
            'SELECT table_name FROM information_schema.tables WHERE table_schema = $1',
            [scratch.schema],
          ),
        ).toEqual([]);
      } finally {
        await scratch.drop();
      }
    },
  );
});

/** A schema version no GateLog has yet: as a newer GateLog would have left it. */
const FUTURE = { version: 99, name: 'from-a-newer-gatelog', appliedAt: 1_800_000_000_000 };

/** The refusal of a newer database: one message with both versions and what to do. */
function expectNewerRefused(
  run: { code: number | null; stdout: string; stderr: string },
  newest: number,
): void {
  expect(run.code, run.stdout + run.stderr).toBe(1);
  expect(run.stderr.trim().split('\n')).toHaveLength(1);
  expect(run.stderr).toContain(`has schema version 99, written by a newer GateLog`);
  expect(run.stderr).toContain(`knows schema versions up to ${newest}`);
  expect(run.stderr).toMatch(
    /run the newer GateLog on it, or restore a backup made for this version/,
  );
  expect(run.stdout).not.toContain('GateLog is running');
}

/** A SQLite database in `dir` (WAL mode) that a newer GateLog migrated: its file. */
async function newerSqliteFile(dir: string): Promise<string> {
  const file = join(dir, 'gatelog.sqlite');
  const made = new SqliteStore(file);
  await made.migrate();
  made.db
    .prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)')
    .run(FUTURE.version, FUTURE.name, FUTURE.appliedAt);
  await made.close();
  return file;
}

describe('starting the server on a database a newer GateLog wrote', () => {
  it('refuses, on SQLite, and leaves the file as it was, its mode included', async () => {
    dir = mkdtempSync(join(tmpdir(), 'gatelog-start-'));
    const file = await newerSqliteFile(dir);
    // Readable by others, as a file copied in place or made under another umask may be: a
    // start that goes on makes it 0600, a refused one leaves it so.
    chmodSync(file, 0o644);
    const hash = () => createHash('sha256').update(readFileSync(file)).digest('hex');
    const before = hash();

    const run = await runServer({
      GATELOG_DATA_DIR: dir,
      GATELOG_ADMIN_TOKEN: 'a-long-enough-admin-token',
    });
    const known = readMigrations(join(ROOT, 'src/server/store/migrations/sqlite'));
    expectNewerRefused(run, known.at(-1)!.version);
    expect(run.stderr).toContain(file);
    expect(hash()).toBe(before);
    expect(statSync(file).mode & 0o777).toBe(0o644);
    expect(run.stdout).not.toMatch(/owner only/);
    // Said in a Chinese terminal's words, as the rest of npm start.
    const zh = await runServer({
      GATELOG_DATA_DIR: dir,
      GATELOG_ADMIN_TOKEN: 'a-long-enough-admin-token',
      LC_ALL: 'zh_CN.UTF-8',
    });
    expect(zh.code).toBe(1);
    expect(zh.stderr.trim()).toBe(
      `数据库 ${file}：结构版本是 99，是更新的 GateLog 写入的；这个 GateLog 只认识到 ` +
        `${known.at(-1)!.version} 为止的版本。数据库原样未动：请用更新的 GateLog 运行它，` +
        '或恢复为这个版本做的备份。',
    );
    expect(hash()).toBe(before);
    const db = new Database(file, { readonly: true });
    try {
      expect(db.prepare('SELECT count(*) FROM gates').pluck().get()).toBe(0);
      expect(db.prepare('SELECT max(version) FROM schema_migrations').pluck().get()).toBe(99);
    } finally {
      db.close();
    }
  });

  it('refuses, on SQLite, before it changes the journal mode of a file in rollback mode', async () => {
    dir = mkdtempSync(join(tmpdir(), 'gatelog-start-'));
    const file = await newerSqliteFile(dir);
    // As a newer GateLog, or a backup tool, may leave it: a rollback journal, not a WAL.
    const rollback = new Database(file);
    expect(rollback.pragma('journal_mode = DELETE', { simple: true })).toBe('delete');
    rollback.close();
    const before = readFileSync(file);
    // The file header's read and write versions: 1 for a rollback journal, 2 for a WAL.
    expect([before[18], before[19]]).toEqual([1, 1]);

    const run = await runServer({
      GATELOG_DATA_DIR: dir,
      GATELOG_ADMIN_TOKEN: 'a-long-enough-admin-token',
    });
    expectNewerRefused(
      run,
      readMigrations(join(ROOT, 'src/server/store/migrations/sqlite')).at(-1)!.version,
    );
    const after = readFileSync(file);
    expect([after[18], after[19]]).toEqual([1, 1]);
    expect(after.equals(before)).toBe(true);
    expect(readdirSync(dir)).toEqual(['gatelog.sqlite']);
  });

  if (target.kind === 'fail') {
    const { reason } = target;
    it('refuses, on PostgreSQL: is configured and reachable', () => {
      throw new Error(reason);
    });
  }

  it.skipIf(target.kind !== 'ready')(
    'refuses, on PostgreSQL, and changes nothing in the database',
    async () => {
      if (target.kind !== 'ready') return;
      const scratch = await createScratchSchema(target.url, 'newer');
      try {
        const made = new PostgresStore({ url: scratch.url, poolMax: 2 });
        await made.migrate();
        await queryOnce(
          scratch.url,
          'INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)',
          [FUTURE.version, FUTURE.name, FUTURE.appliedAt],
        );
        await made.close();
        const snapshot = () =>
          queryOnce(
            scratch.url,
            `SELECT table_name, (xpath('/row/n/text()', query_to_xml(
               format('SELECT count(*) AS n FROM %I.%I', table_schema, table_name), false, true, '')))[1]::text AS n
             FROM information_schema.tables WHERE table_schema = $1 ORDER BY table_name`,
            [scratch.schema],
          );
        const migrationsBefore = await queryOnce(
          scratch.url,
          'SELECT * FROM schema_migrations ORDER BY version',
        );
        const before = await snapshot();
        expect(before).toContainEqual({ table_name: 'gates', n: '0' });
        expect(before).toContainEqual({
          table_name: 'schema_migrations',
          n: String(migrationsBefore.length),
        });

        dir = mkdtempSync(join(tmpdir(), 'gatelog-start-'));
        const run = await runServer({
          DATABASE_URL: scratch.url,
          GATELOG_DATA_DIR: dir,
          GATELOG_ADMIN_TOKEN: 'a-long-enough-admin-token',
        });
        expectNewerRefused(run, readPgMigrations().at(-1)!.version);
        expect(run.stderr).toContain('PostgreSQL');
        expect(await snapshot()).toEqual(before);
        expect(
          await queryOnce(scratch.url, 'SELECT * FROM schema_migrations ORDER BY version'),
        ).toEqual(migrationsBefore);
      } finally {
        await scratch.drop();
      }
    },
  );
});
