/**
 * The server the browser suites talk to, on a random free port of 127.0.0.1 (a secure context,
 * so service workers run). A thin front in Node http that every suite controls the same way —
 * switch the network off, serve a changed file, see what was requested — in front of one of
 * two backends:
 * - `static`: the built PWA in dist/, SPA fallback, no-cache for sw.js and index.html;
 * - `app`: the real Fastify app (src/server) serving dist/ and the API, on a fresh SQLite file;
 * - `app-postgres`: the same app on PostgreSQL (DATABASE_URL), in a scratch schema of its own
 *   that is dropped afterwards (a schema needs only the CREATE right the database owner has;
 *   the CI role may not create databases).
 */
import { createReadStream } from 'node:fs';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { extname, join, normalize, resolve, sep } from 'node:path';
import type * as PgSupport from '../../server/support/pg';

export const PROJECT_ROOT = resolve(import.meta.dirname, '../../..');
export const DIST_DIR = join(PROJECT_ROOT, 'dist');

export type ServerKind = 'static' | 'app' | 'app-postgres';
export type RealServerKind = Exclude<ServerKind, 'static'>;

/** The real server on each of its stores, as test titles name them. */
export interface Database {
  name: 'SQLite' | 'PostgreSQL';
  kind: RealServerKind;
}

export const DATABASES: readonly Database[] = [
  { name: 'SQLite', kind: 'app' },
  { name: 'PostgreSQL', kind: 'app-postgres' },
];

/** A file served in place of the built one: its new body, or a change of the built body. */
export type Override = string | ((builtBody: string) => string);

export interface GateServer {
  kind: ServerKind;
  /** `http://127.0.0.1:<port>` */
  url: string;
  /** Paths (with query) of every request that reached the server, in order. */
  requests: string[];
  /**
   * While offline, every connection is cut without an answer, as if the network were gone —
   * a request that gets through the browser's own offline switch still fails.
   */
  setOffline(offline: boolean): void;
  /** Serves `path` (e.g. '/sw.js') differently from now on; `null` restores the built file. */
  override(path: string, body: Override | null): void;
  /** The admin bearer token (`app` and `app-postgres` only). */
  adminToken?: string;
  close(): Promise<void>;
}

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

interface Backend {
  handle: Handler;
  adminToken?: string;
  close(): Promise<void>;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.webmanifest': 'application/manifest+json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
};

const contentType = (path: string) => TYPES[extname(path)] ?? 'application/octet-stream';

/** Files a browser must always revalidate, or updates would never be seen. */
const NO_CACHE = new Set(['/sw.js', '/index.html', '/manifest.webmanifest']);

/** The built PWA as a static site, with an SPA fallback to index.html for navigations. */
export function staticBackend(dir: string = DIST_DIR): Backend {
  const root = resolve(dir);
  const handle: Handler = (req, res) => {
    void (async () => {
      const pathname = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
      let file = normalize(join(root, pathname));
      if (file !== root && !file.startsWith(root + sep)) {
        res.writeHead(403).end();
        return;
      }
      let found = await stat(file).then(
        (s) => s.isFile(),
        () => false,
      );
      let servedPath = pathname;
      if (!found && !pathname.startsWith('/api/') && !extname(pathname)) {
        file = join(root, 'index.html');
        servedPath = '/index.html';
        found = true;
      }
      if (!found) {
        res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
        return;
      }
      res.writeHead(200, {
        'content-type': contentType(file),
        'cache-control':
          NO_CACHE.has(servedPath) || servedPath === '/' ? 'no-cache' : 'public, max-age=0',
      });
      if (req.method === 'HEAD') res.end();
      else createReadStream(file).pipe(res);
    })().catch((err: unknown) => {
      res.writeHead(500).end(String(err));
    });
  };
  return { handle, close: async () => {} };
}

/** Just what the suites need of a Fastify instance. */
interface FastifyLike {
  ready(): PromiseLike<unknown>;
  routing(req: IncomingMessage, res: ServerResponse): void;
  close(): PromiseLike<unknown>;
}

interface StoreLike {
  migrate(): Promise<void>;
  close(): Promise<void>;
}

/**
 * The real server (src/server/app.ts `buildApp`) serving `staticDir`, on a fresh SQLite file,
 * or on PostgreSQL at `databaseUrl` (a URL that already points at a scratch schema).
 * Loaded lazily so the static suites do not depend on the server compiling.
 */
