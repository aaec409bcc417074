/**
 * The browser suites' `test`: each test gets its own server on a free port (so its own origin,
 * service worker and IndexedDB) and `baseURL` pointing at it. The server is the static one by
 * default; `test.use({ serverKind: 'app' })` in a spec, or GATELOG_E2E_SERVER=app for all,
 * starts the real Fastify server instead, and `serverKind: 'app-postgres'` the real server on
 * PostgreSQL (DATABASE_URL, a scratch schema per test). Without DATABASE_URL a PostgreSQL test
 * is skipped and says so; it fails instead when PostgreSQL is set but unreachable, or required
 * (GATELOG_REQUIRE_POSTGRES=1) and missing.
 */
import { test as base } from '@playwright/test';
import { postgresTarget, startServer, type GateServer, type ServerKind } from './server';

export { expect } from '@playwright/test';

const DEFAULT_KIND: ServerKind = process.env.GATELOG_E2E_SERVER === 'app' ? 'app' : 'static';

export const test = base.extend<{ serverKind: ServerKind; server: GateServer }>({
  serverKind: [DEFAULT_KIND, { option: true }],
  server: async ({ serverKind }, use, testInfo) => {
    let databaseUrl: string | undefined;
    if (serverKind === 'app-postgres') {
      const target = await postgresTarget();
      if (target.kind === 'fail') throw new Error(target.reason);
      if (target.kind === 'skip') {
        const message =
          `PostgreSQL SKIPPED: "${testInfo.title}" did not run on PostgreSQL: ${target.reason}. ` +
          'Set DATABASE_URL=postgres://… to run it (GATELOG_REQUIRE_POSTGRES=1 makes it required).';
        console.warn(`\n*** ${message} ***\n`);
        testInfo.skip(true, message);
        return;
      }
      databaseUrl = target.url;
    }
    const server = await startServer(serverKind, { databaseUrl });
    await use(server);
    await server.close();
  },
  baseURL: async ({ server }, use) => {
    await use(server.url);
  },
});
