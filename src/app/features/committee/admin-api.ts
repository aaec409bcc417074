/**
 * The committee page's way to the server: the admin API (DESIGN.md §6) with the committee's
 * token as a Bearer token, every answer parsed with the shared schemas. A refused token is an
 * `AdminApiError` with status 401, so the page can ask for it again; an answer that is not
 * GateLog's (a web page, other JSON) is one with the code `NOT_GATELOG`, and one of GateLog of
 * another version that the schemas refuse (a field added or renamed) one with `OTHER_VERSION`.
 */
import type * as z from 'zod/mini';
import {
  deviceListResponseSchema,
  enrollmentCodeResponseSchema,
  errorResponseSchema,
  GATELOG_VERSION_HEADER,
  gateListResponseSchema,
  gateSchema,
  logsResponseSchema,
  logSummarySchema,
  passListResponseSchema,
  passSchema,
  watchEntrySchema,
  watchListResponseSchema,
  type CreatePassRequest,
  type CreateWatchRequest,
  type DeviceSummary,
  type Gate,
  type GateRules,
  type Locale,
  type LogsQuery,
  type LogSummaryResponse,
  type LogsResponse,
  type Pass,
  type WatchEntry,
} from '../../../shared';

export class AdminApiError extends Error {
  override name = 'AdminApiError';
  constructor(
    /** 0: no answer at all (offline, server down). */
    readonly status: number,
    message: string,
    /** The server's error code (`not_found`, `unavailable`…), when it said one. */
    readonly code?: string,
    /** The GateLog version the server named (GATELOG_VERSION_HEADER), when it named one. */
    readonly serverVersion?: string,
  ) {
    super(message);
  }
}

/**
 * `AdminApiError.code` of an answer GateLog does not give: not JSON (a web page, a proxy's login
 * or error page), JSON of another shape, or an error without GateLog's `{error, message}` — the
 * address reaches some other server.
 */
export const NOT_GATELOG = 'not_gatelog';

/**
 * `AdminApiError.code` of an answer that fails the page's checks from a server that names its
 * GateLog version (`serverVersion`): GateLog of another version than the page's.
 */
export const OTHER_VERSION = 'other_version';

/** The GateLog version `res` names, if any. */
const versionOf = (res: Response): string | undefined =>
  res.headers.get(GATELOG_VERSION_HEADER)?.trim() || undefined;

/**
 * `res`'s body parsed with `schema`, or, if it is not such an answer, an `OTHER_VERSION` error
 * when the server names its GateLog version and a `NOT_GATELOG` one when it does not.
 */
async function parseAnswer<S extends z.ZodMiniType>(res: Response, schema: S): Promise<z.infer<S>> {
  const parsed = schema.safeParse(await res.json().catch(() => undefined));
  if (parsed.success) return parsed.data as z.infer<S>;
  const version = versionOf(res);
  throw version === undefined
    ? new AdminApiError(res.status, 'Not an answer of GateLog', NOT_GATELOG)
    : new AdminApiError(res.status, 'An answer of another GateLog', OTHER_VERSION, version);
}

/** What the log list and its CSV are filtered by (the API's query but its paging). */
export type LogQuery = Omit<LogsQuery, 'cursor' | 'limit' | 'for' | 'lang'>;
export type LogOrder = NonNullable<LogQuery['order']>;

export const queryString = (q: LogQuery, extra: Record<string, string> = {}): string => {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries({ ...q, ...extra })) if (v) params.set(k, v);
  const s = params.toString();
  return s ? `?${s}` : '';
};

export interface AdminApi {
  gates(): Promise<Gate[]>;
  createGate(name: string): Promise<Gate>;
  /** A new name and rules; phones take them at their next sync. */
  updateGate(id: string, change: { name: string; rules: GateRules }): Promise<Gate>;
  /** A page of `q`'s rows after `cursor`: `limit` rows (a page unless said, at most 1,000). */
  logs(q: LogQuery, cursor?: string, limit?: number): Promise<LogsResponse>;
  /** How many records `q` matches (whatever its flag), and how many of them each flag marks. */
  logSummary(q: LogQuery): Promise<LogSummaryResponse>;
  /**
   * The CSV export of `q`, whole (UTF-8 with BOM, full ID numbers), its header and choices in
   * `lang`, the page's language. The page names the file: only it knows the clerk's local days
   * (the server's name has its own, UTC, date).
   */
  csv(q: LogQuery, lang: Locale): Promise<Blob>;
  devices(): Promise<DeviceSummary[]>;
  revokeDevice(id: string): Promise<void>;
  newEnrollmentCode(gateId: string): Promise<z.infer<typeof enrollmentCodeResponseSchema>>;
  /** Passes not revoked, of every gate or of one (and those valid at every gate). */
  passes(gateId?: string): Promise<Pass[]>;
  createPass(pass: CreatePassRequest): Promise<Pass>;
  revokePass(id: string): Promise<void>;
  /**
   * The printable A4 sheet of the cards of passes in force on `today` (HTML), its time of making
   * said at the clerk's UTC offset (`-getTimezoneOffset()`, minutes east), not the server's.
   */
  passSheet(today: string, gateId?: string, utcOffsetMinutes?: number): Promise<Blob>;
  watchlist(): Promise<WatchEntry[]>;
  addWatch(entry: CreateWatchRequest): Promise<WatchEntry>;
  removeWatch(id: string): Promise<void>;
}

