/**
 * Every route the app really has (read from Fastify's route tree), so the access and fuzz
 * suites cover endpoints added after they were written, and who may call each one.
 */
import type { FastifyInstance } from 'fastify';

export interface RouteInfo {
  method: string;
  /** Fastify's pattern, e.g. `/api/v1/devices/:id`. */
  url: string;
}

/** Every (method, url) pair, HEAD left out (Fastify adds it to every GET). */
export function listRoutes(app: FastifyInstance): RouteInfo[] {
  const routes: RouteInfo[] = [];
  const stack: string[] = [];
  for (const line of app.printRoutes({ commonPrefix: false }).split('\n')) {
    const m = /^([│ ]*)[├└]── (.+?)(?: \(([A-Z, ]+)\))?$/.exec(line);
    if (!m) continue;
    const depth = m[1]!.length / 4;
    stack.length = depth;
    const url = (stack[depth - 1] ?? '') + m[2]!;
    stack[depth] = url;
    for (const method of (m[3] ?? '').split(',').map((s) => s.trim())) {
      if (method && method !== 'HEAD') routes.push({ method, url });
    }
  }
  return routes;
}

/** Endpoints anyone may call (DESIGN.md §6). */
export const PUBLIC_ROUTES = ['POST /api/v1/enroll', 'GET /healthz', 'GET /api/openapi.json'];

/** Endpoints for a phone's device token; every other /api/v1 endpoint is the committee's. */
export const DEVICE_ROUTES = [
  'POST /api/v1/sync',
  'POST /api/v1/shifts/:id/close',
  'GET /api/v1/device/config',
  'GET /api/v1/device/changes',
];

export type Who = 'public' | 'device' | 'admin';

export function whoMayCall(r: RouteInfo): Who {
  const key = `${r.method} ${r.url}`;
  if (PUBLIC_ROUTES.includes(key)) return 'public';
  return DEVICE_ROUTES.includes(key) ? 'device' : 'admin';
}

/** The route's URL with its parameters filled in. */
export function fillParams(url: string, value: string): string {
  return url.replace(/:[A-Za-z]+/g, value);
}
