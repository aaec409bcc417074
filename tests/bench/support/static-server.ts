/**
 * The built PWA served the way a production host would: text gzipped (level 9, precompressed
 * once), long-cached hashed assets, no-cache for index.html / sw.js / the manifest, an SPA
 * fallback. On 127.0.0.1 and a free port; an offline switch cuts every connection.
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, relative } from 'node:path';
import { gzipSync } from 'node:zlib';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.webmanifest': 'application/manifest+json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
};
const COMPRESSIBLE = new Set(['.html', '.js', '.css', '.webmanifest', '.svg']);
const NO_CACHE = new Set(['/', '/index.html', '/sw.js', '/manifest.webmanifest']);

interface File {
  type: string;
  body: Buffer;
  gzip?: Buffer;
}

export interface StaticServer {
  url: string;
  setOffline(offline: boolean): void;
  /** Bytes written to the wire (bodies) since the last reset. */
  bytesSent(): number;
  resetCounters(): void;
  close(): Promise<void>;
}

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? walk(p) : [p];
  });
}

/** Serves `dir`; `gzip: false` sends every file as it is (a host with compression off). */
export async function startStaticServer(
  dir: string,
  opts: { gzip?: boolean } = {},
): Promise<StaticServer> {
  const useGzip = opts.gzip ?? true;
  const files = new Map<string, File>();
  for (const path of walk(dir)) {
    if (path.endsWith('.map')) continue;
    const ext = extname(path);
    const body = readFileSync(path);
    files.set('/' + relative(dir, path).split('\\').join('/'), {
      type: TYPES[ext] ?? 'application/octet-stream',
      body,
      ...(useGzip && COMPRESSIBLE.has(ext) && { gzip: gzipSync(body, { level: 9 }) }),
    });
  }
  let offline = false;
  let sent = 0;
  const server: Server = createServer((req, res) => {
    if (offline) {
      req.socket.destroy();
      return;
    }
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    let file = files.get(path);
    let served = path;
    if (!file && !extname(path)) {
      file = files.get('/index.html');
      served = '/index.html';
    }
    if (!file) {
      res.writeHead(404).end();
      return;
    }
    const gz = file.gzip && /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''));
    const body = gz ? file.gzip! : file.body;
    res.writeHead(200, {
      'content-type': file.type,
      'content-length': body.length,
      'cache-control':
        NO_CACHE.has(served) || NO_CACHE.has(path)
          ? 'no-cache'
          : 'public, max-age=31536000, immutable',
      ...(gz && { 'content-encoding': 'gzip' }),
      vary: 'accept-encoding',
    });
    sent += body.length;
    res.end(req.method === 'HEAD' ? undefined : body);
  });
  server.keepAliveTimeout = 1_000;
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    setOffline(value) {
      offline = value;
      if (value) server.closeAllConnections();
    },
    bytesSent: () => sent,
    resetCounters: () => void (sent = 0),
    close: () =>
      new Promise<void>((ok) => {
        server.closeAllConnections();
        server.close(() => ok());
      }),
  };
}
