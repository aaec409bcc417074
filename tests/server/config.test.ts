import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  adminTokenShown,
  ConfigError,
  loadConfig,
  newAdminToken,
  storedAdminToken,
  type Config,
} from '../../src/server/config';

let dir: string | undefined;
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

describe('loadConfig', () => {
  it('has defaults for everything', () => {
    const c = loadConfig({});
    expect(c).toMatchObject({
      port: 8080,
      host: '0.0.0.0',
      logLevel: 'info',
      retentionDays: 28,
      trustProxy: false,
    });
    expect(c.sqliteFile).toMatch(/data[\\/]gatelog\.sqlite$/);
    expect(c.adminToken).toBeUndefined();
  });

  it('reads the environment, empty values meaning unset', () => {
    const c = loadConfig({
      PORT: '9000',
      HOST: '127.0.0.1',
      GATELOG_DATA_DIR: '/srv/gatelog',
      GATELOG_PUBLIC_URL: 'https://gate.example.org/',
      GATELOG_ADMIN_TOKEN: 'a-long-enough-admin-token',
      GATELOG_TRUST_PROXY: 'true',
      LOG_LEVEL: '',
    });
    expect(c).toMatchObject({
      port: 9000,
      host: '127.0.0.1',
      dataDir: '/srv/gatelog',
      sqliteFile: '/srv/gatelog/gatelog.sqlite',
      publicUrl: 'https://gate.example.org',
      adminToken: 'a-long-enough-admin-token',
      trustProxy: 'loopback',
      logLevel: 'info',
    });
  });

  it('trusts the proxies in front, never every hop a client names', () => {
    const trust = (v: string) => loadConfig({ GATELOG_TRUST_PROXY: v }).trustProxy;
    expect(trust('true')).toBe('loopback');
    expect(trust('false')).toBe(false);
    expect(trust('0')).toBe(false);
    expect(trust('127.0.0.1, 10.0.0.0/8,loopback')).toBe('127.0.0.1,10.0.0.0/8,loopback');
    expect(trust('::1')).toBe('::1');
    for (const bad of ['all', '2', '10.0.0.0/8/1', 'example.org', '1.2.3']) {
      expect(() => trust(bad)).toThrow(/GATELOG_TRUST_PROXY/);
    }
  });

  it('names every bad variable, in the terminal’s words', () => {
    const refusal = (() => {
      try {
        loadConfig({
          PORT: '70000',
          GATELOG_ADMIN_TOKEN: 'short',
          GATELOG_TRUST_PROXY: 'all',
          LOG_LEVEL: 'loud',
        });
      } catch (err) {
        return err as ConfigError;
      }
    })();
    expect(refusal?.message).toBe(
      'Bad environment: PORT: too big: at most 65535; GATELOG_ADMIN_TOKEN: at least 16 ' +
        "characters; GATELOG_TRUST_PROXY: true (a proxy on this machine), false, or the proxies' " +
        'addresses (comma-separated; loopback, uniquelocal); LOG_LEVEL: one of fatal, error, ' +
        'warn, info, debug, trace, silent',
    );
    expect(refusal?.in('zh-CN')).toBe(
      '环境变量有误：PORT：太大，最多 65535；GATELOG_ADMIN_TOKEN：至少要 16 个字符；' +
        'GATELOG_TRUST_PROXY：true（代理在这台电脑上）、false，或代理的地址（用逗号分隔；可写 ' +
        'loopback、uniquelocal）；LOG_LEVEL：须是 fatal, error, warn, info, debug, trace, silent 之一',
    );
  });

  it('names every bad variable', () => {
    expect(() => loadConfig({ PORT: 'eighty', GATELOG_ADMIN_TOKEN: 'short' })).toThrow(
      /PORT.*GATELOG_ADMIN_TOKEN|GATELOG_ADMIN_TOKEN.*PORT/,
    );
    expect(() => loadConfig({ GATELOG_PUBLIC_URL: 'ftp://x' })).toThrow(ConfigError);
  });

  it('takes GATELOG_PUBLIC_URL as an address alone, the root of its host', () => {
    const url = (v: string) => loadConfig({ GATELOG_PUBLIC_URL: v }).publicUrl;
    expect(url('https://gatelog.example.org:8443/')).toBe('https://gatelog.example.org:8443');
    expect(url('https://gatelog.example.org')).toBe('https://gatelog.example.org');
    for (const bad of [
      'https://example.org/gatelog',
      'https://example.org/gatelog/',
      'https://gatelog.example.org/?lang=zh-CN',
      'https://gatelog.example.org/#enroll',
    ]) {
      expect(() => url(bad)).toThrow(
        'Bad environment: GATELOG_PUBLIC_URL: the address alone, with no path, query or #: ' +
          'GateLog is served at the root of its host (https://gatelog.example.org)',
      );
    }
  });

  it('takes a postgres:// DATABASE_URL and refuses anything else clearly', () => {
    expect(loadConfig({ DATABASE_URL: 'postgres://u:p@localhost/db' }).databaseUrl).toBe(
      'postgres://u:p@localhost/db',
    );
    expect(() => loadConfig({ DATABASE_URL: 'mysql://u:p@localhost/db' })).toThrow(/DATABASE_URL/);
  });
});

