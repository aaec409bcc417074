/**
 * The server app in this process on a scratch database of either store, driven with
 * `app.inject()` (no port): for the hostile-input, access, header and logging suites, where a
 * test needs thousands of requests and a hand on the store.
 */
import { randomUUID } from 'node:crypto';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import type { EnrollResponse, GateLog, SyncResponse } from '../../../src/shared';
import { buildApp, type BuildAppOptions } from '../../../src/server/app';
import { createGate } from '../../../src/server/gates';
import type { GateRow, Store } from '../../../src/server/store/types';
import { makeGateLog, type GateLogOverrides } from '../../server/factories';
import type { ScratchDb } from './stores';

export const ADMIN_TOKEN = 'reliability-inprocess-admin-token-0123456789';

export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

export interface TestPhone {
  deviceId: string;
  token: string;
  gateId: string;
  /** A valid record of this phone. */
  record(overrides?: GateLogOverrides): GateLog;
}

export interface InProcessServer {
  app: FastifyInstance;
  store: Store;
  gate: GateRow;
  admin(opts: InjectOptions): Promise<LightMyRequestResponse>;
  /** Enrolls a phone through the API (default: the first gate). */
  enroll(gateId?: string, deviceName?: string): Promise<TestPhone>;
  syncRaw(phone: Pick<TestPhone, 'token'>, records: unknown[]): Promise<LightMyRequestResponse>;
  /** One sync batch; expects 200. */
  sync(phone: Pick<TestPhone, 'token'>, records: unknown[]): Promise<SyncResponse>;
  /** Closes the app and the store (not the database). */
  close(): Promise<void>;
}

/** Builds the app on the scratch database (migrated, one gate), rate limits off by default. */
export async function startInProcess(
  db: ScratchDb,
  opts: Partial<BuildAppOptions> = {},
): Promise<InProcessServer> {
  const store = db.openStore();
  await store.migrate();
  const gate = await createGate(store, 'Gate A / 甲门');
  const app = await buildApp({
    store,
    adminToken: ADMIN_TOKEN,
    staticDir: null,
    publicUrl: 'https://gate.example.org',
    rateLimit: false,
    ...opts,
  });
  const server: InProcessServer = {
    app,
    store,
    gate,
    admin: (o) => app.inject({ ...o, headers: { ...bearer(ADMIN_TOKEN), ...o.headers } }),
    async enroll(gateId = gate.id, deviceName = 'Phone') {
      const code = await server.admin({
        method: 'POST',
        url: `/api/v1/gates/${gateId}/enrollment-codes`,
      });
      if (code.statusCode !== 201) throw new Error(`code: ${code.statusCode} ${code.body}`);
      const res = await app.inject({
        method: 'POST',
        url: '/api/v1/enroll',
        payload: { code: code.json<{ code: string }>().code, deviceName },
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
    syncRaw: (phone, records) =>
      app.inject({
        method: 'POST',
        url: '/api/v1/sync',
        headers: bearer(phone.token),
        payload: {
          batchId: randomUUID(),
          device: { appVersion: 'reliability', pending: records.length },
          records,
        },
      }),
    async sync(phone, records) {
      const res = await server.syncRaw(phone, records);
      if (res.statusCode !== 200) throw new Error(`sync: ${res.statusCode} ${res.body}`);
      return res.json<SyncResponse>();
    },
    async close() {
      await app.close();
      await store.close();
    },
  };
  return server;
}
