/**
 * The JSON text of a request the app's API client made, for the tests that stand in for the
 * server's `fetch`: the app sends a large body gzip-compressed (`Content-Encoding: gzip`), as a
 * Blob. (Playwright's taps read theirs with `syncBatchIds`, tests/e2e/support/sync-tap.ts.)
 */
export async function requestText(init: RequestInit | undefined): Promise<string> {
  const raw = new Response(init?.body ?? null);
  if (new Headers(init?.headers).get('content-encoding') !== 'gzip') return raw.text();
  return new Response(raw.body!.pipeThrough(new DecompressionStream('gzip'))).text();
}
