/**
 * What an operator reads when the server cannot start: a real `src/server/main.ts` process, as
 * `npm start` runs it, on a data folder whose database cannot be opened (a folder stands where
 * the SQLite file should be, which even root cannot open as a database), or on a port another
 * program holds.
 */
import { spawn, spawnSync } from 'node:child_process';
import { createServer, type AddressInfo } from 'node:net';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { loadConfig, newAdminToken } from '../../src/server/config';
import { freePort } from '../support/free-port';

let dir: string | undefined;
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

it('names the database file that cannot be opened and what to check, and exits 1', () => {
  dir = mkdtempSync(join(tmpdir(), 'gatelog-start-'));
  const file = join(dir, 'gatelog.sqlite');
  mkdirSync(file);
  const run = spawnSync(process.execPath, ['--import', 'tsx', 'src/server/main.ts'], {
    env: { ...process.env, GATELOG_DATA_DIR: dir, PORT: '1', DATABASE_URL: '', HOST: '127.0.0.1' },
    encoding: 'utf8',
    timeout: 60_000,
  });
  expect(run.status).toBe(1);
  expect(run.stderr).toContain(`Cannot open the database ${file} (SQLITE_CANTOPEN`);
  expect(run.stderr).toContain('GATELOG_DATA_DIR');
  // One message, not a stack.
  expect(run.stderr).not.toMatch(/\n\s+at /);
}, 70_000);

/** `npm start`'s server (`src/server/main.ts`) on `port` of 127.0.0.1 with SQLite in `data`. */
function mainProcess(data: string, port: number, env: NodeJS.ProcessEnv = {}) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server/main.ts'], {
    env: {
      ...process.env,
      GATELOG_DATA_DIR: data,
      PORT: String(port),
      DATABASE_URL: '',
      HOST: '127.0.0.1',
      ...env,
    },
  });
  const out = { stdout: '', stderr: '' };
  child.stdout.on('data', (chunk: Buffer) => (out.stdout += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (out.stderr += chunk.toString('utf8')));
  const exited = new Promise<number | null>((done) => child.on('exit', done));
  return { child, out, exited };
}

/**
 * The server on `port` with SQLite in `data`, until it exits. Spawned, not spawnSync: a holder of
 * the port answers from this process's event loop.
 */
async function startOn(data: string, port: number) {
  const { out, exited } = mainProcess(data, port);
  const status = await exited;
  return { status, stderr: out.stderr };
}

it('names the port another program holds and what to do, and exits 1', async () => {
  dir = mkdtempSync(join(tmpdir(), 'gatelog-start-'));
  const other = createServer();
  await new Promise<void>((done) => other.listen(0, '127.0.0.1', done));
  const { port } = other.address() as AddressInfo;
  try {
    const { status, stderr } = await startOn(dir, port);
    expect(status).toBe(1);
    const refused =
      `Cannot listen on 127.0.0.1:${port} (EADDRINUSE): another program is listening there ` +
      '(a GateLog already running?). Stop it, or start GateLog on another port: ' +
      `PORT=${port + 1} npm start.`;
    // The first start made the admin token before it failed: it is said, as a start that runs
    // says it, or the operator would never see it.
    const file = join(dir, 'admin-token');
    const token = readFileSync(file, 'utf8').trim();
    expect(stderr.trim()).toBe(
      `${refused}\n\nAdmin token (shown once; also stored in ${file}):\n  ${token}`,
    );

    // The next start, failing too, made none: the failure alone.
    const again = await startOn(dir, port);
    expect(again.status).toBe(1);
    expect(again.stderr.trim()).toBe(refused);
  } finally {
    await new Promise((done) => other.close(done));
  }
}, 70_000);

/**
 * The server on a free port with SQLite in `data`, until it has printed its enrollment link (then
 * stopped with SIGTERM): what it printed.
 */
async function printedBy(data: string): Promise<string> {
  const { child, out, exited } = mainProcess(data, await freePort(), {
    GATELOG_PUBLIC_URL: 'https://gate.example.org',
    LOG_LEVEL: 'warn',
  });
  await new Promise<void>((done, fail) => {
    child.stdout.on('data', () => /\?enroll=/.test(out.stdout) && done());
    void exited.then(() => fail(new Error(`exited before it printed its link: ${out.stderr}`)));
  });
  child.kill('SIGTERM');
  expect(await exited).toBe(0);
  return out.stdout;
}

it('prints an admin token a first start made and was stopped before printing, at the next start alone', async () => {
  dir = mkdtempSync(join(tmpdir(), 'gatelog-start-'));
  const file = join(dir, 'admin-token');
  // Where a first start stopped (Ctrl-C, a crash) between making the token and printing it.
  const { token } = newAdminToken(loadConfig({ GATELOG_DATA_DIR: dir }));
  expect(await printedBy(dir)).toContain(
    `Admin token (made by an earlier start that stopped before showing it; shown once; also stored in ${file}):\n  ${token}\n`,
  );
  const next = await printedBy(dir);
  expect(next).toContain(`Admin token: in ${file}\n`);
  expect(next).not.toContain(token);

  // A first start that runs shows its token once; the next says where it is.
  rmSync(dir, { recursive: true, force: true });
  dir = mkdtempSync(join(tmpdir(), 'gatelog-start-'));
  const first = await printedBy(dir);
  const made = readFileSync(join(dir, 'admin-token'), 'utf8').trim();
  expect(first).toContain(
    `Admin token (shown once; also stored in ${join(dir, 'admin-token')}):\n  ${made}\n`,
  );
  expect(await printedBy(dir)).not.toContain(made);
}, 120_000);

it('says which Node.js GateLog needs before building or starting anything, and exits 1', () => {
  dir = mkdtempSync(join(tmpdir(), 'gatelog-start-'));
  // Debian 12's own nodejs, as `npm start` would meet it.
  const older = `Object.defineProperty(process.versions, 'node', { value: '18.20.4' });`;
  const run = spawnSync(
    process.execPath,
    ['--import', `data:text/javascript,${encodeURIComponent(older)}`, 'scripts/start.mjs'],
    {
      env: {
        ...process.env,
        GATELOG_DATA_DIR: dir,
        PORT: '1',
        DATABASE_URL: '',
        HOST: '127.0.0.1',
      },
      encoding: 'utf8',
      timeout: 60_000,
    },
  );
  expect(run.status).toBe(1);
  expect(run.stdout).toBe('');
  expect(run.stderr.trim()).toBe(
    "GateLog needs Node.js 20.19 or later; this is Node.js 18.20.4. Debian 12's own nodejs " +
      'package is 18: install Node.js 20 or 22 (from nodejs.org or NodeSource, say), then run ' +
      'npm ci again (its native modules are built for the Node that installs them).',
  );
}, 70_000);
