/**
 * Builds the GateLog server: the REST API (DESIGN.md §6) and the built PWA, behind security
 * headers, rate limits and a JSON error handler. Nothing here listens on a port: `main.ts`
 * does, and tests drive the app with `app.inject()`.
 */
import { existsSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import Fastify, { LogController, type FastifyInstance, type FastifyServerOptions } from 'fastify';
import { GATELOG_VERSION_HEADER } from '../shared';
import { AdminToken } from './admin-token';
import { makeAuth, type DeviceLimiter } from './auth';
import { SYNC_BODY_TIMEOUT_MS, SYNC_MAX_IN_FLIGHT, type TrustProxy } from './config';
import type { AppContext } from './context';
import { ENROLL_CODE_TTL_MS } from './enrollment';
import { HttpError, installErrorHandler } from './errors';
import type { Faults } from './faults';
import devicesRoutes from './routes/devices';
import deviceRoutes from './routes/device';
import deviceChangesRoutes from './routes/device-changes';
import enrollRoutes from './routes/enroll';
import gatesRoutes from './routes/gates';
import healthRoutes from './routes/health';
import logsRoutes from './routes/logs';
import openapiRoutes from './routes/openapi';
import passesRoutes from './routes/passes';
import shiftsRoutes from './routes/shifts';
import syncRoutes from './routes/sync';
import watchlistRoutes from './routes/watchlist';
import { warnOfUntrustedProxy } from './proxy-trust';
import { acceptCompressedBodies } from './request-encoding';
import { answerFrameworkErrors, CSP_DIRECTIVES, hstsHeader } from './security-headers';
import type { Store } from './store/types';
import { SERVER_VERSION } from './version';

export const DEFAULT_STATIC_DIR = fileURLToPath(new URL('../../dist/', import.meta.url));
export const SYNC_BODY_LIMIT_BYTES = 1024 * 1024;
const DEFAULT_BODY_LIMIT_BYTES = 64 * 1024;
const IMMUTABLE = 'public, max-age=31536000, immutable';

export interface RateLimitOptions {
  /** Length of every rate-limit window. Default 1 minute. */
  timeWindowMs?: number;
  /** Requests per window from one IP, all routes. Default 1200. */
  perIpMax?: number;
  /** Requests per window from one phone (device token). Default 300. */
  perDeviceMax?: number;
  /** Enrollment attempts per window from one IP. Default 20. */
  enrollPerIpMax?: number;
}

export interface BuildAppOptions {
  store: Store;
  /** The committee's bearer token. */
  adminToken: string;
  /** The file `adminToken` was read from: a new token written there replaces it (admin-token.ts). */
  adminTokenFile?: string;
  /** Base of enrollment links, e.g. `https://gate.example.org`; default: see `serverUrls`. */
  publicUrl?: string;
  /**
   * The addresses the server listens on (`serverUrls` in terminal.ts): with no `publicUrl`, an
   * enrollment link names the request's host only when it is one of them and not localhost,
   * else the first a phone can reach (`enrollmentBase`). Unset: the request's host, whatever it is.
   */
  serverUrls?: readonly string[];
  /** The built PWA; `null` serves none. Default: `dist/` of the project, when it has an index.html. */
  staticDir?: string | null;
  /** Logging (pino); `false` (default) logs nothing. Bodies, queries and headers are never logged. */
  logger?: boolean | { level?: string; stream?: { write(line: string): void } };
  /** How long a new enrollment code is valid. Default 7 days. */
  enrollCodeTtlMs?: number;
  /** Largest sync request body. Default 1 MiB. */
  syncBodyLimitBytes?: number;
  /** Sync requests taken at once; more get 503 and `Retry-After`. Default SYNC_MAX_IN_FLIGHT. */
  syncMaxInFlight?: number;
  /**
   * Longest a sync request's body may take to arrive once it has a place; then the connection is
   * closed and the place freed (the phone sends again). Default SYNC_BODY_TIMEOUT_MS.
   */
  syncBodyTimeoutMs?: number;
  /** `false` turns rate limiting off. */
  rateLimit?: false | RateLimitOptions;
  /** Whose `X-Forwarded-*` to trust (behind a reverse proxy or load balancer). Default false. */
  trustProxy?: TrustProxy;
  /** The clock, in Unix ms; tests move it. */
  now?: () => number;
  /** Test-only crash points (GATELOG_FAULTS, src/server/faults.ts). */
  faults?: Faults;
}

/** The URL path without its query string: all the request log may say about a request. */
export function pathOf(url: string): string {
  const q = url.indexOf('?');
  return q === -1 ? url : url.slice(0, q);
}

/** A path of the REST API (`/api/…`), not of the app's files or pages. */
function isApiPath(url: string): boolean {
  const path = pathOf(url);
  return path === '/api' || path.startsWith('/api/');
}

function loggerOptions(logger: BuildAppOptions['logger']): FastifyServerOptions['logger'] {
  if (!logger) return false;
  const { level = 'info', stream } = typeof logger === 'object' ? logger : {};
  return {
    level,
    ...(stream && { stream }),
    serializers: {
      req: (req: { method: string; url: string }) => ({ method: req.method, url: pathOf(req.url) }),
      res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
    },
  };
}

/** Builds (and readies) the Fastify app. */
export async function buildApp(opts: BuildAppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    logger: loggerOptions(opts.logger),
    // Fastify's own request lines carry headers; the onResponse hook below logs only safe fields.
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: DEFAULT_BODY_LIMIT_BYTES,
    trustProxy: opts.trustProxy ?? false,
    // Malformed URLs are answered before any hook: same headers and error shape as the rest.
    frameworkErrors: answerFrameworkErrors(opts.trustProxy ?? false),
  });
  app.decorateRequest('device', null);
  installErrorHandler(app);
  // Every body the API takes is JSON: text/plain is answered 415 like any other type, not
  // parsed to a string that each route then calls "invalid_type".
  app.removeContentTypeParser('text/plain');
  acceptCompressedBodies(app);
  warnOfUntrustedProxy(app, opts.trustProxy ?? false);

  // A SQLite file replaced or removed under the running server: every API request is a 503.
  if (opts.store.checkIntact) {
    const check = opts.store.checkIntact.bind(opts.store);
    app.addHook('onRequest', async (request) => {
      if (isApiPath(request.url)) check();
    });
  }

  app.addHook('onResponse', async (request, reply) => {
    request.log.info(
      {
        method: request.method,
        url: pathOf(request.url),
        status: reply.statusCode,
        ms: Math.round(reply.elapsedTime),
      },
      'request',
    );
  });
  app.addHook('onSend', async (request, reply) => {
    if (request.url.startsWith('/api/') && !reply.hasHeader('cache-control')) {
      reply.header('cache-control', 'no-store');
    }
    // A page of another version tells GateLog it cannot read from some other server.
    if (isApiPath(request.url) || pathOf(request.url) === '/healthz') {
      reply.header(GATELOG_VERSION_HEADER, SERVER_VERSION);
    }
  });

  await app.register(helmet, {
    contentSecurityPolicy: {
      useDefaults: false,
      directives: CSP_DIRECTIVES,
    },
    // Over https only, which helmet does not tell from plain http.
    strictTransportSecurity: false,
  });
  app.addHook('onRequest', async (request, reply) => {
    reply.headers(hstsHeader(request.protocol === 'https'));
  });

  let deviceLimiter: DeviceLimiter | undefined;
  let enrollRateLimit: AppContext['enrollRateLimit'] = false;
  if (opts.rateLimit !== false) {
    const rl = opts.rateLimit ?? {};
    const timeWindow = rl.timeWindowMs ?? 60_000;
    await app.register(rateLimit, {
      global: true,
      max: rl.perIpMax ?? 1200,
      timeWindow,
      // The app's own files are not counted: one first visit is ≈40 of them, and a gate's
      // guards behind one address (a carrier's NAT, the compound's Wi-Fi) enrolling together
      // got 429s that left the service worker without its files, and the app without offline.
      allowList: (request) =>
        (request.method === 'GET' || request.method === 'HEAD') &&
        !isApiPath(request.url) &&
        pathOf(request.url) !== '/healthz',
      errorResponseBuilder: (_req, ctx) =>
        new HttpError(429, 'rate_limited', `Too many requests; retry in ${ctx.after}`),
    });
    const perDevice = app.createRateLimit({
      max: rl.perDeviceMax ?? 300,
      timeWindow,
      keyGenerator: (request) => `device:${request.device?.id ?? request.ip}`,
    });
    deviceLimiter = async (request) => {
      const r = await perDevice(request);
      return !r.isAllowed && r.isExceeded ? Math.max(1, r.ttlInSeconds) : null;
    };
    enrollRateLimit = { max: rl.enrollPerIpMax ?? 20, timeWindow };
  }

  // Listening: the store's own threads start now, not under the first requests.
  app.addHook('onListen', async () => opts.store.serving?.());

  const ctx: AppContext = {
    store: opts.store,
    auth: makeAuth(opts.store, new AdminToken(opts.adminToken, opts.adminTokenFile), deviceLimiter),
    now: opts.now ?? Date.now,
    publicUrl: opts.publicUrl?.replace(/\/+$/, ''),
    serverUrls: opts.serverUrls,
    enrollCodeTtlMs: opts.enrollCodeTtlMs ?? ENROLL_CODE_TTL_MS,
    syncBodyLimitBytes: opts.syncBodyLimitBytes ?? SYNC_BODY_LIMIT_BYTES,
    syncMaxInFlight: opts.syncMaxInFlight ?? SYNC_MAX_IN_FLIGHT,
    syncBodyTimeoutMs: opts.syncBodyTimeoutMs ?? SYNC_BODY_TIMEOUT_MS,
    enrollRateLimit,
    faults: opts.faults,
  };
  for (const routes of [
    healthRoutes,
    openapiRoutes,
    enrollRoutes,
    syncRoutes,
    shiftsRoutes,
    deviceRoutes,
    gatesRoutes,
    devicesRoutes,
    logsRoutes,
    passesRoutes,
    watchlistRoutes,
    deviceChangesRoutes,
  ]) {
    routes(app, ctx);
  }

  const staticDir = opts.staticDir === undefined ? DEFAULT_STATIC_DIR : opts.staticDir;
  const serveApp = staticDir !== null && existsSync(join(staticDir, 'index.html'));
  const serveCommittee = serveApp && existsSync(join(staticDir, 'committee', 'index.html'));
  if (serveApp) {
    await app.register(fastifyStatic, {
      root: staticDir,
      cacheControl: false,
      etag: true,
      lastModified: true,
      setHeaders: (reply, path) => {
        const rel = relative(staticDir, path).split(/[\\/]/);
        // assets/ and committee/assets/: hashed names.
        reply.header('cache-control', rel.at(-2) === 'assets' ? IMMUTABLE : 'no-cache');
      },
    });
  }

  app.setNotFoundHandler((request, reply) => {
    const path = pathOf(request.url);
    const isPage =
      (request.method === 'GET' || request.method === 'HEAD') &&
      !isApiPath(path) &&
      !path.startsWith('/assets/');
    if (serveCommittee && isPage && /^\/committee(\/|$)/.test(path)) {
      // The committee's page (a build of its own, dist/committee/), never the guard's app.
      return reply.sendFile('committee/index.html');
    }
    if (serveApp && isPage) return reply.sendFile('index.html');
    return reply.code(404).send({ error: 'not_found', message: 'Not found' });
  });

  await app.ready();
  return app;
}
