/**
 * Request bodies sent gzip-compressed (`Content-Encoding: gzip`): a phone compresses its sync
 * batches, a tenth of their size on its uplink. The body is decompressed as it streams in, and
 * Fastify holds the decompressed bytes to the route's body limit (and the bytes as sent to
 * `Content-Length`), so a small body that inflates past the limit is a 413 like a large one, and
 * is never inflated whole. A body that is not valid gzip is a 400; any other encoding a 415.
 */
import { createGunzip, type Gunzip } from 'node:zlib';
import type { FastifyInstance } from 'fastify';
import { HttpError } from './errors';

/** The decompressing stream, with the count Fastify checks the limit and Content-Length by. */
type Decoded = Gunzip & { receivedEncodedLength: number };

export function acceptCompressedBodies(app: FastifyInstance): void {
  app.addHook('preParsing', async (request, _reply, payload) => {
    const encoding = request.headers['content-encoding']?.trim().toLowerCase();
    if (encoding === undefined || encoding === '' || encoding === 'identity') return payload;
    if (encoding !== 'gzip') {
      throw new HttpError(
        415,
        'unsupported_encoding',
        `Content-Encoding ${encoding} is not accepted; send gzip or none`,
      );
    }
    // Out in pieces of 256 KiB (zlib's default is 16): a 500-record batch is one or two, each a
    // trip to the thread pool and a callback (≈1 ms a batch less than sixteen of them).
    const gunzip: Decoded = Object.assign(createGunzip({ chunkSize: 256 * 1024 }), {
      receivedEncodedLength: 0,
    });
    // Before Fastify's own listener: what the client is told.
    gunzip.on('error', (e: Error & { statusCode?: number }) => {
      e.message = `The body is not valid gzip: ${e.message}`;
      e.statusCode ??= 400;
    });
    payload.on('data', (chunk: Buffer) => (gunzip.receivedEncodedLength += chunk.length));
    payload.on('error', (e) => gunzip.destroy(e));
    return payload.pipe(gunzip);
  });
}
