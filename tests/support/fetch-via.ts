/** The phone's `fetch` onto a Fastify app through `app.inject` (no socket), for unit tests. */
import type { FastifyInstance } from 'fastify';

/** `fetch` onto the Fastify app, recording each request's URL. */
export function fetchVia(
  app: FastifyInstance,
  seen: string[],
  opts: { limit?: number; failAt?: number } = {},
) {
  let calls = 0;
  return (async (input: RequestInfo | URL, init?: RequestInit) => {
    calls++;
    if (opts.failAt === calls) throw new TypeError('Failed to fetch');
    const url = new URL(String(input), 'http://phone.test');
    if (opts.limit && url.pathname === '/api/v1/device/changes') {
      url.searchParams.set('limit', String(opts.limit));
    }
    seen.push(url.pathname + url.search);
    const res = await app.inject({
      method: (init?.method ?? 'GET') as 'GET' | 'POST',
      url: url.pathname + url.search,
      headers: Object.fromEntries(new Headers(init?.headers).entries()),
      ...(init?.body !== undefined && { payload: String(init.body) }),
    });
    return new Response(res.body, {
      status: res.statusCode,
      headers: { 'content-type': String(res.headers['content-type'] ?? 'application/json') },
    });
  }) as typeof fetch;
}
