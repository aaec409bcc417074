import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, onTestFinished, vi } from 'vitest';
import Database from 'better-sqlite3';
import { rewriteReport, runCli } from '../../src/server/cli';
import { terminalLocale } from '../../src/server/cli-messages';
import { ConfigError } from '../../src/server/config';
import { SqliteStore } from '../../src/server/store/sqlite';

let dir: string;
let out: string[];
const run = async (...argv: string[]) => {
  out = [];
  const code = await runCli(argv, (line) => void out.push(line));
  return { code, text: out.join('\n') };
};

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'gatelog-cli-'));
  vi.stubEnv('GATELOG_DATA_DIR', dir);
  vi.stubEnv('GATELOG_PUBLIC_URL', 'https://gate.example.org');
  vi.stubEnv('DATABASE_URL', '');
  // An English terminal, whatever this machine's (the Chinese one has tests of its own).
  vi.stubEnv('LC_ALL', '');
  vi.stubEnv('LC_MESSAGES', '');
  vi.stubEnv('LANG', 'en_US.UTF-8');
});
afterEach(() => {
  vi.unstubAllEnvs();
  rmSync(dir, { recursive: true, force: true });
});

describe('npm run gatelog', () => {
  it('creates and lists gates, makes enrollment codes with a link and a QR code', async () => {
    const created = await run('gates:create', '北门', 'North');
    expect(created.code).toBe(0);
    const [gateId, name] = created.text.split('\t');
    expect(name).toBe('北门 North');

    expect((await run('gates:list')).text).toContain(`${gateId}\t北门 North\tfever ≥ 37.3 °C`);

    // The code's end in the terminal's zone, as the clerk reads a clock (7 days from now).
    vi.stubEnv('TZ', 'Asia/Shanghai');
    const code = await run('codes:create', gateId!);
    const until =
      /^Enroll a phone at gate "北门 North": single use, valid until (\d{4}-\d\d-\d\d) (\d\d:\d\d) \(UTC\+08:00\)\.$/m.exec(
        code.text,
      );
    expect(until, code.text).not.toBeNull();
    const printed = Date.parse(`${until![1]}T${until![2]}:00+08:00`);
    expect(Math.abs(printed - (Date.now() + 7 * 24 * 3_600_000))).toBeLessThan(120_000);
    expect(code.text).toMatch(/https:\/\/gate\.example\.org\/\?enroll=[A-Z2-7]{24}/);
    expect(code.text).toContain('▄');
  });

  it('lists gates by their stored name, numbers in natural order, not in the order they were made', async () => {
    for (const name of ['B gate', '10号门', 'A gate', '2号门']) await run('gates:create', name);
    const names = (await run('gates:list')).text.split('\n').map((line) => line.split('\t')[1]);
    expect(names.filter((n) => n !== 'Main gate / 正门')).toEqual([
      '2号门',
      '10号门',
      'A gate',
      'B gate',
    ]);
  });

  it("says a code's link without GATELOG_PUBLIC_URL names this computer, not the server's proxy", async () => {
    // The server was started with it (README, behind TLS); this command's shell has none.
    vi.stubEnv('GATELOG_PUBLIC_URL', '');
    vi.stubEnv('HOST', '127.0.0.1');
    const [gateId] = (await run('gates:create', '北门')).text.split('\t');
    const code = await run('codes:create', gateId!);
    expect(code.code).toBe(0);
    expect(code.text).toMatch(/^ {2}http:\/\/127\.0\.0\.1:8080\/\?enroll=[A-Z2-7]{24}$/m);
    expect(code.text.trim().split('\n').at(-1)).toBe(
      "Note: GATELOG_PUBLIC_URL is not set for this command, so the link names this computer's own " +
        'address, over plain HTTP. Phones work offline only over HTTPS: when the server is behind ' +
        'an HTTPS proxy, run this command with the same GATELOG_PUBLIC_URL as the server.',
    );
    // With it, as the test above: no note.
    vi.stubEnv('GATELOG_PUBLIC_URL', 'https://gate.example.org');
    expect((await run('codes:create', gateId!)).text).not.toContain('Note:');
  });

  it("says a database it makes is not the server's, and what to give it to reach that one", async () => {
    // README's PostgreSQL server; the command typed without DATABASE_URL (beforeEach clears it).
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    try {
      expect((await run('gates:list')).code).toBe(0);
      expect(warn.mock.calls).toEqual([
        [
          `No database at ${join(dir, 'gatelog.sqlite')} yet: making a new one, which the server ` +
            "does not read. Run this command with the server's environment: its " +
            'GATELOG_DATA_DIR, or its DATABASE_URL when it runs on PostgreSQL.',
        ],
      ]);
      await run('gates:list');
      expect(warn).toHaveBeenCalledTimes(1);
    } finally {
      warn.mockRestore();
    }
  });

  it('renames a gate and changes its rules, keeping the ones not given', async () => {
    const [gateId] = (await run('gates:create', '北门')).text.split('\t');
    const updated = await run(
      'gates:update',
      gateId!,
      '--fever',
      '37.5',
      '--key-regions',
      '湖北，温州, Wenzhou',
      '--duty-phone',
      '021-6000 1234',
    );
    expect(updated.code).toBe(0);
    expect(updated.text).toBe(
      `${gateId}\t北门\tfever ≥ 37.5 °C\tquarantine 14 d\tkey regions 湖北, 温州, Wenzhou\tduty phone 021-6000 1234`,
    );
    const renamed = await run(
      'gates:update',
      gateId!,
      '--name',
      '北门 North',
      '--quarantine-days',
      '7',
      '--duty-phone',
      '',
    );
    expect(renamed.text).toBe(
      `${gateId}\t北门 North\tfever ≥ 37.5 °C\tquarantine 7 d\tkey regions 湖北, 温州, Wenzhou\tduty phone -`,
    );
    expect((await run('gates:list')).text).toBe(renamed.text);
  });

  it('says what is wrong with a gate change, and changes nothing', async () => {
    const [gateId] = (await run('gates:create', '北门')).text.split('\t');
    const before = (await run('gates:list')).text;
    await expect(run('gates:update', gateId!, '--fever', '41')).rejects.toThrow(
      'Bad input: --fever: too big: at most 40',
    );
    // A text too short or too long is said so, with its bound (zod's 'too small', and the
    // field's name in the API, said '--name: too small (at least 1 character)').
    await expect(run('gates:update', gateId!, '--name', '')).rejects.toThrow(
      'Bad input: --name: too short: at least 1 character',
    );
    await expect(run('gates:update', gateId!, '--name', '门'.repeat(81))).rejects.toThrow(
      'Bad input: --name: too long: at most 80 characters',
    );
    await expect(
      run('gates:update', gateId!, '--key-regions', `湖北,${'区'.repeat(41)}`),
    ).rejects.toThrow('Bad input: --key-regions: too long: at most 40 characters');
    await expect(run('gates:update', gateId!, '--fever', 'warm')).rejects.toThrow(
      'Bad input: --fever: not a number',
    );
    await expect(run('gates:update', gateId!, '--quarantine-days', '1.5')).rejects.toThrow(
      'Bad input: --quarantine-days: not a whole number',
    );
    await expect(run('gates:update', gateId!, '--duty-phone', '12')).rejects.toThrow(
      'Bad input: --duty-phone: invalid: not a phone number',
    );
    await expect(run('gates:update', gateId!, '--fevr', '37.5')).rejects.toThrow(
      /Unknown option --fevr/,
    );
    await expect(run('gates:update', gateId!)).rejects.toThrow(/nothing to change/);
    await expect(run('gates:update', gateId!, '--fever')).rejects.toThrow(
      /Missing a value for --fever/,
    );
    await expect(run('gates:update')).rejects.toThrow(/Missing <gateId>/);
    await expect(run('gates:update', 'nope', '--fever', '37.5')).rejects.toThrow(/No gate nope/);
    // A new gate's name is checked as the API checks it (81 characters were stored as typed).
    await expect(run('gates:create', '门'.repeat(81))).rejects.toThrow(
      'Bad input: <name>: too long: at most 80 characters',
    );
    expect((await run('gates:list')).text).toBe(before);
  });

  it('says on stderr when a gate is given a fever threshold outside the usual ones, in the terminal’s language', async () => {
    const [gateId] = (await run('gates:create', '北门')).text.split('\t');
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    onTestFinished(() => warn.mockRestore());
    const low = await run('gates:update', gateId!, '--fever', '35');
    expect(low.code).toBe(0);
    expect(low.text).toMatch(/\tfever ≥ 35(\.0)? °C\t/);
    expect(warn).toHaveBeenCalledTimes(1);
    expect(warn).toHaveBeenLastCalledWith(
      'Note: a fever threshold of 35.0 °C is below the usual 37.0–38.5 °C (37.3 °C by default): nearly everyone is flagged as a fever and not let in. If that was not meant, set it again with --fever.',
    );
    // Other rules changed, or a usual threshold: nothing said.
    await run('gates:update', gateId!, '--quarantine-days', '7');
    await run('gates:update', gateId!, '--fever', '38.5');
    expect(warn).toHaveBeenCalledTimes(1);
    vi.stubEnv('LANG', 'zh_CN.UTF-8');
    await run('gates:update', gateId!, '--fever', '39');
    expect(warn).toHaveBeenLastCalledWith(
      '注意：发热标准 39.0 ℃ 高于通常的 37.0–38.5 ℃（默认 37.3 ℃）：发烧的人也不会被判为发热，会被放行。若非本意，请用 --fever 重新设置。',
    );
  });

  it('lists and revokes devices', async () => {
    expect((await run('devices:list')).text).toBe('');
    await expect(run('devices:revoke', 'nope')).rejects.toThrow(/No device nope/);
  });

  it('lists a phone enrolled again as such, not as one still holding records', async () => {
    const [north] = (await run('gates:create', '北门')).text.split('\t');
    const [south] = (await run('gates:create', '南门')).text.split('\t');
    const store = new SqliteStore(join(dir, 'gatelog.sqlite'));
    try {
      const phone = { name: '手机 1', createdAt: Date.parse('2020-02-03T08:00:00Z') };
      await store.createDevice({
        ...phone,
        id: 'dev-1',
        gateId: north!,
        tokenHash: 'a'.repeat(64),
      });
      await store.touchDevice('dev-1', {
        seenAt: phone.createdAt,
        status: { appVersion: '1', pending: 5 },
      });
      await store.createDevice({
        ...phone,
        id: 'dev-2',
        gateId: south!,
        tokenHash: 'b'.repeat(64),
        formerDevices: [{ deviceId: 'dev-1', gateId: north! }],
      });
    } finally {
      await store.close();
    }
    const lines = (await run('devices:list')).text.split('\n');
    expect(lines[0]).toMatch(
      /^dev-1\t手机 1\t北门\tenrolled again as dev-2 at 南门\t.*\tpending -$/,
    );
    expect(lines[1]).toMatch(/^dev-2\t手机 1\t南门\tactive\t/);
  });

  it("lists a phone's last sight and revocation in the terminal's zone, as the clerk reads a clock", async () => {
    const [gateId] = (await run('gates:create', '北门')).text.split('\t');
    const store = new SqliteStore(join(dir, 'gatelog.sqlite'));
    try {
      const phone = { gateId: gateId!, createdAt: Date.parse('2026-12-07T08:00:00Z') };
      await store.createDevice({
        ...phone,
        id: 'dev-1',
        name: '手机 1',
        tokenHash: 'a'.repeat(64),
      });
      await store.touchDevice('dev-1', {
        seenAt: Date.parse('2026-12-07T08:55:47.886Z'),
        status: { appVersion: '1', pending: 0 },
      });
      await store.revokeDevice('dev-1', Date.parse('2026-12-07T17:30:00Z'));
      await store.createDevice({
        ...phone,
        id: 'dev-2',
        name: '手机 2',
        tokenHash: 'b'.repeat(64),
      });
    } finally {
      await store.close();
    }
    // A clerk in Shanghai read 'last seen 2026-12-07T08:55:47.886Z' as eight in the morning.
    vi.stubEnv('TZ', 'Asia/Shanghai');
    expect((await run('devices:list')).text.split('\n')).toEqual([
      'dev-1\t手机 1\t北门\trevoked 2026-12-08 01:30 (UTC+08:00)\t' +
        'last seen 2026-12-07 16:55 (UTC+08:00)\tpending 0',
      'dev-2\t手机 2\t北门\tactive\tlast seen -\tnever synced',
    ]);
  });

  it('rewrites a SQLite file made with 4 KiB pages with 16 KiB ones, keeping its data', async () => {
    const file = join(dir, 'gatelog.sqlite');
    const made = new Database(file);
    made.pragma('page_size = 4096');
    made.pragma('journal_mode = WAL');
    made.close();
    await run('gates:create', '北门');
    const pragmas = () => {
      const db = new Database(file, { readonly: true });
      try {
        return [
          db.pragma('page_size', { simple: true }),
          db.pragma('journal_mode', { simple: true }),
        ];
      } finally {
        db.close();
      }
    };
    expect(pragmas()).toEqual([4096, 'wal']);

    // Not while the server (here a store on the file) has it open: nothing changes.
    const serving = new SqliteStore(file);
    await expect(run('db:rewrite')).rejects.toThrow(/is in use: stop the server/);
    await serving.close();
    expect(pragmas()).toEqual([4096, 'wal']);

    const res = await run('db:rewrite');
    expect(res.code).toBe(0);
    expect(res.text).toMatch(
      /^Rewrote .*gatelog\.sqlite: page size 4 KiB → 16 KiB, file size \d+ KB → \d+ KB$/,
    );
    expect(pragmas()).toEqual([16_384, 'wal']);
    expect((await run('gates:list')).text).toMatch(/\t北门\t/);
    // Run again, it says the page size stayed.
    expect((await run('db:rewrite')).text).toMatch(
      /: page size 16 KiB \(unchanged\), file size \d+ KB → \d+ KB$/,
    );
  });

  it('says what db:rewrite changed in words: the page size and the file size, before → after', () => {
    const file = '/srv/gatelog/data/gatelog.sqlite';
    const r = { pageSizeBefore: 4096, pageSizeAfter: 16_384 };
    expect(rewriteReport(file, { ...r, bytesBefore: 1_523_712, bytesAfter: 1_212_416 })).toBe(
      `Rewrote ${file}: page size 4 KiB → 16 KiB, file size 1.5 MB → 1.2 MB`,
    );
    // It said 'pages 16 → 16 KiB, 0.1 MB → 0.1 MB'.
    const again = { pageSizeBefore: 16_384, pageSizeAfter: 16_384 };
    expect(rewriteReport(file, { ...again, bytesBefore: 98_304, bytesAfter: 999_600 })).toBe(
      `Rewrote ${file}: page size 16 KiB (unchanged), file size 98 KB → 1.0 MB`,
    );
    expect(
      rewriteReport(file, { ...again, bytesBefore: 2_147_483_648, bytesAfter: 999_999_488 }),
    ).toBe(`Rewrote ${file}: page size 16 KiB (unchanged), file size 2.15 GB → 1.00 GB`);
  });

  it('refuses to rewrite a database a newer GateLog wrote, and leaves it as it was', async () => {
    const file = join(dir, 'gatelog.sqlite');
    const made = new Database(file);
    made.pragma('page_size = 4096');
    made.close();
    await run('gates:create', '北门');
    const newer = new Database(file);
    newer
      .prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (99, ?, 0)')
      .run('from-a-newer-gatelog');
    newer.close();
    const before = readFileSync(file);
    await expect(run('db:rewrite')).rejects.toThrow(
      /has schema version 99, written by a newer GateLog/,
    );
    expect(readFileSync(file).equals(before)).toBe(true);
  });

  it('refuses to rewrite a database it does not have', async () => {
    await expect(run('db:rewrite')).rejects.toThrow(/No database at/);
    vi.stubEnv('DATABASE_URL', 'postgres://gatelog@127.0.0.1:1/gatelog');
    await expect(run('db:rewrite')).rejects.toThrow(/for the SQLite file/);
  });

  it('names an unknown command, prints usage and fails', async () => {
    const res = await run('bogus');
    expect(res.code).toBe(2);
    expect(res.text).toContain('Unknown command: bogus');
    expect(res.text).toContain('Usage: npm run gatelog');
    expect((await run()).code).toBe(0);
  });
});

