/**
 * GET /api/openapi.json against the routes the built app really registers: every route is
 * described and nothing described is missing. The routes are collected with an `onRoute` hook
 * on every Fastify instance made while this file runs (buildApp readies the app before it
 * returns, so a hook added afterwards would see nothing).
 */
import type * as FastifyModule from 'fastify';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { bearer, startServer, type TestServer } from './harness';

const registered = vi.hoisted(() => [] as { method: string; url: string }[]);

vi.mock('fastify', async (importOriginal) => {
  const mod = await importOriginal<typeof FastifyModule>();
  const withRouteLog = ((opts?: FastifyModule.FastifyServerOptions) => {
    const app = mod.default(opts);
    app.addHook('onRoute', (route) => {
      for (const method of [route.method].flat()) registered.push({ method, url: route.url });
    });
    return app;
  }) as unknown as typeof mod.default;
  return { ...mod, default: withRouteLog, fastify: withRouteLog };
});

/** Fastify's `/passes/:id` as OpenAPI writes it: `/passes/{id}`. */
const openApiPath = (url: string) => url.replace(/:(\w+)/g, '{$1}');

const OPERATIONS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('GET /api/openapi.json', () => {
  it('describes every route the app registers, and only those', async () => {
    registered.length = 0;
    server = await startServer();
    const res = await server.app.inject({ method: 'GET', url: '/api/openapi.json' });
    expect(res.statusCode).toBe(200);
    const doc = JSON.parse(res.body) as { paths: Record<string, Record<string, unknown>> };

    // HEAD is Fastify's automatic twin of each GET; the document lists the GET.
    const routes = new Set(
      registered.filter((r) => r.method !== 'HEAD').map((r) => `${r.method} ${openApiPath(r.url)}`),
    );
    expect(routes.size).toBeGreaterThan(10);
    expect(routes).toContain('GET /api/v1/device/changes');
    expect(routes).toContain('DELETE /api/v1/passes/{id}');

    const documented = new Set(
      Object.entries(doc.paths).flatMap(([path, item]) =>
        Object.keys(item)
          .filter((k) => OPERATIONS.includes(k))
          .map((method) => `${method.toUpperCase()} ${path}`),
      ),
    );
    const apiRoutes = [...routes].filter((r) => r.split(' ')[1]!.startsWith('/api/'));
    expect(
      apiRoutes.filter((r) => !documented.has(r)),
      'registered, not documented',
    ).toEqual([]);
    expect(
      [...documented].filter((r) => !routes.has(r)),
      'documented, not registered',
    ).toEqual([]);
  });

  it('is an OpenAPI 3.1 document built from the shared schemas, every $ref resolved', async () => {
    server = await startServer();
    const doc = (await server.app.inject({ method: 'GET', url: '/api/openapi.json' })).json();
    expect(doc.openapi).toBe('3.1.0');
    const gateLog = doc.components.schemas.GateLog;
    expect(gateLog.additionalProperties).toBe(false);
    expect(gateLog.properties.direction.enum).toEqual(['in', 'out']);
    expect(doc.components.schemas.SyncRequest.properties.records.maxItems).toBe(500);
    expect(doc.components.schemas.CreatePassRequest.required).toEqual(
      expect.arrayContaining(['name', 'address', 'validUntil']),
    );
    const refs = JSON.stringify(doc.paths).match(/#\/components\/schemas\/\w+/g) ?? [];
    for (const ref of new Set(refs))
      expect(doc.components.schemas).toHaveProperty(ref.split('/').pop()!);
    const schemaRefs = JSON.stringify(doc.components).match(/#\/components\/schemas\/\w+/g) ?? [];
    for (const ref of new Set(schemaRefs))
      expect(doc.components.schemas).toHaveProperty(ref.split('/').pop()!);
  });

  it('says which token each operation takes', async () => {
    server = await startServer();
    const doc = (await server.app.inject({ method: 'GET', url: '/api/openapi.json' })).json();
    expect(doc.paths['/api/v1/device/changes'].get.security).toEqual([{ device: [] }]);
    expect(doc.paths['/api/v1/watchlist'].post.security).toEqual([{ admin: [] }]);
    // and the document is right: a phone's token is refused where it says admin
    const phone = await server.enroll();
    const res = await server.app.inject({
      method: 'GET',
      url: '/api/v1/watchlist',
      headers: bearer(phone.token),
    });
    expect(res.statusCode).toBe(403);
  });
});