/** Rows of the log fetched a page at a time. */
export const LOG_PAGE_SIZE = 100;

export function adminApi(token: string, base = ''): AdminApi {
  async function send(method: string, path: string, body?: unknown): Promise<Response> {
    let res: Response;
    try {
      res = await fetch(base + path, {
        method,
        headers: {
          authorization: `Bearer ${token}`,
          ...(body !== undefined && { 'content-type': 'application/json' }),
        },
        ...(body !== undefined && { body: JSON.stringify(body) }),
        cache: 'no-store',
      });
    } catch (e) {
      throw new AdminApiError(0, e instanceof Error ? e.message : String(e));
    }
    if (res.ok) return res;
    let message = res.statusText;
    let code = NOT_GATELOG;
    try {
      ({ message, error: code } = await parseAnswer(res, errorResponseSchema));
    } catch (e) {
      // Not GateLog's error, or another version's: the status line says what there is to say.
      if (e instanceof AdminApiError && e.code) code = e.code;
    }
    throw new AdminApiError(res.status, message, code, versionOf(res));
  }

  const json = async <S extends z.ZodMiniType>(path: string, schema: S): Promise<z.infer<S>> =>
    parseAnswer(await send('GET', path), schema);

  return {
    gates: async () => (await json('/api/v1/gates', gateListResponseSchema)).gates,
    createGate: async (name) =>
      parseAnswer(await send('POST', '/api/v1/gates', { name }), gateSchema),
    updateGate: async (id, change) =>
      parseAnswer(
        await send('PATCH', `/api/v1/gates/${encodeURIComponent(id)}`, change),
        gateSchema,
      ),
    logs: (q, cursor, limit = LOG_PAGE_SIZE) =>
      json(
        `/api/v1/logs${queryString(q, { limit: String(limit), ...(cursor && { cursor }) })}`,
        logsResponseSchema,
      ),
    logSummary: (q) => json(`/api/v1/logs/summary${queryString(q)}`, logSummarySchema),
    // For the clerk's spreadsheet, in the clerk's language: ID, phone and pass numbers kept as
    // text there.
    csv: async (q, lang) =>
      (await send('GET', `/api/v1/logs.csv${queryString(q, { for: 'spreadsheet', lang })}`)).blob(),
    devices: async () => (await json('/api/v1/devices', deviceListResponseSchema)).devices,
    async revokeDevice(id) {
      await send('DELETE', `/api/v1/devices/${encodeURIComponent(id)}`);
    },
    passes: async (gateId) =>
      (await json(`/api/v1/passes${queryString({ gateId })}`, passListResponseSchema)).passes,
    createPass: async (pass) => parseAnswer(await send('POST', '/api/v1/passes', pass), passSchema),
    async revokePass(id) {
      await send('DELETE', `/api/v1/passes/${encodeURIComponent(id)}`);
    },
    async passSheet(today, gateId, utcOffsetMinutes) {
      const extra: Record<string, string> = { today };
      if (utcOffsetMinutes !== undefined) extra.utcOffsetMinutes = String(utcOffsetMinutes);
      const res = await send('GET', `/api/v1/passes/sheet.html${queryString({ gateId }, extra)}`);
      return res.blob();
    },
    watchlist: async () => (await json('/api/v1/watchlist', watchListResponseSchema)).watchlist,
    addWatch: async (entry) =>
      parseAnswer(await send('POST', '/api/v1/watchlist', entry), watchEntrySchema),
    async removeWatch(id) {
      await send('DELETE', `/api/v1/watchlist/${encodeURIComponent(id)}`);
    },
    async newEnrollmentCode(gateId) {
      const res = await send(
        'POST',
        `/api/v1/gates/${encodeURIComponent(gateId)}/enrollment-codes`,
      );
      return parseAnswer(res, enrollmentCodeResponseSchema);
    },
  };
}
