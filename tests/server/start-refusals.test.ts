/**
 * The server process (`src/server/main.ts`, as `npm start` runs it) refusing to start: the one
 * message an operator reads, the exit code, and the data left as it was.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { freePort, ROOT } from '../reliability/support/server-process';

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
      env: { ...process.env, DATABASE_URL: '', PORT: String(port), HOST: '127.0.0.1', ...env },
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
  });
});
