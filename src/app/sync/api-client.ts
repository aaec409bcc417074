/**
 * The phone's only way to the server (DESIGN.md §6): a small fetch wrapper that adds the
 * device's Bearer token, parses every answer with the shared zod schemas, and turns every
 * failure into a typed error the sync runner can act on (retry, wait, halve, or stop).
 *
 * A large body goes gzip-compressed (`Content-Encoding: gzip`): a batch of 500 records is about
 * 250 KB of JSON and a tenth of that compressed, and a phone's uplink is the slow part of a sync
 * at the end of a shift. A server that refuses it (415, or a 400 that the same body sent plain
 * does not get) is sent plain bodies from then on.
 */
import type * as z from 'zod/mini';
import {
  deviceChangesResponseSchema,
  deviceConfigSchema,
  enrollResponseSchema,
  errorResponseSchema,
  shiftCloseResponseSchema,
  syncResponseSchema,
  type DeviceChangesResponse,
  type DeviceConfig,
  type EnrollRequest,
  type EnrollResponse,
  type ShiftCloseRequest,
  type ShiftCloseResponse,
  type SyncRequest,
  type SyncResponse,
} from '../../shared';

/** A request that gets no answer within this long is treated as a network failure. */
export const API_TIMEOUT_MS = 30_000;

/** Bodies from this many characters of JSON on go compressed; below, it is not worth the work. */
export const COMPRESS_FROM_CHARS = 4_096;

/** A server was found to refuse compressed bodies: this page sends it plain ones. */
const refusesGzip = new Set<string>();

/** The body gzip-compressed, or undefined where the browser cannot compress. */
async function gzip(text: string): Promise<Blob | undefined> {
  if (typeof CompressionStream === 'undefined') return undefined;
  try {
    const stream = new Blob([text]).stream().pipeThrough(new CompressionStream('gzip'));
    return await new Response(stream).blob();
  } catch {
    return undefined;
  }
}

/** The request never got an HTTP answer: offline, DNS, TLS, CORS, timeout. */
export class NetworkError extends Error {
  override name = 'NetworkError';
}

/** The server answered with a non-2xx status. */
export class HttpError extends Error {
  override name = 'HttpError';
  constructor(
    readonly status: number,
    /** The server's `error` code from its JSON body, when it sent one. */
    readonly code: string | undefined,
    message: string,
    /** `Retry-After` in ms from now, when the server sent a usable one. */
    readonly retryAfterMs: number | undefined,
  ) {
    super(message);
  }
}

/**
 * GateLog's own 401/403: the device token is unknown, revoked, or not allowed here;
 * re-enrollment needed.
 */
export class AuthError extends HttpError {
  override name = 'AuthError';
}

/** A 2xx answer that does not match the shared schema (wrong server, proxy page, old server). */
export class ResponseError extends Error {
  override name = 'ResponseError';
}

export type ApiFailure = NetworkError | HttpError | ResponseError;

/**
 * `Retry-After` as milliseconds from `nowMs`: delta-seconds or an HTTP date (RFC 9110 §10.2.3).
 * Undefined when absent or unreadable; a date in the past gives 0.
 */
export function parseRetryAfter(
  value: string | null | undefined,
  nowMs: number,
): number | undefined {
  if (value == null) return undefined;
  const v = value.trim();
  if (/^\d+$/.test(v)) return Number(v) * 1000;
  if (!/[a-z]/i.test(v)) return undefined;
  const at = Date.parse(v);
  return Number.isNaN(at) ? undefined : Math.max(0, at - nowMs);
}

/** Joins the enrollment's server URL ('' = same origin as the app) and an API path. */
export function apiUrl(serverUrl: string, path: string): string {
  return serverUrl.replace(/\/+$/, '') + path;
}

export interface ApiClientOptions {
  /** The server's origin (and base path), or '' when the server also serves the app. */
  serverUrl: string;
  /** The device token from enrollment; omitted for enrollment itself. */
  token?: string | undefined;
  fetch?: typeof fetch;
  now?: () => number;
  timeoutMs?: number;
  /** Compresses large bodies (the default); false sends every body plain. */
  compress?: boolean;
}

