/**
 * A real server for a test: a SQLite file in a fresh temp folder (or, `startServerOn`, a scratch
 * PostgreSQL schema), a gate, and helpers that go through the HTTP API with `app.inject()` the
 * way a phone or the committee would.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import type { EnrollResponse, GateLog, SyncResponse } from '../../src/shared';
import { buildApp, type BuildAppOptions } from '../../src/server/app';
import { createGate } from '../../src/server/gates';
import { PostgresStore } from '../../src/server/store/postgres';
import { SqliteStore } from '../../src/server/store/sqlite';
import type { GateRow, Store } from '../../src/server/store/types';
import { makeGateLog, type GateLogOverrides } from './factories';
import { createScratchSchema } from './support/pg';

export const ADMIN_TOKEN = 'test-admin-token-0123456789abcdef';

export interface Phone {
  deviceId: string;
  token: string;
  gateId: string;
  /** A valid record of this phone. */
  record(overrides?: GateLogOverrides): GateLog;
}

export interface TestServer<S extends Store = SqliteStore> {
  app: FastifyInstance;
  store: S;
  /** The SQLite file's folder (empty for PostgreSQL). */
  dir: string;
  gate: GateRow;
  /** Admin-authenticated request. */
  admin(opts: InjectOptions): Promise<LightMyRequestResponse>;
  /**
   * Enrolls a new phone at a gate (default: the test gate) through the API; with `formerToken`,
   * the same phone enrolled again.
   */
  enroll(
    gateId?: string,
    deviceName?: string,
    formerToken?: string,
    formerDeviceId?: string,
  ): Promise<Phone>;
  /** Sends one sync batch; returns the raw response. */
  syncRaw(
    phone: Pick<Phone, 'token'>,
    records: unknown[],
    batchId?: string,
  ): Promise<LightMyRequestResponse>;
  /** Sends one sync batch and expects 200. */
  sync(phone: Pick<Phone, 'token'>, records: unknown[]): Promise<SyncResponse>;
  close(): Promise<void>;
}

export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

/** Starts a server on a fresh database; call `close()` in afterEach/afterAll. */
export async function startServer(opts: Partial<BuildAppOptions> = {}): Promise<TestServer> {
  const dir = mkdtempSync(join(tmpdir(), 'gatelog-server-'));
  const store = new SqliteStore(join(dir, 'gatelog.sqlite'));
  return serve(store, dir, opts, () => rmSync(dir, { recursive: true, force: true }));
}

/**
 * The same server on either store: SQLite, or PostgreSQL at `pgUrl` in a scratch schema of its
 * own (dropped by `close()`).
 */
export async function startServerOn(
  kind: 'sqlite' | 'postgres',
  pgUrl: string | undefined,
  opts: Partial<BuildAppOptions> = {},
): Promise<TestServer<Store>> {
  if (kind === 'sqlite') return startServer(opts);
  if (pgUrl === undefined) throw new Error('PostgreSQL is not available');
  const scratch = await createScratchSchema(pgUrl, 'server');
  const store = new PostgresStore({ url: scratch.url, poolMax: 4 });
  return serve(store, '', opts, () => scratch.drop());
}

async function serve<S extends Store>(
  store: S,
  dir: string,
  opts: Partial<BuildAppOptions>,
  cleanup: () => unknown,
): Promise<TestServer<S>> {
  await store.migrate();
  const gate = await createGate(store, 'Test gate / 测试门');
  const app = await buildApp({
    store,
    adminToken: ADMIN_TOKEN,
    staticDir: null,
    publicUrl: 'https://gate.example.org',
    rateLimit: false,
    ...opts,
  });

  const server: TestServer<S> = {
    app,
    store,
    dir,
    gate,
    admin: (o) => app.inject({ ...o, headers: { ...bearer(ADMIN_TOKEN), ...o.headers } }),
    async enroll(
      gateId = gate.id,
      deviceName = 'Phone',
      formerToken?: string,
      formerDeviceId?: string,
    ) {
      const code = await server.admin({
        method: 'POST',
        url: `/api/v1/gates/${gateId}/enrollment-codes`,
      });
      if (code.statusCode !== 201) throw new Error(`code: ${code.statusCode} ${code.body}`);
      const res = await app.inject({
        method: 'POST',
        url: '/api/v1/enroll',
        payload: {
          code: code.json<{ code: string }>().code,
          deviceName,
          formerToken,
          formerDeviceId,
        },
      });
      if (res.statusCode !== 201) throw new Error(`enroll: ${res.statusCode} ${res.body}`);
      const { deviceId, token } = res.json<EnrollResponse>();
      return {
        deviceId,
        token,
        gateId,
        record: (overrides = {}) => makeGateLog({ deviceId, gateId, ...overrides }),
      };
    },
    syncRaw: (phone, records, batchId = randomUUID()) =>
      app.inject({
        method: 'POST',
        url: '/api/v1/sync',
        headers: bearer(phone.token),
        payload: { batchId, device: { appVersion: '0.1.0', pending: records.length }, records },
      }),
    async sync(phone, records) {
      const res = await server.syncRaw(phone, records);
      if (res.statusCode !== 200) throw new Error(`sync: ${res.statusCode} ${res.body}`);
      return res.json<SyncResponse>();
    },
    async close() {
      await app.close();
      await store.close();
      await cleanup();
    },
  };
  return server;
}
