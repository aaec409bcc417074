/**
 * The committee's log (admin): a keyset-paginated JSON list with ID numbers masked, a streamed
 * CSV export with every row and full ID numbers, and the counts of what they match. All take
 * the same filters.
 */
import { Readable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import * as z from 'zod/mini';
import {
  LOGS_DEFAULT_LIMIT,
  logsCsvFileName,
  logsQuerySchema,
  type LogsQuery,
  type LogSummaryResponse,
  type LogsResponse,
} from '../../shared';
import type { AppContext } from '../context';
import { csvChunks } from '../csv';
import { HttpError } from '../errors';
import { toLogItem } from '../records';
import type { LogCursor, LogFilter } from '../store/types';
import { parseOr400 } from '../validate';

const cursorSchema = z.tuple([z.int().check(z.gte(0)), z.string().check(z.maxLength(64))]);

/** Opaque to clients: base64url of `[receivedAt, id]`. */
export function encodeCursor(c: LogCursor): string {
  return Buffer.from(JSON.stringify([c.receivedAt, c.id])).toString('base64url');
}

export function decodeCursor(text: string): LogCursor {
  try {
    const [receivedAt, id] = cursorSchema.parse(
      JSON.parse(Buffer.from(text, 'base64url').toString('utf8')),
    );
    return { receivedAt, id };
  } catch {
    throw new HttpError(400, 'bad_cursor', 'cursor: not a cursor this server gave out');
  }
}

function filterOf(q: LogsQuery): LogFilter {
  return {
    ...(q.gateId !== undefined && { gateId: q.gateId }),
    ...(q.from !== undefined && { fromMs: Date.parse(q.from) }),
    ...(q.to !== undefined && { toMs: Date.parse(q.to) }),
    ...(q.receivedFrom !== undefined && { receivedFromMs: Date.parse(q.receivedFrom) }),
    ...(q.receivedTo !== undefined && { receivedToMs: Date.parse(q.receivedTo) }),
    ...(q.flag !== undefined && { flag: q.flag }),
    ...(q.q !== undefined && { search: q.q }),
    ...(q.order === 'desc' && { newestFirst: true }),
  };
}

/**
 * The query, refused when its `gateId` names no gate: a gate removed while the committee's page
 * was open would else list nothing, or everything, as though that were the gate's log. The
 * message names the parameter, never what was sent.
 */
async function parseLogsQuery(ctx: AppContext, query: unknown): Promise<LogsQuery> {
  const q = parseOr400(logsQuerySchema, query);
  if (q.gateId !== undefined && (await ctx.store.getGate(q.gateId)) === null) {
    throw new HttpError(400, 'gate_unknown', 'gateId: no such gate');
  }
  return q;
}

export default function logsRoutes(app: FastifyInstance, ctx: AppContext): void {
  app.get('/api/v1/logs', { preHandler: ctx.auth.admin }, async (request) => {
    const q = await parseLogsQuery(ctx, request.query);
    const limit = q.limit ?? LOGS_DEFAULT_LIMIT;
    const after = q.cursor === undefined ? null : decodeCursor(q.cursor);
    const rows = await ctx.store.listLogs(filterOf(q), after, limit + 1);
    const page = rows.slice(0, limit);
    const last = page.at(-1);
    const answer: LogsResponse = {
      items: page.map(toLogItem),
      nextCursor:
        rows.length > limit && last
          ? encodeCursor({ receivedAt: last.receivedAt, id: last.id })
          : null,
    };
    return answer;
  });

  app.get('/api/v1/logs/summary', { preHandler: ctx.auth.admin }, async (request) => {
    const { flag: _all, ...q } = await parseLogsQuery(ctx, request.query);
    const answer: LogSummaryResponse = await ctx.store.summarizeLogs(filterOf(q));
    return answer;
  });

  app.get('/api/v1/logs.csv', { preHandler: ctx.auth.admin }, async (request, reply) => {
    const q = await parseLogsQuery(ctx, request.query);
    const gates = await ctx.store.listGates();
    const gateNames = new Map(gates.map((g) => [g.id, g.name]));
    const rows = ctx.store.streamLogs(filterOf(q));
    const disposition = csvDisposition(q);
    const body = Readable.from(
      (async function* () {
        const options = { spreadsheet: q.for === 'spreadsheet', lang: q.lang };
        for await (const text of csvChunks(rows, gateNames, options)) {
          yield Buffer.from(text, 'utf8');
        }
      })(),
    );
    return reply
      .type('text/csv; charset=utf-8')
      .header('content-disposition', disposition)
      .send(body);
  });
}

/**
 * The local day of an instant written with its offset, moved by `deltaMs` first: the calendar
 * day the clerk meant ("…T00:00:00+08:00" is that day at the gate, not the day before in UTC).
 */
function dayOf(iso: string, deltaMs = 0): string {
  const m = /([+-])(\d\d):?(\d\d)$/.exec(iso);
  const offsetMs = m ? (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3])) * 60_000 : 0;
  return new Date(Date.parse(iso) + deltaMs + offsetMs).toISOString().slice(0, 10);
}

/**
 * The export's file name by its local days and flag, as the committee's page names it: in `lang`
 * (English without one, for scripts).
 */
export function csvFileName(q: Pick<LogsQuery, 'from' | 'to' | 'flag' | 'lang'>): string {
  // `to` is excluded: its last day is the one before.
  return logsCsvFileName(
    q.from !== undefined ? dayOf(q.from) : undefined,
    q.to !== undefined ? dayOf(q.to, -1) : undefined,
    q.flag,
    q.lang,
  );
}

/**
 * The export's Content-Disposition: its English name as `filename`, which every client reads,
 * and in Chinese (`lang` zh-CN) its Chinese name as `filename*` (RFC 6266 and 5987: UTF-8,
 * percent-encoded), which browsers take over it.
 */
export function csvDisposition(q: Pick<LogsQuery, 'from' | 'to' | 'flag' | 'lang'>): string {
  const ascii = `attachment; filename="${csvFileName({ ...q, lang: 'en' })}"`;
  if (q.lang !== 'zh-CN') return ascii;
  // encodeURIComponent leaves ' ( ) * as they are; RFC 5987's attr-char has none of them.
  const encoded = encodeURIComponent(csvFileName(q)).replace(
    /['()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `${ascii}; filename*=UTF-8''${encoded}`;
}
