/**
 * The reliability suites' `test`: like the e2e one (tests/e2e/support), a server of its own per
 * test on a free port of 127.0.0.1 — but always the REAL server (`buildApp`), on a fresh SQLite
 * file or, with `serverKind: 'app-postgres'`, on PostgreSQL (DATABASE_URL, a scratch schema per
 * test). `forEachDatabase` declares a scenario once per store. Without DATABASE_URL the
 * PostgreSQL copy is skipped and says so loudly; with GATELOG_REQUIRE_POSTGRES=1, or an
 * unreachable DATABASE_URL, it fails instead.
 *
 * The PWA served is GATELOG_RELIABILITY_DIST (scripts/reliability.mjs builds one of its own),
 * else dist/.
 */
import { resolve } from 'node:path';
import { test as base } from '@playwright/test';
import {
  DATABASES,
  DIST_DIR,
  PROJECT_ROOT,
  postgresTarget,
  startServer,
  type Database,
  type GateServer,
  type RealServerKind,
} from '../../../e2e/support/server';

export { expect } from '@playwright/test';
export type { GateServer } from '../../../e2e/support/server';

export { DATABASES, type Database, type RealServerKind };

/** The built PWA the server serves. */
export const STATIC_DIR = process.env.GATELOG_RELIABILITY_DIST
  ? resolve(PROJECT_ROOT, process.env.GATELOG_RELIABILITY_DIST)
  : DIST_DIR;

export const test = base.extend<{ serverKind: RealServerKind; server: GateServer }>({
  serverKind: ['app', { option: true }],
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
    const server = await startServer(serverKind, { staticDir: STATIC_DIR, databaseUrl });
    await use(server);
    await server.close();
  },
  baseURL: async ({ server }, use) => {
    await use(server.url);
  },
});

/** Declares the scenarios of `body` once per database, in a describe block named after it. */
export function forEachDatabase(body: (database: Database) => void): void {
  for (const database of DATABASES) {
    test.describe(`on ${database.name}`, () => {
      test.use({ serverKind: database.kind });
      body(database);
    });
  }
}
