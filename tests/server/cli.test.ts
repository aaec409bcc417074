import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { runCli } from '../../src/server/cli';

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

    const code = await run('codes:create', gateId!);
    expect(code.text).toMatch(/https:\/\/gate\.example\.org\/\?enroll=[A-Z2-7]{24}/);
    expect(code.text).toContain('▄');
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
      'Bad input: rules.feverThresholdC: too_big',
    );
    await expect(run('gates:update', gateId!, '--fever', 'warm')).rejects.toThrow(
      'Bad input: rules.feverThresholdC: invalid_type',
    );
    await expect(run('gates:update', gateId!, '--quarantine-days', '1.5')).rejects.toThrow(
      'rules.quarantineDays: invalid_type',
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
    expect((await run('gates:list')).text).toBe(before);
  });

  it('lists and revokes devices', async () => {
    expect((await run('devices:list')).text).toBe('');
    await expect(run('devices:revoke', 'nope')).rejects.toThrow(/No device nope/);
  });

  it('prints usage for an unknown command and fails', async () => {
    const res = await run('bogus');
    expect(res.code).toBe(2);
    expect(res.text).toContain('Usage: npm run gatelog');
    expect((await run()).code).toBe(0);
  });
});
