import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { SyncRequest } from '../../src/shared';
import { COMPRESS_FROM_CHARS, HttpError, createApiClient } from '../../src/app/sync/api-client';
import { requestText } from '../support/request-body';

interface Sent {
  encoding: string | null;
  text: string;
}

/** A server that reads bodies as GateLog's does, and answers `refuse` to compressed ones. */
function fakeServer(refuse?: number) {
  const sent: Sent[] = [];
  const fetch = (async (_input: RequestInfo | URL, init?: RequestInit) => {
    const encoding = new Headers(init?.headers).get('content-encoding');
    const text = await requestText(init);
    sent.push({ encoding, text });
    if (encoding && refuse) {
      return Response.json({ error: 'refused', message: 'no' }, { status: refuse });
    }
    const body = JSON.parse(text) as SyncRequest;
    if (body.records.length === 0) {
      return Response.json({ error: 'invalid_request', message: 'empty' }, { status: 400 });
    }
    const ids = body.records.map((r) => (r as { id: string }).id);
    return Response.json({
      batchId: body.batchId,
      accepted: ids,
      duplicates: [],
      rejected: [],
      serverTime: new Date().toISOString(),
    });
  }) as typeof globalThis.fetch;
  return { sent, fetch };
}

const batch = (n: number): SyncRequest => ({
  batchId: randomUUID(),
  device: { appVersion: 'test', pending: n },
  records: Array.from({ length: n }, (_, i) => ({ id: `r${i}`, name: '王小明', note: '体温正常' })),
});

describe('api client: request bodies', () => {
  it('sends a large body gzip-compressed and a small one plain, the same JSON either way', async () => {
    const server = fakeServer();
    const api = createApiClient({ serverUrl: 'https://a.example', fetch: server.fetch });
    const large = batch(200);
    expect(JSON.stringify(large).length).toBeGreaterThanOrEqual(COMPRESS_FROM_CHARS);
    await api.sync(large);
    await api.sync(batch(1));
    expect(server.sent.map((s) => s.encoding)).toEqual(['gzip', null]);
    expect(JSON.parse(server.sent[0]!.text)).toEqual(large);
  });

  it('sends every body plain when told not to compress', async () => {
    const server = fakeServer();
    const api = createApiClient({
      serverUrl: 'https://b.example',
      fetch: server.fetch,
      compress: false,
    });
    await api.sync(batch(200));
    expect(server.sent.map((s) => s.encoding)).toEqual([null]);
  });

  it.each([415, 400])(
    'sends the body again plain when a server answers %i to it compressed, and plain from then on',
    async (status) => {
      const server = fakeServer(status);
      const serverUrl = `https://refuses-${status}.example`;
      const api = createApiClient({ serverUrl, fetch: server.fetch });
      const first = batch(200);
      expect((await api.sync(first)).accepted).toHaveLength(200);
      expect(server.sent.map((s) => s.encoding)).toEqual(['gzip', null]);
      expect(server.sent[1]!.text).toBe(server.sent[0]!.text);
      // A new client for the same server (the next run) sends plain at once.
      const next = createApiClient({ serverUrl, fetch: server.fetch });
      await next.sync(batch(200));
      expect(server.sent.map((s) => s.encoding)).toEqual(['gzip', null, null]);
      // Another server still gets compressed bodies.
      const other = fakeServer();
      await createApiClient({ serverUrl: 'https://c.example', fetch: other.fetch }).sync(
        batch(200),
      );
      expect(other.sent.map((s) => s.encoding)).toEqual(['gzip']);
    },
  );

  it('keeps compressing for a server whose 400 was about the body itself', async () => {
    const server = fakeServer();
    const api = createApiClient({ serverUrl: 'https://d.example', fetch: server.fetch });
    const empty = { ...batch(0), device: { appVersion: 'x'.repeat(5_000), pending: 0 } };
    await expect(api.sync(empty)).rejects.toMatchObject({
      constructor: HttpError,
      status: 400,
      code: 'invalid_request',
    });
    expect(server.sent.map((s) => s.encoding)).toEqual(['gzip', null]);
    await api.sync(batch(200));
    expect(server.sent.map((s) => s.encoding)).toEqual(['gzip', null, 'gzip']);
  });
});
