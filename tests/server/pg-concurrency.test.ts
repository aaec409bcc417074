/**
 * Two real server processes (`src/server/main.ts`) on one PostgreSQL, as behind a load balancer
 * when a phone's retry lands on the other instance while the first is still working: both get
 * the same sync batch at the same moment, round after round, over real HTTP. Every record must
 * be stored exactly once, and for every id exactly one instance answers `accepted` and the other
 * `duplicates` (or, for different content under one id, `rejected: conflict`).
 * Skipped without DATABASE_URL (loudly), failing instead under GATELOG_REQUIRE_POSTGRES=1.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EnrollResponse, GateLog, SyncResponse } from '../../src/shared';
import { freePort } from '../support/free-port';
import { makeGateLog } from './factories';
import {
  createScratchSchema,
  pgTarget,
  queryOnce,
  warnSkipped,
  type ScratchSchema,
} from './support/pg';

const target = await pgTarget();
warnSkipped(target, 'the two-instance sync test (tests/server/pg-concurrency.test.ts)');

// Defined only when PostgreSQL is wanted but missing, so a healthy run counts no extra skip.
if (target.kind === 'fail') {
  const { reason } = target;
  describe('two server instances on one PostgreSQL', () => {
    it('is configured and reachable', () => {
      throw new Error(reason);
    });
  });
}

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const ADMIN_TOKEN = 'concurrency-admin-token-0123456789';
const ROUNDS = 30;
const BATCH_RECORDS = 200;
const CONFLICT_ROUNDS = 5;
const START_TIMEOUT_MS = 30_000;

interface Instance {
  base: string;
  child: ChildProcess;
  output: string[];
  dataDir: string;
}

async function startInstance(databaseUrl: string): Promise<Instance> {
  const port = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), 'gatelog-pgc-'));
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server/main.ts'], {
    cwd: ROOT,
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl,
      GATELOG_DB_POOL_MAX: '5',
      GATELOG_ADMIN_TOKEN: ADMIN_TOKEN,
      GATELOG_DATA_DIR: dataDir,
      PORT: String(port),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  child.stdout!.on('data', (d: Buffer) => output.push(d.toString()));
  child.stderr!.on('data', (d: Buffer) => output.push(d.toString()));
  return { base: `http://127.0.0.1:${port}`, child, output, dataDir };
}

async function waitHealthy(inst: Instance): Promise<void> {
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (inst.child.exitCode !== null) break;
    try {
      const res = await fetch(`${inst.base}/healthz`);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`server at ${inst.base} did not start:\n${inst.output.join('')}`);
}

async function stopInstance(inst: Instance): Promise<number | null> {
  if (inst.child.exitCode === null) {
    const exited = new Promise<number | null>((resolve) =>
      inst.child.once('exit', (code) => resolve(code)),
    );
    inst.child.kill('SIGTERM');
    const timer = setTimeout(() => inst.child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  }
  rmSync(inst.dataDir, { recursive: true, force: true });
  return inst.child.exitCode;
}

async function call<T>(
  base: string,
  path: string,
  token: string,
  body?: unknown,
): Promise<{ status: number; json: T }> {
  const res = await fetch(`${base}${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: {
      ...(token && { authorization: `Bearer ${token}` }),
      ...(body !== undefined && { 'content-type': 'application/json' }),
    },
    ...(body !== undefined && { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  return {
    status: res.status,
    json: (text && res.headers.get('content-type')?.includes('json')
      ? JSON.parse(text)
      : text) as T,
  };
}

describe.skipIf(target.kind !== 'ready')('two server instances on one PostgreSQL', () => {
  let scratch: ScratchSchema;
  let a: Instance;
  let b: Instance;
  let phone: { deviceId: string; token: string; gateId: string };

  beforeAll(async () => {
    if (target.kind !== 'ready') return;
    scratch = await createScratchSchema(target.url, 'twoinst');
    // Both start (and migrate) at the same moment, as after a deploy.
    [a, b] = await Promise.all([startInstance(scratch.url), startInstance(scratch.url)]);
    await Promise.all([waitHealthy(a), waitHealthy(b)]);

    // The committee works on one instance, the phone enrolls on the other.
    const gate = await call<{ id: string }>(a.base, '/api/v1/gates', ADMIN_TOKEN, {
      name: 'Gate 7 / 七号门',
    });
    expect(gate.status).toBe(201);
    const code = await call<{ code: string }>(
      a.base,
      `/api/v1/gates/${gate.json.id}/enrollment-codes`,
      ADMIN_TOKEN,
      {},
    );
    expect(code.status).toBe(201);
    const enrolled = await call<EnrollResponse>(b.base, '/api/v1/enroll', '', {
      code: code.json.code,
      deviceName: 'Phone 7',
    });
    expect(enrolled.status).toBe(201);
    phone = { deviceId: enrolled.json.deviceId, token: enrolled.json.token, gateId: gate.json.id };
  }, 60_000);

  afterAll(async () => {
    const codes = await Promise.all([a, b].filter(Boolean).map(stopInstance));
    await scratch?.drop();
    // Graceful shutdown: SIGTERM closes the app and the pool and exits 0.
    expect(codes).toEqual([0, 0]);
  });

  const record = (): GateLog => makeGateLog({ deviceId: phone.deviceId, gateId: phone.gateId });
  const sync = (inst: Instance, records: GateLog[]) =>
    call<SyncResponse>(inst.base, '/api/v1/sync', phone.token, {
      batchId: randomUUID(),
      device: { appVersion: 'pg-concurrency', pending: records.length },
      records,
    });

  it('stores each record once and answers it accepted on exactly one instance', async () => {
    const sent: string[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const records = Array.from({ length: BATCH_RECORDS }, record);
      const [ra, rb] = await Promise.all([sync(a, records), sync(b, records)]);
      expect([ra.status, rb.status]).toEqual([200, 200]);
      expect([...ra.json.rejected, ...rb.json.rejected]).toEqual([]);
      for (const { id } of records) {
        const acceptedBy = [ra.json.accepted.includes(id), rb.json.accepted.includes(id)];
        const duplicateAt = [ra.json.duplicates.includes(id), rb.json.duplicates.includes(id)];
        expect(acceptedBy.filter(Boolean), id).toHaveLength(1);
        expect(duplicateAt, id).toEqual(acceptedBy.map((x) => !x));
      }
      sent.push(...records.map((r) => r.id));
    }

    const [count] = await queryOnce<{ n: number; ids: number }>(
      scratch.url,
      'SELECT count(*)::int AS n, count(DISTINCT id)::int AS ids FROM records',
    );
    expect(count).toEqual({ n: ROUNDS * BATCH_RECORDS, ids: ROUNDS * BATCH_RECORDS });
    const stored = await queryOnce<{ id: string }>(
      scratch.url,
      'SELECT id FROM records ORDER BY id',
    );
    expect(stored.map((r) => r.id)).toEqual([...sent].sort());
  }, 60_000);

  it('keeps one version, and rejects the other as a conflict, when two versions of an id arrive at once', async () => {
    for (let round = 0; round < CONFLICT_ROUNDS; round++) {
      const records = Array.from({ length: 50 }, record);
      const others = records.map((r) => ({ ...r, guard: '另一位保安' }));
      const [ra, rb] = await Promise.all([sync(a, records), sync(b, others)]);
      expect([ra.status, rb.status]).toEqual([200, 200]);
      const stored = new Map(
        (
          await queryOnce<{ id: string; guard: string }>(
            scratch.url,
            'SELECT id, guard FROM records WHERE id = ANY($1)',
            [records.map((r) => r.id)],
          )
        ).map((r) => [r.id, r.guard]),
      );
      for (const { id, guard } of records) {
        const aWon = ra.json.accepted.includes(id);
        expect(aWon !== rb.json.accepted.includes(id), id).toBe(true);
        const loser = aWon ? rb.json : ra.json;
        expect(loser.rejected.find((r) => r.id === id)?.code, id).toBe('conflict');
        expect(loser.duplicates).not.toContain(id);
        expect(stored.get(id)).toBe(aWon ? guard : '另一位保安');
      }
    }
  }, 30_000);

  it('lets either instance read everything, page by page and as CSV', async () => {
    const total = ROUNDS * BATCH_RECORDS + CONFLICT_ROUNDS * 50;
    let cursor: string | null = null;
    const seen = new Set<string>();
    let pages = 0;
    do {
      const query: string = `/api/v1/logs?limit=1000${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
      // Alternate instances: the cursor is the client's, not the server's.
      const page = await call<{ items: { id: string }[]; nextCursor: string | null }>(
        pages % 2 === 0 ? a.base : b.base,
        query,
        ADMIN_TOKEN,
      );
      expect(page.status).toBe(200);
      for (const item of page.json.items) {
        expect(seen.has(item.id)).toBe(false);
        seen.add(item.id);
      }
      cursor = page.json.nextCursor;
      pages++;
    } while (cursor);
    expect(seen.size).toBe(total);

    const csv = await call<string>(b.base, '/api/v1/logs.csv', ADMIN_TOKEN);
    expect(csv.status).toBe(200);
    expect(csv.json.trimEnd().split('\r\n')).toHaveLength(total + 1);
  });
});
