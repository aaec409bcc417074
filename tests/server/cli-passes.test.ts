/** `npm run gatelog -- passes:* | watchlist:*`: the committee's pass chores from a terminal. */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { runCli } from '../../src/server/cli';

let dir: string;
const run = async (...argv: string[]) => {
  const out: string[] = [];
  const code = await runCli(argv, (line) => void out.push(line));
  return { code, text: out.join('\n') };
};
const inDays = (n: number) => new Date(Date.now() + n * 86_400_000).toISOString().slice(0, 10);

/** `work` run three days on: what ends tomorrow has ended then, wherever the terminal is. */
async function threeDaysOn<T>(work: () => Promise<T>): Promise<T> {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(Date.now() + 3 * 86_400_000);
  try {
    return await work();
  } finally {
    vi.useRealTimers();
  }
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'gatelog-cli-passes-'));
  vi.stubEnv('GATELOG_DATA_DIR', dir);
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

describe('npm run gatelog -- passes:*', () => {
  it('creates, lists, prints and revokes passes; rotates the key', async () => {
    const created = await run('passes:create', '王小明', '3号楼 502室', inDays(30));
    expect(created.code).toBe(0);
    const [id, name, address] = created.text.split('\t');
    // As printed on the card and shown on the committee's page.
    expect(id).toMatch(/^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$/);
    expect([name, address]).toEqual(['王小明', '3号楼 502室']);
    expect((await run('passes:list')).text).toContain(`${id}\t王小明\t3号楼 502室`);

    const file = join(dir, 'sheet.html');
    expect((await run('passes:sheet', file)).text).toContain('Wrote 1 pass card to ');
    expect(existsSync(file)).toBe(true);
    expect(readFileSync(file, 'utf8')).toContain('王小明');

    expect((await run('passes:rotate-key')).text).toMatch(/signed with key \S+/);
    expect((await run('passes:revoke', id!.toLowerCase())).text).toBe(`Revoked ${id} (王小明)`);
    expect((await run('passes:list')).text).toBe('');
    await expect(run('passes:revoke', 'ZZZZZZZZ')).rejects.toThrow(/No pass ZZZZZZZZ/);
  });

  it('prints only the cards of passes in force on this terminal’s day', async () => {
    const ending = (await run('passes:create', '到期', '1号楼', inDays(1))).text.split('\t')[0]!;
    await run('passes:create', '李华', '7号楼', inDays(30));
    const file = join(dir, 'sheet.html');
    expect((await threeDaysOn(() => run('passes:sheet', file))).text).toMatch(
      /^Wrote 1 pass card to \S+ \(1 expired before \d{4}-\d\d-\d\d left out\); open it/,
    );
    const html = readFileSync(file, 'utf8');
    expect(html).toContain('李华');
    expect(html).not.toContain('到期');
    expect(html).not.toContain(ending);
  });

  it("dates the sheet in the terminal's zone, as the clerk who prints it reads a clock", async () => {
    vi.stubEnv('TZ', 'Asia/Shanghai');
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.parse('2026-12-07T20:55:47.886Z'));
    try {
      const file = join(dir, 'sheet.html');
      await run('passes:sheet', file);
      // It said '2026-12-07 20:55 UTC': the day before the one it is valid on, in Shanghai.
      expect(readFileSync(file, 'utf8')).toContain(
        '0 张 — 2026-12-08 有效 valid on 2026-12-08 — 2026-12-08 04:55 (UTC+08:00). 用 A4 纸打印',
      );
    } finally {
      vi.useRealTimers();
    }
  });

  it('marks a pass past its last day as the page does: the gates refuse it', async () => {
    const ending = (await run('passes:create', '到期', '1号楼', inDays(1))).text.split('\t')[0]!;
    const going = (await run('passes:create', '李华', '7号楼', inDays(30))).text.split('\t')[0]!;
    expect((await run('passes:list')).text).not.toContain('Expired');
    const lines = await threeDaysOn(async () => (await run('passes:list')).text.split('\n'));
    expect(lines.find((l) => l.startsWith(ending))).toMatch(
      /\tall gates\tExpired: the gates refuse it$/,
    );
    expect(lines.find((l) => l.startsWith(going))).toMatch(/\tall gates$/);
  });

  it('prints pass numbers as on the card, and takes them back in either form, any case', async () => {
    const number = async (name: string) =>
      (await run('passes:create', name, '1号楼', inDays(30))).text.split('\t')[0]!;
    const printed = await Promise.all(['甲', '乙', '丙'].map(number));
    const list = (await run('passes:list')).text.split('\n');
    expect(list.map((l) => l.split('\t')[0]).sort()).toEqual([...printed].sort());
    // Typed back as printed, as stored (no dash), in lower case: the same pass.
    const [a, b, c] = printed as [string, string, string];
    expect((await run('passes:revoke', a)).text).toBe(`Revoked ${a} (甲)`);
    expect((await run('passes:revoke', b.replace('-', ''))).text).toBe(`Revoked ${b} (乙)`);
    const added = await run('watchlist:add', '丙', inDays(7), '--pass', c.replace('-', ''));
    expect(added.code).toBe(0);
    expect((await run('watchlist:list')).text).toContain(`\tby pass number ${c}`);
    expect((await run('passes:revoke', c.toLowerCase())).text).toBe(`Revoked ${c} (丙)`);
    expect((await run('passes:list')).text).toBe('');
  });

  it('says what is wrong with bad input', async () => {
    await expect(run('passes:create', '王小明', '3号楼', '2001-01-01')).rejects.toThrow(
      'Bad input: <validUntil>: in the past',
    );
    await expect(run('passes:create', '王小明', '3号楼', 'soon')).rejects.toThrow(/validUntil/);
    await expect(run('passes:create', '王小明')).rejects.toThrow(/Missing <address>/);
    // Its fields named as typed: arguments here, not watchlist:add's --address.
    await expect(run('passes:create', ' ', '3号楼', inDays(30))).rejects.toThrow(
      'Bad input: <name>: required',
    );
    await expect(run('passes:create', '王小明', '楼'.repeat(81), inDays(30))).rejects.toThrow(
      'Bad input: <address>: too long',
    );
  });
});