export async function appBackend(
  staticDir: string = DIST_DIR,
  options: { databaseUrl?: string; onClose?: () => Promise<void> } = {},
): Promise<Backend> {
  const dataDir = await mkdtemp(join(tmpdir(), 'gatelog-e2e-'));
  const appModule = '../../../src/server/app';
  const storeModule = '../../../src/server/store/index';
  const { buildApp } = (await import(appModule)) as {
    buildApp(opts: Record<string, unknown>): Promise<FastifyLike>;
  };
  const { openStore } = (await import(storeModule)) as {
    openStore(config: { sqliteFile: string; databaseUrl?: string }): StoreLike;
  };
  const store = openStore({
    sqliteFile: join(dataDir, 'gatelog.sqlite'),
    ...(options.databaseUrl !== undefined && { databaseUrl: options.databaseUrl }),
  });
  try {
    await store.migrate();
  } catch (err) {
    await store.close().catch(() => {});
    await rm(dataDir, { recursive: true, force: true });
    await options.onClose?.();
    throw err;
  }
  const adminToken = 'e2e-admin-token-' + Math.random().toString(36).slice(2);
  const app = await buildApp({ store, adminToken, staticDir, rateLimit: false });
  await app.ready();
  return {
    handle: (req, res) => app.routing(req, res),
    adminToken,
    close: async () => {
      try {
        await app.close();
        await store.close();
        await rm(dataDir, { recursive: true, force: true });
      } finally {
        await options.onClose?.();
      }
    },
  };
}

/**
 * The real server on PostgreSQL, in a scratch schema made for it and dropped on close. The
 * caller has checked that PostgreSQL is there (`postgresTarget`).
 */
export async function postgresBackend(url: string, staticDir: string = DIST_DIR): Promise<Backend> {
  const { createScratchSchema } = await loadPgSupport();
  const scratch = await createScratchSchema(url, 'e2e');
  return appBackend(staticDir, { databaseUrl: scratch.url, onClose: scratch.drop });
}

/**
 * Whether a PostgreSQL server can run: `ready` with a reachable DATABASE_URL, `skip` without
 * one, `fail` when it is unreachable or GATELOG_REQUIRE_POSTGRES=1 and there is none.
 */
export async function postgresTarget(): Promise<PgSupport.PgTarget> {
  return (await loadPgSupport()).pgTarget();
}

/** tests/server's PostgreSQL helpers, loaded only when a suite wants PostgreSQL. */
function loadPgSupport(): Promise<typeof PgSupport> {
  const pgModule = '../../server/support/pg';
  return import(pgModule) as Promise<typeof PgSupport>;
}

/** Starts a server of the given kind on a free port. */
export async function startServer(
  kind: ServerKind = 'static',
  options: { staticDir?: string; databaseUrl?: string } = {},
): Promise<GateServer> {
  const staticDir = options.staticDir ?? DIST_DIR;
  let backend: Backend;
  if (kind === 'app') backend = await appBackend(staticDir);
  else if (kind === 'app-postgres') {
    const url = options.databaseUrl ?? process.env.DATABASE_URL;
    if (!url) throw new Error('an app-postgres server needs DATABASE_URL');
    backend = await postgresBackend(url, staticDir);
  } else backend = staticBackend(staticDir);
  const overrides = new Map<string, Override>();
  const requests: string[] = [];
  let offline = false;

  const server: Server = createServer((req, res) => {
    if (offline) {
      req.socket.destroy();
      return;
    }
    const url = req.url ?? '/';
    requests.push(url);
    const path = new URL(url, 'http://x').pathname;
    const override = overrides.get(path);
    if (override === undefined) {
      backend.handle(req, res);
      return;
    }
    void serveOverride(path, override, staticDir, res).catch((err: unknown) => {
      res.writeHead(500).end(String(err));
    });
  });
  // Keep-alive sockets would let "offline" requests through on an open connection.
  server.keepAliveTimeout = 1;
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address() as AddressInfo;

  return {
    kind,
    url: `http://127.0.0.1:${port}`,
    requests,
    adminToken: backend.adminToken,
    setOffline(value) {
      offline = value;
      if (value) server.closeAllConnections();
    },
    override(path, body) {
      if (body === null) overrides.delete(path);
      else overrides.set(path, body);
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((ok) => server.close(() => ok()));
      await backend.close();
    },
  };
}

async function serveOverride(
  path: string,
  override: Override,
  staticDir: string,
  res: ServerResponse,
): Promise<void> {
  let body: string;
  if (typeof override === 'string') {
    body = override;
  } else {
    body = override(await readFile(join(staticDir, path), 'utf8'));
  }
  res.writeHead(200, { 'content-type': contentType(path), 'cache-control': 'no-cache' });
  res.end(body);
}
