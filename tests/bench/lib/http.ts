/**
 * The server bench's HTTP client: node:http with kept-alive connections, the bodies sent as
 * prepared. Lighter than `fetch` (undici), whose own work a request (≈1.6 ms CPU for a
 * 500-record batch and its answer) ran on the same 2 cores as the server it measured.
 */
import { Agent, request } from 'node:http';

const agent = new Agent({ keepAlive: true, maxSockets: Infinity });

export interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
  json<T>(): T;
}

export function httpRequest(
  url: string,
  method: string,
  headers: Record<string, string>,
  body?: string | Uint8Array,
): Promise<Answer> {
  return new Promise((ok, fail) => {
    const req = request(url, { method, headers, agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('error', fail);
      res.on('end', () => {
        const all = Buffer.concat(chunks);
        ok({
          status: res.statusCode ?? 0,
          headers: res.headers,
          body: all,
          json: <T>() => JSON.parse(all.toString('utf8')) as T,
        });
      });
    });
    req.on('error', fail);
    req.end(body);
  });
}