/** What main.ts does at start-up: the admin token already there, else a new one. */
function ensureAdminToken(config: Config) {
  return storedAdminToken(config) ?? newAdminToken(config);
}

describe('storedAdminToken, else newAdminToken', () => {
  it('generates a token once, stores it with mode 600, then reuses it', () => {
    dir = mkdtempSync(join(tmpdir(), 'gatelog-config-'));
    const config = loadConfig({ GATELOG_DATA_DIR: join(dir, 'data') });
    const first = ensureAdminToken(config);
    expect(first.created).toBe(true);
    expect(first.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const file = join(dir, 'data', 'admin-token');
    expect(readFileSync(file, 'utf8').trim()).toBe(first.token);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(statSync(join(dir, 'data')).mode & 0o777).toBe(0o700);
    // Not printed yet (a start stopped before it printed it): the next start finds it unshown.
    expect(ensureAdminToken(config)).toEqual({
      token: first.token,
      created: false,
      unshown: true,
      file,
    });
    adminTokenShown(first);
    expect(ensureAdminToken(config)).toEqual({ token: first.token, created: false, file });
  });

  it('takes a token written into the file by hand as shown, the one GateLog made never printed', () => {
    dir = mkdtempSync(join(tmpdir(), 'gatelog-config-'));
    const config = loadConfig({ GATELOG_DATA_DIR: dir });
    const made = ensureAdminToken(config);
    const file = join(dir, 'admin-token');
    expect(statSync(`${file}.unshown`).mode & 0o777).toBe(0o600);
    expect(readFileSync(`${file}.unshown`, 'utf8')).not.toContain(made.token);
    writeFileSync(file, 'the-clerks-own-admin-token\n');
    expect(ensureAdminToken(config)).toEqual({
      token: 'the-clerks-own-admin-token',
      created: false,
      file,
    });
  });

  it('refuses a token file shorter than 16 characters, naming the file, and keeps it', () => {
    dir = mkdtempSync(join(tmpdir(), 'gatelog-config-'));
    const file = join(dir, 'admin-token');
    writeFileSync(file, '  fifteen-chars-x \n');
    const config = loadConfig({ GATELOG_DATA_DIR: dir });
    expect(() => ensureAdminToken(config)).toThrow(ConfigError);
    expect(() => ensureAdminToken(config)).toThrow(
      `The admin token in ${file} is too short (15 characters): an admin token needs at least 16 characters.`,
    );
    expect(readFileSync(file, 'utf8')).toBe('  fifteen-chars-x \n');
    // Said in a Chinese terminal's words by npm start (its message stays English).
    const refusal = (() => {
      try {
        ensureAdminToken(config);
      } catch (err) {
        return err as ConfigError;
      }
    })();
    expect(refusal?.in('zh-CN')).toBe(
      `${file} 里的管理令牌太短（15 个字符）：管理令牌至少要 16 个字符。请在这个文件里写一个` +
        '更长的，或者清空它让 GateLog 生成一个，然后重新启动。',
    );
    expect(refusal?.in('en')).toBe(refusal?.message);
    writeFileSync(file, 'sixteen-chars-xy');
    expect(ensureAdminToken(config)).toEqual({ token: 'sixteen-chars-xy', created: false, file });
  });

  it('makes a token when the file is empty, as when it is missing', () => {
    dir = mkdtempSync(join(tmpdir(), 'gatelog-config-'));
    const file = join(dir, 'admin-token');
    for (const empty of [' \n', '\0\0\0\0']) {
      writeFileSync(file, empty);
      const made = ensureAdminToken(loadConfig({ GATELOG_DATA_DIR: dir }));
      expect(made.created).toBe(true);
      expect(readFileSync(file, 'utf8').trim()).toBe(made.token);
    }
  });

  it('writes a new token whole into a file of its own (mode 600), then renames it into place', () => {
    dir = mkdtempSync(join(tmpdir(), 'gatelog-config-'));
    const file = join(dir, 'admin-token');
    writeFileSync(file, '', { mode: 0o644 });
    const before = statSync(file).ino;
    const made = ensureAdminToken(loadConfig({ GATELOG_DATA_DIR: dir }));
    // Another file took the name: the empty one was never half-filled where a reader looks.
    expect(statSync(file).ino).not.toBe(before);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readFileSync(file, 'utf8')).toBe(`${made.token}\n`);
    expect(readdirSync(dir).sort()).toEqual(['admin-token', 'admin-token.unshown']);
  });

  it('prefers GATELOG_ADMIN_TOKEN', () => {
    const config = loadConfig({ GATELOG_ADMIN_TOKEN: 'a-long-enough-admin-token' });
    expect(ensureAdminToken(config)).toEqual({
      token: 'a-long-enough-admin-token',
      created: false,
    });
  });
});
