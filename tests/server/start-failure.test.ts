/**
 * What an operator reads when the server cannot start: a real `src/server/main.ts` process, as
 * `npm start` runs it, on a data folder whose database cannot be opened (a folder stands where
 * the SQLite file should be, which even root cannot open as a database), or on a port another
 * program holds.
 */
import { spawn, spawnSync } from 'node:child_process';
import { createServer, type AddressInfo } from 'node:net';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';

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

it('names the port another program holds and what to do, and exits 1', async () => {
  dir = mkdtempSync(join(tmpdir(), 'gatelog-start-'));
  const other = createServer();
  await new Promise<void>((done) => other.listen(0, '127.0.0.1', done));
  const { port } = other.address() as AddressInfo;
  try {
    // Spawned, not spawnSync: the holder of the port answers from this process's event loop.
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/server/main.ts'], {
      env: {
        ...process.env,
        GATELOG_DATA_DIR: dir,
        PORT: String(port),
        DATABASE_URL: '',
        HOST: '127.0.0.1',
      },
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    const status = await new Promise<number | null>((done) => child.on('exit', done));
    expect(status).toBe(1);
    expect(stderr.trim()).toBe(
      `Cannot listen on 127.0.0.1:${port} (EADDRINUSE): another program is listening there ` +
        '(a GateLog already running?). Stop it, or start GateLog on another port: ' +
        `PORT=${port + 1} npm start.`,
    );
  } finally {
    await new Promise((done) => other.close(done));
  }
}, 70_000);
