/**
 * What an operator reads when the server cannot start: a real `src/server/main.ts` process, as
 * `npm start` runs it, on a data folder whose database cannot be opened (a folder stands where
 * the SQLite file should be, which even root cannot open as a database), or on a port another
 * program holds; and what it prints when it starts. In English (LC_ALL=C.UTF-8), and in a
 * Chinese terminal (LC_ALL=zh_CN.UTF-8), as the command line speaks.
 */
import { spawn, spawnSync } from 'node:child_process';
import { createServer, type AddressInfo } from 'node:net';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig, newAdminToken } from '../../src/server/config';
import { freePort } from '../support/free-port';

let dir: string | undefined;

/** This process's environment in an English terminal, whatever this machine's language. */
const ENGLISH: NodeJS.ProcessEnv = { ...process.env, LC_ALL: 'C.UTF-8' };
/** The same in a Chinese terminal. */
const CHINESE: NodeJS.ProcessEnv = { LC_ALL: 'zh_CN.UTF-8' };
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

it('names the database file that cannot be opened and what to check, and exits 1', () => {
  dir = mkdtempSync(join(tmpdir(), 'gatelog-start-'));
  const file = join(dir, 'gatelog.sqlite');
  mkdirSync(file);
  // npm start's server, and the command line (which printed SQLite's stack) alike.
  for (const script of ['src/server/main.ts', 'src/server/cli.ts']) {
    const run = spawnSync(process.execPath, ['--import', 'tsx', script, 'gates:list'], {
      env: { ...ENGLISH, GATELOG_DATA_DIR: dir, PORT: '1', DATABASE_URL: '', HOST: '127.0.0.1' },
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(run.status, script).toBe(1);
    expect(run.stderr).toContain(`Cannot open the database ${file} (SQLITE_CANTOPEN`);
    expect(run.stderr).toContain('GATELOG_DATA_DIR');
    // One message, not a stack.
    expect(run.stderr).not.toMatch(/\n\s+at /);
  }
}, 70_000);

/** `npm start`'s server (`src/server/main.ts`) on `port` of 127.0.0.1 with SQLite in `data`. */
function mainProcess(data: string, port: number, env: NodeJS.ProcessEnv = {}) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server/main.ts'], {
    env: {
      ...ENGLISH,
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
async function startOn(data: string, port: number, env: NodeJS.ProcessEnv = {}) {
  const { out, exited } = mainProcess(data, port, env);
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
 * The server on a free port with SQLite in `data`, until it has printed `until` (its enrollment
 * link; then stopped with SIGTERM): what it printed.
 */
async function printedBy(
  data: string,
  env: NodeJS.ProcessEnv = {},
  until = /\?enroll=/,
): Promise<string> {
  const { child, out, exited } = mainProcess(data, await freePort(), {
    GATELOG_PUBLIC_URL: 'https://gate.example.org',
    LOG_LEVEL: 'warn',
    ...env,
  });
  await new Promise<void>((done, fail) => {
    child.stdout.on('data', () => until.test(out.stdout) && done());
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

/** `npm start` (scripts/start.mjs) on Debian 12's own nodejs, as it would meet it. */
function startOnOlderNode(env: NodeJS.ProcessEnv) {
  dir = mkdtempSync(join(tmpdir(), 'gatelog-start-'));
  const older = `Object.defineProperty(process.versions, 'node', { value: '18.20.4' });`;
  return spawnSync(
    process.execPath,
    ['--import', `data:text/javascript,${encodeURIComponent(older)}`, 'scripts/start.mjs'],
    {
      env: {
        ...ENGLISH,
        GATELOG_DATA_DIR: dir,
        PORT: '1',
        DATABASE_URL: '',
        HOST: '127.0.0.1',
        ...env,
      },
      encoding: 'utf8',
      timeout: 60_000,
    },
  );
}

it('says which Node.js GateLog needs before building or starting anything, and exits 1', () => {
  const run = startOnOlderNode({});
  expect(run.status).toBe(1);
  expect(run.stdout).toBe('');
  expect(run.stderr.trim()).toBe(
    "GateLog needs Node.js 20.19 or later; this is Node.js 18.20.4. Debian 12's own nodejs " +
      'package is 18: install Node.js 20 or 22 (from nodejs.org or NodeSource, say), then run ' +
      'npm ci again (its native modules are built for the Node that installs them).',
  );
}, 70_000);

describe('in a Chinese terminal', () => {
  it('says which Node.js GateLog needs in Chinese', () => {
    const run = startOnOlderNode(CHINESE);
    expect(run.status).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr.trim()).toBe(
      'GateLog 需要 Node.js 20.19 或更新的版本；这里是 Node.js 18.20.4。Debian 12 自带的 nodejs ' +
        '是 18 版：请安装 Node.js 20 或 22（例如从 nodejs.org 或 NodeSource），然后重新运行 npm ci' +
        '（它的原生模块是为安装它的那个 Node 编译的）。',
    );
  }, 70_000);

  it('prints its address, the admin token, the committee’s page and the phone’s link in Chinese', async () => {
    dir = mkdtempSync(join(tmpdir(), 'gatelog-start-'));
    const file = join(dir, 'admin-token');
    const lan = { ...CHINESE, GATELOG_PUBLIC_URL: 'http://192.168.1.20:8080' };
    const first = await printedBy(dir, lan, /注意：|Note:/);
    const token = readFileSync(file, 'utf8').trim();
    expect(first).toMatch(/^GateLog 已启动，地址：\n {2}http:\/\/127\.0\.0\.1:\d+$/m);
    expect(first).toContain(`管理令牌（只显示这一次；也存在 ${file} 里）：\n  ${token}\n`);
    expect(first).toContain(
      '居委会页面（记录和 CSV、手机、门岗、出入证、隔离名单；用管理令牌登录）：' +
        'http://192.168.1.20:8080/committee/\n',
    );
    expect(first).toMatch(
      /^门岗“正门”的手机登记链接：只能用一次，有效期至 \d{4}-\d\d-\d\d \d\d:\d\d \(UTC[+-]\d\d:\d\d\)。\n {2}http:\/\/192\.168\.1\.20:8080\/\?enroll=/m,
    );
    expect(first).toContain(
      '注意：手机只有通过 HTTPS 才能离线使用。请把服务器放在 HTTPS（反向代理）后面，' +
        '并把 GATELOG_PUBLIC_URL 设为那个地址。',
    );
    expect(first).not.toMatch(/Admin token|GateLog is running|committee's page|Enroll a phone/);
    expect(await printedBy(dir, CHINESE)).toContain(`管理令牌：在 ${file} 里\n`);
  }, 120_000);

  it('names the port another program holds in Chinese, and the admin token it made', async () => {
    dir = mkdtempSync(join(tmpdir(), 'gatelog-start-'));
    const other = createServer();
    await new Promise<void>((done) => other.listen(0, '127.0.0.1', done));
    const { port } = other.address() as AddressInfo;
    try {
      const { status, stderr } = await startOn(dir, port, CHINESE);
      expect(status).toBe(1);
      const file = join(dir, 'admin-token');
      const token = readFileSync(file, 'utf8').trim();
      expect(stderr.trim()).toBe(
        `无法在 127.0.0.1:${port} 上监听（EADDRINUSE）：已有别的程序在监听这个端口（也许 GateLog ` +
          `已经在运行？）。请先停掉它，或换一个端口启动 GateLog：PORT=${port + 1} npm start。` +
          `\n\n管理令牌（只显示这一次；也存在 ${file} 里）：\n  ${token}`,
      );
    } finally {
      await new Promise((done) => other.close(done));
    }
  }, 70_000);
});

describe('a bad environment', () => {
  /** `npm start`'s server, or the command line, in `env`: what it said on stderr, exiting 1. */
  const refusal = (script: string, env: NodeJS.ProcessEnv) => {
    dir = mkdtempSync(join(tmpdir(), 'gatelog-start-'));
    const run = spawnSync(process.execPath, ['--import', 'tsx', script, 'gates:list'], {
      env: { ...ENGLISH, GATELOG_DATA_DIR: dir, ...env },
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(run.status).toBe(1);
    expect(readdirSync(dir)).toEqual([]);
    return run.stderr.trim();
  };
  const badPortAndUrl = { PORT: 'eighty', DATABASE_URL: 'mysql://gatelog@db/gatelog' };

  it('is named by the server and the command line alike, in English', () => {
    const said =
      'Bad environment: PORT: not a number; DATABASE_URL: a postgres:// (or postgresql://) URL; ' +
      'unset it to use the embedded SQLite file';
    expect(refusal('src/server/main.ts', badPortAndUrl)).toBe(said);
    expect(refusal('src/server/cli.ts', badPortAndUrl)).toBe(said);
  }, 70_000);

  it('is named by the server and the command line alike, in Chinese', () => {
    const said =
      '环境变量有误：PORT：不是数字；DATABASE_URL：须是 postgres://（或 postgresql://）网址；' +
      '不设则用内置的 SQLite 文件';
    expect(refusal('src/server/main.ts', { ...badPortAndUrl, ...CHINESE })).toBe(said);
    expect(refusal('src/server/cli.ts', { ...badPortAndUrl, ...CHINESE })).toBe(said);
  }, 70_000);

  it('names a DATABASE_URL no PostgreSQL answers at, without its password or a stack', async () => {
    const port = await freePort();
    const url = { DATABASE_URL: `postgres://gatelog:s3cret-pw@127.0.0.1:${port}/gatelog` };
    const where = `127.0.0.1:${port}/gatelog`;
    const said =
      `Cannot reach the PostgreSQL server of DATABASE_URL (${where}: ECONNREFUSED). Check that ` +
      'PostgreSQL is running there and that DATABASE_URL names its host and port.';
    expect(refusal('src/server/main.ts', url)).toBe(said);
    expect(refusal('src/server/cli.ts', url)).toBe(said);
    const zh =
      `连不上 DATABASE_URL 的 PostgreSQL 服务器（${where}：ECONNREFUSED）。请检查 PostgreSQL ` +
      '是否在那里运行，以及 DATABASE_URL 写的主机和端口是否正确。';
    expect(refusal('src/server/main.ts', { ...url, ...CHINESE })).toBe(zh);
    expect(refusal('src/server/cli.ts', { ...url, ...CHINESE })).toBe(zh);
  }, 120_000);
});