describe('npm run gatelog -- watchlist:*', () => {
  it('keeps the household address and a note, as the page’s form does, checked as the API checks them', async () => {
    const added = await run(
      'watchlist:add',
      '钱八',
      inDays(14),
      '--pass',
      '7k3m-9qx2',
      '--address',
      ' 3号楼 502室 ',
      '--note',
      '从武汉返回，社区医生每日上门测温',
    );
    const [id] = added.text.split('\t');
    expect((await run('watchlist:list')).text).toBe(
      `${id}\t钱八\tuntil ${inDays(14)}\tby pass number 7K3M-9QX2\taddress 3号楼 502室\tnote 从武汉返回，社区医生每日上门测温`,
    );
    const addWith = (...more: string[]) =>
      run('watchlist:add', '钱八', inDays(14), '--phone', '13800138000', ...more);
    await expect(addWith('--address', '楼'.repeat(81))).rejects.toThrow(
      'Bad input: --address: too long',
    );
    await expect(addWith('--note', 'x'.repeat(201))).rejects.toThrow('Bad input: --note: too long');
    await expect(addWith('--note', 'line one\nline two')).rejects.toThrow(
      'Bad input: --note: invalid: holds a control character',
    );
    await expect(addWith('--address')).rejects.toThrow('Missing a value for --address.');
  });

  it('adds, lists and removes people under home quarantine', async () => {
    const added = await run(
      'watchlist:add',
      '赵六',
      inDays(14),
      '--phone',
      '13800138000',
      '--id',
      '31010119800101123X',
    );
    const [id] = added.text.split('\t');
    expect(added.text).toContain(`赵六\thome quarantine until ${inDays(14)}`);
    expect((await run('watchlist:list')).text).toContain(
      `${id}\t赵六\tuntil ${inDays(14)}\tby ID number, phone`,
    );
    expect((await run('watchlist:list')).text).not.toContain('Ended');
    const ending = (await run('watchlist:add', '孙七', inDays(1), '--phone', '13900139000')).text;
    const lines = await threeDaysOn(async () => (await run('watchlist:list')).text.split('\n'));
    expect(lines.find((l) => l.startsWith(ending.split('\t')[0]!))).toMatch(
      /\tby phone\tEnded: the gates no longer alert$/,
    );
    expect(lines.find((l) => l.startsWith(id!))).toMatch(/\tby ID number, phone$/);
    expect((await run('watchlist:remove', id!)).text).toBe(`Removed ${id}`);
    await expect(run('watchlist:add', '赵六', inDays(14))).rejects.toThrow(
      'Bad input: one of --pass, --id or --phone is needed',
    );
    await expect(run('watchlist:add', '赵六', inDays(14), '--id', '123')).rejects.toThrow(
      'Bad input: --id: not an ID number a gate could match',
    );
    await expect(run('watchlist:add', '赵六', inDays(14), '--phone', 'abc')).rejects.toThrow(
      'Bad input: --phone: not a phone number',
    );
    await expect(
      run('watchlist:add', '赵六', inDays(14), '--phone', '13800138000', '--adress', '3号楼'),
    ).rejects.toThrow('Unknown option --adress.');
    await expect(run('watchlist:add', '赵六', inDays(14), '--pass', '502')).rejects.toThrow(
      'Bad input: --pass: not a pass number (8 letters and digits, as on the card: 7K3M-9QX2)',
    );
  });
});
