/**
 * A tap on the phone's sync requests (`POST /api/v1/sync`), between the browser and the real
 * server: every batch still goes to the server, and the tap notes which ids it carried and what
 * the server answered. `holdNext()` keeps the server's answer to the next batch from the phone —
 * the server has stored it, the phone does not know — until `release()`, so a test can reload
 * the page while that batch is in flight, which is exactly a lost answer (DESIGN §5.4).
 *
 * Routed on the browser context, so it sees the request whether or not a service worker
 * controls the page.
 */
import { gunzipSync } from 'node:zlib';
import type { APIResponse, BrowserContext, Request, Route } from '@playwright/test';
import { syncResponseSchema, type SyncResponse } from '../../../src/shared';

export interface SyncExchange {
  /** The record ids the batch carried, in order. */
  ids: string[];
  /** The body went gzip-compressed. */
  compressed: boolean;
  /** The server's HTTP status. */
  status: number;
  /** The server's answer, when it was a 200. */
  answer: SyncResponse | undefined;
}

export interface SyncTap {
  /** Every batch that reached the server through the tap, in order. */
  readonly exchanges: readonly SyncExchange[];
  /**
   * Holds back the answer to the next batch. Resolves once the server has answered it (so the
   * batch is stored or refused), while the phone is still waiting.
   */
  holdNext(): Promise<SyncExchange>;
  /** Lets a held answer go; when its page is gone (reloaded), it is dropped. */
  release(): void;
  /** Removes the tap (releasing anything held). */
  stop(): Promise<void>;
}

const SYNC_URL = '**/api/v1/sync';

/** The app sent the body gzip-compressed, as it does a large one. */
const isCompressed = (request: Request) => request.headers()['content-encoding'] === 'gzip';

/** The record ids a sync request carried, in order, its body compressed or not. */
export function syncBatchIds(request: Request): string[] {
  const raw = request.postDataBuffer();
  if (!raw) return [];
  let body: unknown;
  try {
    body = JSON.parse((isCompressed(request) ? gunzipSync(raw) : raw).toString('utf8'));
  } catch {
    return [];
  }
  const records = (body as { records?: unknown } | null)?.records;
  if (!Array.isArray(records)) return [];
  return records.map((r) => String((r as { id?: unknown } | null)?.id));
}

/** Starts tapping the sync requests of every page in `context`. */
export async function tapSync(context: BrowserContext): Promise<SyncTap> {
  const exchanges: SyncExchange[] = [];
  let nextHold: ((exchange: SyncExchange) => void) | undefined;
  let releaseHeld: (() => void) | undefined;

  const handler = async (route: Route) => {
    const request = route.request();
    if (request.method() !== 'POST') {
      await route.continue();
      return;
    }
    let response: APIResponse;
    try {
      response = await route.fetch();
    } catch {
      // The server is unreachable: the phone sees a network error, as it would without the tap.
      await route.abort('connectionrefused').catch(() => {});
      return;
    }
    const status = response.status();
    const exchange: SyncExchange = {
      ids: syncBatchIds(request),
      compressed: isCompressed(request),
      status,
      answer: status === 200 ? syncResponseSchema.parse(await response.json()) : undefined,
    };
    exchanges.push(exchange);
    const hold = nextHold;
    if (hold) {
      nextHold = undefined;
      const released = new Promise<void>((resolve) => {
        releaseHeld = resolve;
      });
      hold(exchange);
      await released;
    }
    try {
      await route.fulfill({ response });
    } catch {
      // The page that sent it was reloaded or closed: the answer is lost.
    }
  };
  await context.route(SYNC_URL, handler);

  return {
    exchanges,
    holdNext() {
      if (nextHold) throw new Error('already holding the next sync answer');
      return new Promise<SyncExchange>((resolve) => {
        nextHold = resolve;
      });
    },
    release() {
      releaseHeld?.();
      releaseHeld = undefined;
    },
    async stop() {
      releaseHeld?.();
      await context.unroute(SYNC_URL, handler);
    },
  };
}
