/**
 * Watches every `POST /api/v1/sync` of a browser context, between the pages and the real
 * server: which page sent it, which ids it carried, what the server answered, and how many were
 * in flight at once (the Web Locks rule: never two from one phone). It can hold the answer to
 * the next batch after the server has stored it — the phone does not know yet — so a test can
 * reload or close the tab while that batch is in flight; and it can slow every answer down, so
 * overlapping runners would show. Routed on the context, so it sees requests from every tab.
 */
import type { BrowserContext, Page, Route } from '@playwright/test';
import { syncResponseSchema, type SyncResponse } from '../../../../src/shared';
import { syncBatchIds } from '../../../e2e/support/sync-tap';

export interface SyncCall {
  /** The tab that sent it (undefined when the browser would not say). */
  page: Page | undefined;
  ids: string[];
  /** HTTP status of the server's answer; undefined when the server could not be reached. */
  status: number | undefined;
  answer: SyncResponse | undefined;
}

export interface SyncWatch {
  readonly calls: readonly SyncCall[];
  /** The most batches that were ever in flight at the same time. */
  readonly maxInFlight: number;
  /** How many batches that reached the server carried `id`. */
  timesSent(id: string): number;
  /** Holds back the answer to the next batch; resolves once the server has answered it. */
  holdNext(): Promise<SyncCall>;
  /** Lets a held answer go (dropped when its tab is gone). */
  release(): void;
  stop(): Promise<void>;
}

const SYNC_URL = '**/api/v1/sync';

/** Starts watching; `answerDelayMs` keeps every answer back that long after the server's. */
export async function watchSync(
  context: BrowserContext,
  opts: { answerDelayMs?: number } = {},
): Promise<SyncWatch> {
  const calls: SyncCall[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  let nextHold: ((call: SyncCall) => void) | undefined;
  let releaseHeld: (() => void) | undefined;

  const handler = async (route: Route) => {
    const request = route.request();
    if (request.method() !== 'POST') {
      await route.continue();
      return;
    }
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    let page: Page | undefined;
    try {
      page = request.frame().page();
    } catch {
      page = undefined;
    }
    const call: SyncCall = {
      page,
      ids: syncBatchIds(request),
      status: undefined,
      answer: undefined,
    };
    calls.push(call);
    try {
      let response;
      try {
        response = await route.fetch();
      } catch {
        await route.abort('connectionrefused').catch(() => {});
        return;
      }
      call.status = response.status();
      if (call.status === 200) call.answer = syncResponseSchema.parse(await response.json());
      if (opts.answerDelayMs) await new Promise((r) => setTimeout(r, opts.answerDelayMs));
      const hold = nextHold;
      if (hold) {
        nextHold = undefined;
        const released = new Promise<void>((resolve) => (releaseHeld = resolve));
        hold(call);
        await released;
      }
      // When its tab was reloaded or closed meanwhile, the answer is lost (and may throw).
      await route.fulfill({ response }).catch(() => {});
    } finally {
      inFlight--;
    }
  };
  await context.route(SYNC_URL, handler);

  return {
    calls,
    get maxInFlight() {
      return maxInFlight;
    },
    timesSent: (id) => calls.filter((c) => c.status !== undefined && c.ids.includes(id)).length,
    holdNext() {
      if (nextHold) throw new Error('already holding the next sync answer');
      return new Promise<SyncCall>((resolve) => (nextHold = resolve));
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
