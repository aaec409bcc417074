import { defineConfig } from 'vitest/config';

/**
 * The reliability suites (`npm run test:reliability`): real server processes killed mid-sync,
 * a node "phone" (the real SyncEngine on fake-indexeddb with real fetch), fault proxies, fuzzing
 * and access checks, each on SQLite and on PostgreSQL (DATABASE_URL). Slow by design, so kept out
 * of `npm test`; one file at a time, because servers, ports and timings must not compete.
 */
export default defineConfig({
  test: {
    name: 'reliability',
    include: ['tests/reliability/server/**/*.test.ts'],
    environment: 'node',
    setupFiles: ['tests/reliability/support/setup.ts'],
    pool: 'forks',
    fileParallelism: false,
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
