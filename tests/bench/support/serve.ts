/**
 * The real server in its own process, for the HTTP benches: `buildApp` on a fresh SQLite file
 * (or the PostgreSQL database in `--pg <url>`), listening on 127.0.0.1 on a free port, with a
 * gate. Prints one JSON line `{url, adminToken, gateId}` when ready; stops on SIGTERM.
 *
 * Rate limits stay on (their cost is part of a request) but with limits the load cannot reach;
 * request logging is off (main.ts logs one line per request at info).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildApp } from '../../../src/server/app';
import { createGate } from '../../../src/server/gates';
import { openStore } from '../../../src/server/store';
import { argValue } from '../lib/output';

const pgUrl = argValue('--pg');
const dir = mkdtempSync(join(tmpdir(), 'gatelog-bench-serve-'));
const store = openStore({
  sqliteFile: join(dir, 'gatelog.sqlite'),
  ...(pgUrl && { databaseUrl: pgUrl }),
});
await store.migrate();
const gate = await createGate(store, 'Bench gate');
const adminToken = 'bench-admin-token-0123456789';
const app = await buildApp({
  store,
  adminToken,
  staticDir: null,
  rateLimit: { perIpMax: 1_000_000, perDeviceMax: 1_000_000, enrollPerIpMax: 1_000_000 },
});
await app.listen({ host: '127.0.0.1', port: 0 });
const { port } = app.server.address() as AddressInfo;
process.stdout.write(
  JSON.stringify({ url: `http://127.0.0.1:${port}`, adminToken, gateId: gate.id }) + '\n',
);

process.on('SIGTERM', () => {
  void (async () => {
    await app.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
    process.exit(0);
  })();
});
