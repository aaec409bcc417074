/**
 * The browser suites' `test`: each test gets its own server on a free port (so its own origin,
 * service worker and IndexedDB) and `baseURL` pointing at it. The server is the static one by
 * default; `test.use({ serverKind: 'app' })` in a spec, or GATELOG_E2E_SERVER=app for all,
 * starts the real Fastify server instead.
 */
import { test as base } from '@playwright/test';
import { startServer, type GateServer, type ServerKind } from './server';

export { expect } from '@playwright/test';

const DEFAULT_KIND: ServerKind = process.env.GATELOG_E2E_SERVER === 'app' ? 'app' : 'static';

export const test = base.extend<{ serverKind: ServerKind; server: GateServer }>({
  serverKind: [DEFAULT_KIND, { option: true }],
  server: async ({ serverKind }, use) => {
    const server = await startServer(serverKind);
    await use(server);
    await server.close();
  },
  baseURL: async ({ server }, use) => {
    await use(server.url);
  },
});