describe('npm run gatelog in a Chinese terminal', () => {
  const chinese = () => vi.stubEnv('LANG', 'zh_CN.UTF-8');

  it('speaks Chinese when LC_ALL, else LC_MESSAGES, else LANG is Chinese; with none set, as the system', () => {
    const env = (vars: Record<string, string>) => terminalLocale(vars, 'en-US');
    expect(env({ LANG: 'zh_CN.UTF-8' })).toBe('zh-CN');
    expect(env({ LANG: 'zh_TW.Big5' })).toBe('zh-CN');
    expect(env({ LANG: 'en_US.UTF-8', LC_MESSAGES: 'zh_CN.UTF-8' })).toBe('zh-CN');
    expect(env({ LANG: 'en_US.UTF-8', LC_ALL: 'zh_CN.UTF-8' })).toBe('zh-CN');
    // LC_ALL overrides the others, and C is English.
    expect(env({ LANG: 'zh_CN.UTF-8', LC_ALL: 'C' })).toBe('en');
    expect(env({ LANG: 'zh_CN.UTF-8', LC_MESSAGES: 'en_GB.UTF-8' })).toBe('en');
    expect(env({ LANG: 'C.UTF-8' })).toBe('en');
    expect(env({ LANG: 'zu_ZA.UTF-8' })).toBe('en');
    // An empty one is not set. Windows' terminals set none: the system's language decides.
    expect(env({ LANG: '', LC_ALL: '' })).toBe('en');
    expect(terminalLocale({}, 'zh-CN')).toBe('zh-CN');
    expect(terminalLocale({ LANG: '' }, 'zh-Hans-CN')).toBe('zh-CN');
    expect(terminalLocale({}, 'en-US')).toBe('en');
  });

  it('gives its help and its messages in Chinese, its tab-separated listings as in English', async () => {
    chinese();
    const help = await run();
    expect(help.code).toBe(0);
    expect(help.text).toMatch(/^用法：npm run gatelog -- <命令>\n/);
    expect(help.text).toContain('  gates:create <名称>        新建门岗\n');
    const bogus = await run('bogus');
    expect(bogus.code).toBe(2);
    expect(bogus.text.split('\n').slice(0, 2)).toEqual([
      '没有这个命令：bogus',
      '用法：npm run gatelog -- <命令>',
    ]);

    // The listing scripts read is the same in both languages.
    const [gateId, name] = (await run('gates:create', '北门')).text.split('\t');
    expect(name).toBe('北门');
    expect((await run('gates:list')).text).toContain(`${gateId}\t北门\tfever ≥ 37.3 °C`);

    await expect(run('gates:update', gateId!, '--fever', '41')).rejects.toThrow(
      '输入有误：--fever：太大，最多 40',
    );
    await expect(
      run('gates:update', gateId!, '--fever', 'warm', '--quarantine-days', '1.5'),
    ).rejects.toThrow('输入有误：--fever：不是数字；--quarantine-days：不是整数');
    await expect(run('gates:update', gateId!, '--name', '')).rejects.toThrow(
      '输入有误：--name：太短，至少 1 个字',
    );
    await expect(run('gates:create', '门'.repeat(81))).rejects.toThrow(
      '输入有误：<名称>：太长，最多 80 个字',
    );
    await expect(run('gates:update', gateId!)).rejects.toThrow(
      '输入有误：没有要改的：请给出 --name 或规则选项',
    );
    await expect(run('gates:update', gateId!, '--fevr', '37.5')).rejects.toThrow(
      /^没有 --fevr 这个选项。\n\n用法：/,
    );
    await expect(run('gates:update', gateId!, '--fever')).rejects.toThrow(
      /^--fever 后面缺少值。\n\n用法：/,
    );
    await expect(run('gates:update')).rejects.toThrow(/^缺少 <门岗编号>。\n\n用法：/);
    await expect(run('gates:update', 'nope', '--fever', '37.5')).rejects.toThrow(
      '没有门岗 nope；请用 gates:list 查看',
    );
    await expect(run('devices:revoke', 'nope')).rejects.toThrow(
      '没有手机 nope；请用 devices:list 查看',
    );
    await expect(run('passes:create', '王小明', '3号楼', '2001-01-01')).rejects.toThrow(
      '输入有误：<有效期至>：是过去的日期',
    );
    await expect(run('passes:create', '王小明', '3号楼', '2099-01-01')).rejects.toThrow(
      /^输入有误：<有效期至>：超过 \d+ 天以后$/,
    );
    const soon = new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10);
    await expect(run('passes:create', '王小明', '3号楼', soon, 'nope')).rejects.toThrow(
      '没有这个门岗；请用 gates:list 查看',
    );
    await expect(run('watchlist:add', '胡军', '2099-01-01')).rejects.toThrow(
      '输入有误：--pass、--id、--phone 至少要给一个',
    );
    await expect(run('watchlist:remove', 'nope')).rejects.toThrow(
      '名单里没有 nope；请用 watchlist:list 查看',
    );

    // The first start's gate in Chinese alone, and the code's end in the terminal's zone.
    vi.stubEnv('TZ', 'Asia/Shanghai');
    const [main] = (await run('gates:create', 'Main gate / 正门')).text.split('\t');
    const code = await run('codes:create', main!);
    expect(code.text).toMatch(
      /^门岗“正门”的手机登记链接：只能用一次，有效期至 \d{4}-\d\d-\d\d \d\d:\d\d \(UTC\+08:00\)。$/m,
    );
    vi.stubEnv('GATELOG_PUBLIC_URL', '');
    expect((await run('codes:create', gateId!)).text.trim().split('\n').at(-1)).toMatch(
      /^注意：这条命令没有设置 GATELOG_PUBLIC_URL/,
    );
    expect((await run('passes:rotate-key')).text).toMatch(
      /^今后的出入证用密钥 \S+ 签发；以前签发的出入证仍然有效。$/,
    );
  });

  it('says in Chinese what db:rewrite did, and that a database it makes is not the server’s', async () => {
    chinese();
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    try {
      await run('gates:list');
      expect(warn.mock.calls).toEqual([
        [
          `${join(dir, 'gatelog.sqlite')} 还没有数据库：现在新建一个，但服务器不读它。` +
            '请用服务器的环境运行这条命令：它的 GATELOG_DATA_DIR，服务器用 PostgreSQL 时则是它的 DATABASE_URL。',
        ],
      ]);
    } finally {
      warn.mockRestore();
    }
    expect((await run('db:rewrite')).text).toMatch(
      /^已重写 .*gatelog\.sqlite：页大小 16 KiB（未变），文件大小 \d+ KB → \d+ KB$/,
    );
    vi.stubEnv('DATABASE_URL', 'postgres://gatelog@127.0.0.1:1/gatelog');
    await expect(run('db:rewrite')).rejects.toThrow(
      'db:rewrite 只用于 SQLite 数据库文件；PostgreSQL 有自己的 VACUUM。',
    );
  });

  it('throws every error an operator reads in Chinese, keeping its kind and its cause', async () => {
    chinese();
    const file = join(dir, 'gatelog.sqlite');
    // The environment's mistakes (thrown in English, only printed in Chinese).
    vi.stubEnv('PORT', 'eighty');
    const env = await failure('gates:list');
    expect(env).toBeInstanceOf(ConfigError);
    expect(env.message).toBe('环境变量有误：PORT：不是数字');
    // Help needs no environment.
    expect((await run('help')).code).toBe(0);
    vi.stubEnv('PORT', '');

    // A database file that cannot be opened (SQLite's own English error, with its stack).
    mkdirSync(file);
    const cannot = await failure('gates:list');
    expect(cannot.message).toMatch(
      new RegExp(`^无法打开数据库 ${file}（SQLITE_CANTOPEN：.*）。\n请检查它所在的文件夹`),
    );
    expect(cannot.cause).toMatchObject({ code: 'SQLITE_CANTOPEN' });
    rmSync(file, { recursive: true });

    // A rewrite of a file the server holds open, or of one that is not a database.
    await run('gates:create', '北门');
    const serving = new SqliteStore(file);
    const inUse = await failure('db:rewrite');
    await serving.close();
    expect(inUse.message).toBe(
      `${file} 正在使用中：请先停掉服务器（以及其他 gatelog 命令），再运行这条命令`,
    );
    expect(inUse.cause).toMatchObject({ code: 'SQLITE_BUSY' });
    writeFileSync(file, 'not a database, but a file someone put here'.repeat(100));
    rmSync(`${file}-wal`, { force: true });
    rmSync(`${file}-shm`, { force: true });
    expect((await failure('db:rewrite')).message).toBe(
      `无法重写 ${file}（SQLITE_NOTADB：file is not a database）。`,
    );
  });

  it('throws in Chinese a database a newer GateLog wrote, and a sheet it cannot write', async () => {
    chinese();
    const file = join(dir, 'gatelog.sqlite');
    await run('gates:create', '北门');
    const sheet = join(dir, 'no-such-folder', 'passes.html');
    const unwritten = await failure('passes:sheet', sheet);
    expect(unwritten).toBeInstanceOf(ConfigError);
    expect(unwritten.message).toBe(
      `无法写入 ${sheet}（ENOENT：no such file or directory）。请检查它所在的文件夹是否存在，` +
        '以及你能否在那里写入。',
    );
    const newer = new Database(file);
    newer
      .prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (99, ?, 0)')
      .run('from-a-newer-gatelog');
    newer.close();
    for (const command of ['gates:list', 'db:rewrite']) {
      const refused = await failure(command);
      expect(refused).toMatchObject({ code: 'GATELOG_DB_NEWER' });
      expect(refused.message).toMatch(
        new RegExp(`^数据库 ${file}：结构版本是 99，是更新的 GateLog 写入的；`),
      );
    }
  });

  it('prints such an error in one line of the terminal’s language, with no stack', () => {
    const sheet = join(dir, 'no-such-folder', 'passes.html');
    const said = (LC_ALL: string) => {
      const cli = spawnSync(
        process.execPath,
        ['--import', 'tsx', 'src/server/cli.ts', 'passes:sheet', sheet],
        {
          env: { ...process.env, GATELOG_DATA_DIR: dir, DATABASE_URL: '', LC_ALL },
          encoding: 'utf8',
          timeout: 60_000,
        },
      );
      expect(cli.status).toBe(1);
      return cli.stderr.trim().split('\n').at(-1);
    };
    expect(said('zh_CN.UTF-8')).toBe(
      `无法写入 ${sheet}（ENOENT：no such file or directory）。请检查它所在的文件夹是否存在，` +
        '以及你能否在那里写入。',
    );
    expect(said('C.UTF-8')).toBe(
      `Cannot write ${sheet} (ENOENT: no such file or directory). Check that its folder exists ` +
        'and that you may write there.',
    );
  }, 70_000);
});

/** The error `runCli` ends `argv` with (none: the test fails). */
async function failure(...argv: string[]): Promise<Error & { cause?: unknown; code?: string }> {
  try {
    await runCli(argv, () => {});
  } catch (err) {
    return err as Error;
  }
  throw new Error(`${argv.join(' ')} did not fail`);
}
