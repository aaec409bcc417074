import { execFileSync } from 'node:child_process';
import {
  chmodSync,
  chownSync,
  existsSync,
  mkdtempSync,
  renameSync,
  rmSync,
  statSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DEFAULT_GATE_RULES } from '../../src/shared';
import { canonicalJson, toRecordRow } from '../../src/server/records';
import { SqliteStore } from '../../src/server/store/sqlite';
import Database from 'better-sqlite3';
import {
  startCheckpointer,
  WRITER_CHECKPOINT_BYTES,
} from '../../src/server/store/sqlite-checkpointer';
import { startWriter, type SqliteWriter } from '../../src/server/store/sqlite-writer';
import type { RecordRow } from '../../src/server/store/types';
import { makeGateLog } from './factories';

let dir: string;
let store: SqliteStore;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'gatelog-store-'));
  store = new SqliteStore(join(dir, 'nested', 'gatelog.sqlite'));
  await store.migrate();
  await store.createGate({ id: 'gate-1', name: 'Gate', rules: DEFAULT_GATE_RULES, createdAt: 1 });
  await store.createDevice({
    id: 'device-1',
    gateId: 'gate-1',
    name: 'Phone',
    tokenHash: 'ab'.repeat(32),
    createdAt: 1,
  });
});
afterEach(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

const rowOf = (receivedAt = 1000, overrides = {}): RecordRow => {
  const r = makeGateLog(overrides);
  return toRecordRow(r, DEFAULT_GATE_RULES, receivedAt, 'batch-1', canonicalJson(r));
};

describe('SqliteStore', () => {
  it('runs in WAL mode with foreign keys and a busy timeout', () => {
    expect(store.db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(store.db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(store.db.pragma('busy_timeout', { simple: true })).toBeGreaterThan(0);
  });

  it('makes a new database with 16 KiB pages, and keeps the pages of an existing one', async () => {
    expect(store.db.pragma('page_size', { simple: true })).toBe(16_384);
    const file = join(dir, 'made-before.sqlite');
    const before = new Database(file);
    before.pragma('journal_mode = WAL');
    before.close();
    const old = new SqliteStore(file);
    try {
      await old.migrate();
      expect(old.db.pragma('page_size', { simple: true })).toBe(4096);
      // The writer's own checkpoint line is the same amount of WAL whatever the page size.
      expect(old.db.pragma('wal_autocheckpoint', { simple: true })).toBe(
        WRITER_CHECKPOINT_BYTES / 4096,
      );
    } finally {
      await old.close();
    }
  });

  it('checkpoints its WAL on a thread of its own, not in the commits', async () => {
    expect(store.db.pragma('wal_autocheckpoint', { simple: true })).toBe(
      WRITER_CHECKPOINT_BYTES / 16_384,
    );
    const before = statSync(store.file).size;
    // ≈2 MB of WAL: under SQLite's own 1,000 pages, so no commit would have copied it.
    for (let i = 0; i < 2; i++) {
      await store.insertRecords(Array.from({ length: 500 }, () => rowOf()));
    }
    expect(statSync(`${store.file}-wal`).size).toBeGreaterThan(1_000_000);
    await expect
      .poll(() => statSync(store.file).size, { timeout: 5_000 })
      .toBeGreaterThan(before + 500_000);
  });

  it('stops the checkpoint thread when it closes, so no WAL is left', async () => {
    await store.insertRecords([rowOf()]);
    await store.close();
    expect(existsSync(`${store.file}-wal`)).toBe(false);
  });

  it('keeps the process alive until the checkpoint thread and the store have closed', () => {
    const file = join(dir, 'child.sqlite');
    const out = execFileSync(
      process.execPath,
      ['--import', 'tsx', join(import.meta.dirname, 'support', 'close-store.ts'), file],
      { encoding: 'utf8' },
    );
    expect(out).toBe('closed shut\n');
    expect(existsSync(`${file}-wal`)).toBe(false);
  });

  describe('its writer thread', () => {
    // PRAGMA data_version moves when another connection commits to the file.
    const othersCommits = () => store.db.pragma('data_version', { simple: true }) as number;
    const sender = { deviceId: 'device-1', seenAt: 5 };

    it('writes a batch there while other requests wait, and in place when alone', async () => {
      const before = othersCommits();
      const alone = [rowOf(), rowOf()];
      expect((await store.insertRecords(alone, sender)).inserted).toHaveLength(2);
      expect(othersCommits()).toBe(before);

      const busy = [rowOf(), rowOf(), alone[0]!];
      const r = await store.insertRecords(busy, sender, { othersWaiting: true });
      expect(r.inserted).toEqual([busy[0]!.id, busy[1]!.id]);
      expect(r.existing).toEqual(new Map([[alone[0]!.id, alone[0]!.json]]));
      expect(othersCommits()).toBeGreaterThan(before);
      // Committed before the answer: this connection reads it at once.
      expect(store.db.prepare('SELECT count(*) FROM records').pluck().get()).toBe(4);
      const device = await store.getDeviceByTokenHash('ab'.repeat(32));
      expect(device).toMatchObject({ lastSeenAt: 5, lastRecordId: busy[1]!.id });
    });

    it('stores each of many batches once, handed over or not, in any mix', async () => {
      const batches = Array.from({ length: 12 }, () => [rowOf(), rowOf(), rowOf()]);
      const answers = await Promise.all(
        batches.map((b, i) =>
          store.insertRecords([...b, batches[0]![0]!], sender, { othersWaiting: i % 3 !== 0 }),
        ),
      );
      const inserted = answers.flatMap((a) => a.inserted);
      expect(new Set(inserted).size).toBe(inserted.length);
      expect(inserted.sort()).toEqual(
        batches
          .flat()
          .map((r) => r.id)
          .sort(),
      );
      expect(store.db.prepare('SELECT count(*) FROM records').pluck().get()).toBe(36);
    });

    it('answers a batch it cannot store with the error, and stores none of it', async () => {
      const rows = [rowOf(), rowOf(1000, { deviceId: 'no-such-device' })];
      await expect(store.insertRecords(rows, sender, { othersWaiting: true })).rejects.toThrow(
        /FOREIGN KEY/,
      );
      expect(store.db.prepare('SELECT count(*) FROM records').pluck().get()).toBe(0);
      // The thread goes on: the next batch is stored.
      const next = await store.insertRecords([rowOf()], sender, { othersWaiting: true });
      expect(next.inserted).toHaveLength(1);
    });

    it('writes in place again, and says so, once the thread is gone', async () => {
      store.serving();
      const writer = (store as unknown as { writer: SqliteWriter }).writer;
      await writer.close();
      const warned = new Promise<Error>((ok) => process.once('warning', ok));
      const r = await store.insertRecords([rowOf()], sender, { othersWaiting: true });
      expect(r.inserted).toHaveLength(1);
      expect((await warned).message).toMatch(/request loop again: .*closed/);
    });

    it('checkpoints as this connection does, also once the checkpoint thread is gone', async () => {
      type Inside = { writer: SqliteWriter; checkpointsBackInCommits(why: string): void };
      const inside = store as unknown as Inside;
      const writerPages = () => inside.writer.call<number>('walAutocheckpoint', []);
      const pages = () => store.db.pragma('wal_autocheckpoint', { simple: true });
      store.serving();
      expect(await writerPages()).toBe(WRITER_CHECKPOINT_BYTES / 16_384);
      const warned = new Promise<Error>((ok) => process.once('warning', ok));
      inside.checkpointsBackInCommits('test');
      expect((await warned).message).toMatch(/back in the commits: test/);
      expect(pages()).toBe(1000);
      expect(await writerPages()).toBe(1000);

      // A writer started after that starts so.
      const other = new SqliteStore(join(dir, 'other.sqlite'));
      try {
        (other as unknown as Inside).checkpointsBackInCommits('before');
        other.serving();
        expect(await (other as unknown as Inside).writer.call('walAutocheckpoint', [])).toBe(1000);
      } finally {
        await other.close();
      }
    });

    it('fails a call with the reason when its thread cannot open the file', async () => {
      const writer = startWriter(dir, 1000); // a directory: no database opens there
      await expect(writer.call('touchDevice', ['device-1', { seenAt: 1 }])).rejects.toThrow(
        /writer thread/,
      );
      expect(writer.gone()).toBeInstanceOf(Error);
      await writer.close();
    });

    it('says in words why its thread stopped when the file was removed, and makes none anew', async () => {
      const file = join(dir, 'removed.sqlite');
      const writer = startWriter(file, 1000);
      const call = writer.call('touchDevice', ['device-1', { seenAt: 1 }]);
      await expect(call).rejects.toThrow(
        `SQLite writer thread failed: could not open ${file}: unable to open database file (SQLITE_CANTOPEN)`,
      );
      expect(existsSync(file)).toBe(false);
      await writer.close();
    });

    it('is left out while kill-before-commit is armed: its count is this connection’s', async () => {
      let fired = 0;
      store.armKillBeforeCommit(() => fired++);
      const before = othersCommits();
      await store.insertRecords([rowOf()], sender, { othersWaiting: true });
      expect(fired).toBe(1);
      expect(othersCommits()).toBe(before);
    });
  });

  it('says in words, once, why the checkpoint thread cannot run', async () => {
    const file = join(dir, 'no-such.sqlite');
    const said: string[] = [];
    const checkpointer = startCheckpointer(file, (why) => said.push(why));
    await vi.waitFor(() => expect(said).toHaveLength(1), { timeout: 10_000 });
    // The thread's failure reached the store as its code alone: "failed: undefined".
    expect(said[0]).toBe(
      `the checkpoint thread could not open ${file}: unable to open database file (SQLITE_CANTOPEN)`,
    );
    // Stopped, the thread says nothing more.
    await new Promise((r) => setTimeout(r, 300));
    await checkpointer.stop();
    expect(said).toHaveLength(1);
  });

  it('names what happened when the file is renamed as the server starts, once', async () => {
    const file = join(dir, 'renamed.sqlite');
    const opened = new SqliteStore(file);
    const warnings: string[] = [];
    const onWarning = (w: Error) => void warnings.push(w.message);
    process.on('warning', onWarning);
    try {
      // Before the checkpoint thread has opened it (it starts in the background).
      renameSync(file, `${file}.moved`);
      await vi.waitFor(() => expect(warnings.join('')).toMatch(/checkpoints are back/), {
        timeout: 10_000,
      });
      await new Promise((r) => setTimeout(r, 500));
      const ours = warnings.filter((w) => w.includes('SQLite'));
      expect(ours).toEqual([
        `SQLite checkpoints are back in the commits: the checkpoint thread could not open ${file}: unable to open database file (SQLITE_CANTOPEN)`,
      ]);
    } finally {
      process.off('warning', onWarning);
      await opened.close();
    }
  });

  it('migrates once and records the version', async () => {
    await store.migrate();
    const other = new SqliteStore(store.file);
    await other.migrate();
    await other.close();
    const versions = store.db.prepare('SELECT version FROM schema_migrations').pluck().all();
    expect(versions).toEqual([1, 2, 3, 4, 5, 6, 7]);
  });

  it('inserts a batch in one go and reports which ids were already stored', async () => {
    const first = [rowOf(), rowOf(), rowOf()];
    expect(await store.insertRecords(first)).toEqual({
      inserted: first.map((r) => r.id),
      existing: new Map(),
    });
    const next = [rowOf(), first[1]!, rowOf()];
    const res = await store.insertRecords(next);
    expect(res.inserted).toEqual([next[0]!.id, next[2]!.id]);
    expect(res.existing).toEqual(new Map([[first[1]!.id, first[1]!.json]]));
  });

  it('inserts and answers a batch of thousands in one transaction', async () => {
    const rows = Array.from({ length: 2500 }, () => rowOf());
    const res = await store.insertRecords(rows);
    expect(res.inserted).toHaveLength(2500);
    expect((await store.insertRecords(rows)).existing.size).toBe(2500);
  });

  it('rolls the whole batch back when one row fails', async () => {
    const rows = [rowOf(), rowOf(1000, { deviceId: 'no-such-device' })];
    await expect(store.insertRecords(rows)).rejects.toThrow(/FOREIGN KEY/);
    expect(store.db.prepare('SELECT count(*) FROM records').pluck().get()).toBe(0);
  });

  it('reads records back with every field', async () => {
    const row = rowOf(5000, {
      temperatureC: 37.5,
      decision: 'referred',
      returnee: { status: 'overseas', origin: 'Japan', arrivedOn: '2020-02-01', registered: false },
    });
    await store.insertRecords([row]);
    expect(await store.listLogs({}, null, 10)).toEqual([{ ...row, correctedBy: null }]);
  });

  it('streams every matching record page by page', async () => {
    const rows = Array.from({ length: 2345 }, (_, i) => rowOf(1000 + Math.floor(i / 100)));
    await store.insertRecords(rows);
    const seen: string[] = [];
    for await (const r of store.streamLogs({ gateId: 'gate-1' })) {
      seen.push(r.id);
      // Writes between pages must not be blocked by the open read.
      if (seen.length === 1500) await store.touchDevice('device-1', { seenAt: 2 });
    }
    expect(seen).toEqual(rows.map((r) => r.id));
  });

  it('consumes an enrollment code once, and tells used from expired from unknown', async () => {
    await store.createEnrollmentCode({
      codeHash: 'c1',
      gateId: 'gate-1',
      createdAt: 0,
      expiresAt: 100,
    });
    expect(await store.consumeEnrollmentCode('c1', 200)).toEqual({ ok: false, reason: 'expired' });
    expect(await store.consumeEnrollmentCode('c1', 50)).toEqual({ ok: true, gateId: 'gate-1' });
    expect(await store.consumeEnrollmentCode('c1', 60)).toEqual({ ok: false, reason: 'used' });
    expect(await store.consumeEnrollmentCode('nope', 60)).toEqual({ ok: false, reason: 'unknown' });
  });

  it('keeps the greatest acknowledged record id and the first revocation time', async () => {
    await store.touchDevice('device-1', { seenAt: 10, lastRecordId: 'b' });
    await store.touchDevice('device-1', { seenAt: 20, lastRecordId: 'a' });
    expect(await store.revokeDevice('device-1', 30)).toBe(true);
    expect(await store.revokeDevice('device-1', 40)).toBe(true);
    expect(await store.revokeDevice('nope', 40)).toBe(false);
    const [d] = await store.listDevices();
    expect(d).toMatchObject({
      lastSeenAt: 20,
      lastRecordId: 'b',
      revokedAt: 30,
      lastSyncAt: null,
      status: null,
    });
  });

  it('purges records received before a time', async () => {
    await store.insertRecords([rowOf(100), rowOf(200), rowOf(300)]);
    expect(await store.purgeRecords(250)).toBe(2);
    expect(await store.listLogs({}, null, 10)).toHaveLength(1);
  });

  it('ping fails once closed', async () => {
    await expect(store.ping()).resolves.toBeUndefined();
    await store.close();
    await expect(store.ping()).rejects.toThrow();
  });
});

describe('SqliteStore file modes', () => {
  const modeOf = (f: string) => statSync(f).mode & 0o777;
  const files = (file: string) => [file, `${file}-wal`, `${file}-shm`];
  const said = () => ({
    log: vi.spyOn(console, 'log').mockImplementation(() => undefined),
    warn: vi.spyOn(console, 'warn').mockImplementation(() => undefined),
  });
  afterEach(() => vi.restoreAllMocks());

  it.skipIf(process.platform === 'win32')(
    'makes a new data folder 0700 and its database files 0600',
    async () => {
      // beforeEach opened dir/nested/gatelog.sqlite; a write makes its WAL.
      await store.insertRecords([rowOf()]);
      expect(modeOf(join(dir, 'nested'))).toBe(0o700);
      for (const f of files(store.file)) expect([f, modeOf(f)]).toEqual([f, 0o600]);
    },
  );

  it.skipIf(process.platform === 'win32')(
    'tightens an existing database readable by others, and says so once',
    async () => {
      const file = join(dir, 'old.sqlite');
      const before = new Database(file);
      before.pragma('journal_mode = WAL');
      before.exec('CREATE TABLE t (x)');
      for (const f of files(file)) chmodSync(f, 0o644);
      const { log, warn } = said();
      const old = new SqliteStore(file);
      try {
        for (const f of files(file)) expect([f, modeOf(f)]).toEqual([f, 0o600]);
        expect(log).toHaveBeenCalledTimes(1);
        expect(String(log.mock.calls[0]![0])).toContain(file);
        expect(String(log.mock.calls[0]![0])).toMatch(/owner only/);
        expect(warn).not.toHaveBeenCalled();
        // Once tight, nothing more is said.
        await old.close();
        await new SqliteStore(file).close();
        expect(log).toHaveBeenCalledTimes(1);
      } finally {
        before.close();
        await old.close();
      }
    },
  );

  it.skipIf(process.platform === 'win32')(
    'says it in a Chinese terminal’s words, as the rest of npm start',
    async () => {
      const file = join(dir, 'old.sqlite');
      new Database(file).close();
      chmodSync(file, 0o644);
      const { log } = said();
      vi.stubEnv('LC_ALL', 'zh_CN.UTF-8');
      try {
        await new SqliteStore(file).close();
      } finally {
        vi.unstubAllEnvs();
      }
      expect(log.mock.calls).toEqual([
        [`gatelog：${file} 原先其他用户也能读；现在只有其所有者能读写`],
      ]);
    },
  );

  it.skipIf(process.getuid?.() !== 0)(
    "warns, naming the file, when the file is another user's, and opens it still",
    async () => {
      const file = join(dir, 'theirs.sqlite');
      new Database(file).close();
      chmodSync(file, 0o644);
      chownSync(file, 65534, 65534);
      const { log, warn } = said();
      const theirs = new SqliteStore(file);
      try {
        await theirs.migrate();
        expect(modeOf(file)).toBe(0o644);
        expect(warn).toHaveBeenCalledTimes(1);
        expect(String(warn.mock.calls[0]![0])).toContain(file);
        expect(String(warn.mock.calls[0]![0])).toMatch(/other users.*chmod 600/);
        expect(log).not.toHaveBeenCalled();
      } finally {
        await theirs.close();
      }
    },
  );
});
