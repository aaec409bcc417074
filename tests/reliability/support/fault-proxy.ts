/**
 * An HTTP proxy in front of a real server that answers sync requests from a script instead
 * (500, 503 or 429, with or without Retry-After) and forwards everything else, and every sync
 * request once the script is used up. It notes when each sync request arrived, so a test can
 * check how the phone spaced its retries.
 */
import { request as httpRequest, createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FaultStep {
  status: number;
  /** The Retry-After header, as sent. */
  retryAfter?: string;
}

export interface ProxyAttempt {
  /** Real ms when the request arrived. */
  at: number;
  /** The scripted answer, or undefined when it went to the server. */
  step?: FaultStep;
  status: number;
}

export interface FaultProxy {
  base: string;
  /** Answers for the next sync requests, consumed in order. */
  script: FaultStep[];
  /** Every sync request, in order of arrival. */
  attempts: ProxyAttempt[];
  close(): Promise<void>;
}

const isSync = (req: IncomingMessage) => req.method === 'POST' && req.url === '/api/v1/sync';

/** Starts a proxy on 127.0.0.1 in front of `upstream` (`http://host:port`). */
export async function startFaultProxy(upstream: string): Promise<FaultProxy> {
  const target = new URL(upstream);
  const proxy: FaultProxy = { base: '', script: [], attempts: [], close: async () => {} };
  const server = createServer((req, res) => {
    const at = Date.now();
    const step = isSync(req) ? proxy.script.shift() : undefined;
    if (step) {
      const attempt: ProxyAttempt = { at, step, status: step.status };
      proxy.attempts.push(attempt);
      req.resume();
      req.on('end', () => {
        res.writeHead(step.status, {
          'content-type': 'application/json',
          ...(step.retryAfter !== undefined && { 'retry-after': step.retryAfter }),
        });
        res.end(JSON.stringify({ error: 'injected', message: `injected ${step.status}` }));
      });
      return;
    }
    const attempt: ProxyAttempt | undefined = isSync(req) ? { at, status: 0 } : undefined;
    if (attempt) proxy.attempts.push(attempt);
    const upstreamReq = httpRequest(
      {
        host: target.hostname,
        port: target.port,
        method: req.method,
        path: req.url,
        headers: { ...req.headers, host: target.host },
      },
      (upstreamRes) => {
        if (attempt) attempt.status = upstreamRes.statusCode ?? 0;
        res.writeHead(upstreamRes.statusCode ?? 502, upstreamRes.headers);
        upstreamRes.pipe(res);
      },
    );
    upstreamReq.on('error', () => {
      res.writeHead(502, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: 'bad_gateway', message: 'upstream unreachable' }));
    });
    req.pipe(upstreamReq);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  proxy.base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  proxy.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return proxy;
}
