/**
 * The pull (the other half of sync): `GET /api/v1/device/changes?since=<cursor>` page by page
 * until the server has nothing more, each page stored with its cursor in one transaction
 * (db/passes-repo). It brings the resident passes issued and revoked, the watchlist, the gate's
 * rules and the public keys passes are checked with, so the gate can check passes and stop
 * quarantined people with no network at all. The sync runner calls it after each push
 * (sync-engine.ts), on the same triggers; failures throw the api-client's typed errors.
 */
import {
  applyPulledPage,
  getPullCursor,
  localIsoWithOffset,
  localToday,
  setPullScope,
} from '../db';
import { createApiClient } from './api-client';

/** At most this many pages per pull; the next run carries on from the stored cursor. */
export const PULL_MAX_PAGES = 20;

export interface PullContext {
  serverUrl: string;
  token: string;
  deviceId: string;
  fetch?: typeof fetch | undefined;
  now?: () => number;
  timeoutMs?: number;
}

export interface PullResult {
  pages: number;
  changes: number;
  /** The server had more than PULL_MAX_PAGES pages: the next pull goes on. */
  more: boolean;
}

/** Pulls what changed since the stored cursor and stores it, page by page. */
export async function pullChanges(ctx: PullContext): Promise<PullResult> {
  const now = ctx.now ?? Date.now;
  await setPullScope(`${ctx.serverUrl}|${ctx.deviceId}`);
  const api = createApiClient({
    serverUrl: ctx.serverUrl,
    token: ctx.token,
    ...(ctx.fetch && { fetch: ctx.fetch }),
    now,
    ...(ctx.timeoutMs !== undefined && { timeoutMs: ctx.timeoutMs }),
  });
  let changes = 0;
  for (let pages = 1; ; pages++) {
    const page = await api.deviceChanges(await getPullCursor());
    const at = new Date(now());
    await applyPulledPage(page, localIsoWithOffset(at), localToday(at));
    changes += page.changes.length;
    if (!page.more || pages >= PULL_MAX_PAGES) return { pages, changes, more: page.more };
  }
}
