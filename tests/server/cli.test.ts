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