export interface ApiClient {
  sync(body: SyncRequest): Promise<SyncResponse>;
  enroll(body: EnrollRequest): Promise<EnrollResponse>;
  closeShift(shiftId: string, body: ShiftCloseRequest): Promise<ShiftCloseResponse>;
  /** `GET /api/v1/device/config`: the gate, and what the server last acknowledged from this phone. */
  deviceConfig(): Promise<DeviceConfig>;
  /** `GET /api/v1/device/changes`: passes, watchlist, rules and keys changed since a cursor. */
  deviceChanges(since: string): Promise<DeviceChangesResponse>;
}

/** A client bound to one server and one token. Every method throws an `ApiFailure`. */
export function createApiClient(opts: ApiClientOptions): ApiClient {
  const doFetch = opts.fetch ?? ((...args: Parameters<typeof fetch>) => fetch(...args));
  const now = opts.now ?? Date.now;
  const timeoutMs = opts.timeoutMs ?? API_TIMEOUT_MS;

  async function send(
    method: 'GET' | 'POST',
    path: string,
    body: string | Blob | undefined,
  ): Promise<Response> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (body instanceof Blob) headers['content-encoding'] = 'gzip';
    if (opts.token) headers.authorization = `Bearer ${opts.token}`;
    const abort = new AbortController();
    const timer = setTimeout(() => abort.abort(), timeoutMs);
    try {
      return await doFetch(apiUrl(opts.serverUrl, path), {
        method,
        headers,
        ...(body !== undefined && { body }),
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
  }

  async function call<S extends z.ZodMiniType>(
    method: 'GET' | 'POST',
    path: string,
    body: unknown,
    schema: S,
  ): Promise<z.infer<S>> {
    const text = method === 'POST' ? JSON.stringify(body) : undefined;
    const compressed =
      text !== undefined &&
      text.length >= COMPRESS_FROM_CHARS &&
      opts.compress !== false &&
      !refusesGzip.has(opts.serverUrl)
        ? await gzip(text)
        : undefined;
    let res = await send(method, path, compressed ?? text);
    if (compressed && (res.status === 415 || res.status === 400)) {
      const plain = await send(method, path, text);
      if (plain.status !== res.status) refusesGzip.add(opts.serverUrl);
      res = plain;
    }
    let json: unknown;
    try {
      json = await res.json();
    } catch {
      json = undefined;
    }
    if (!res.ok) {
      const err = errorResponseSchema.safeParse(json);
      const code = err.success ? err.data.error : undefined;
      const message = err.success ? err.data.message : `HTTP ${res.status}`;
      const retryAfterMs = parseRetryAfter(res.headers.get('retry-after'), now());
      // Only GateLog's own refusal (its error shape) means the token: a proxy's or a firewall's
      // 401 or 403 page in front of it is a failure like any other, tried again later, not a
      // phone to enroll again (which stopped every automatic sync until the guard did).
      const refusedByGateLog = (res.status === 401 || res.status === 403) && err.success;
      const Kind = refusedByGateLog ? AuthError : HttpError;
      throw new Kind(res.status, code, message, retryAfterMs);
    }
    const parsed = schema.safeParse(json);
    if (!parsed.success) throw new ResponseError(`unexpected answer from ${path}`);
    return parsed.data as z.infer<S>;
  }

  return {
    sync: (body) => call('POST', '/api/v1/sync', body, syncResponseSchema),
    enroll: (body) => call('POST', '/api/v1/enroll', body, enrollResponseSchema),
    closeShift: (shiftId, body) =>
      call(
        'POST',
        `/api/v1/shifts/${encodeURIComponent(shiftId)}/close`,
        body,
        shiftCloseResponseSchema,
      ),
    deviceConfig: () => call('GET', '/api/v1/device/config', undefined, deviceConfigSchema),
    deviceChanges: (since) =>
      call(
        'GET',
        `/api/v1/device/changes?since=${encodeURIComponent(since)}`,
        undefined,
        deviceChangesResponseSchema,
      ),
  };
}
