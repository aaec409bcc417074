/**
 * The pull (the other half of sync): `GET /api/v1/device/changes?since=<cursor>` page by page
 * until the server has nothing more, each page stored with its cursor in one transaction
 * (db/passes-repo). It brings the resident passes issued and revoked, the watchlist, the gate's
 * rules and the public keys passes are checked with, so the gate can check passes and stop
 * quarantined people with no network at all. The sync runner calls it after each push
 * (sync-engine.ts), on the same triggers; failures throw the api-client's typed errors.
 */
import { deviceChangesResponseSchema, errorResponseSchema } from '../../shared';
import {
  applyPulledPage,
  getPullCursor,
  localIsoWithOffset,
  localToday,
  setPullScope,
} from '../db';
import {
  API_TIMEOUT_MS,
  AuthError,
  HttpError,
  NetworkError,
  ResponseError,
  apiUrl,
  parseRetryAfter,
} from './api-client';

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

async function getPage(ctx: PullContext, since: string) {
  const doFetch = ctx.fetch ?? ((...args: Parameters<typeof fetch>) => fetch(...args));
  const now = ctx.now ?? Date.now;
  const path = `/api/v1/device/changes?since=${encodeURIComponent(since)}`;
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), ctx.timeoutMs ?? API_TIMEOUT_MS);
  let res: Response;
  try {
    res = await doFetch(apiUrl(ctx.serverUrl, path), {
      method: 'GET',
      headers: { accept: 'application/json', authorization: `Bearer ${ctx.token}` },
      signal: abort.signal,
      cache: 'no-store',
      credentials: 'omit',
    });
  } catch (e) {
    throw new NetworkError(
      abort.signal.aborted ? 'timeout' : e instanceof Error ? e.message : String(e),
    );
  } finally {
    clearTimeout(timer);
  }
  let json: unknown;
  try {
    json = await res.json();
  } catch {
    json = undefined;
  }
  if (!res.ok) {
    const err = errorResponseSchema.safeParse(json);
    const Kind = res.status === 401 || res.status === 403 ? AuthError : HttpError;
    throw new Kind(
      res.status,
      err.success ? err.data.error : undefined,
      err.success ? err.data.message : `HTTP ${res.status}`,
      parseRetryAfter(res.headers.get('retry-after'), now()),
    );
  }
  const parsed = deviceChangesResponseSchema.safeParse(json);
  if (!parsed.success) throw new ResponseError('unexpected answer from /api/v1/device/changes');
  return parsed.data;
}

/** Pulls what changed since the stored cursor and stores it, page by page. */
export async function pullChanges(ctx: PullContext): Promise<PullResult> {
  const now = ctx.now ?? Date.now;
  await setPullScope(`${ctx.serverUrl}|${ctx.deviceId}`);
  let changes = 0;
  for (let pages = 1; ; pages++) {
    const page = await getPage(ctx, await getPullCursor());
    const at = new Date(now());
    await applyPulledPage(page, localIsoWithOffset(at), localToday(at));
    changes += page.changes.length;
    if (!page.more || pages >= PULL_MAX_PAGES) return { pages, changes, more: page.more };
  }
}
