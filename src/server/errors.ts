/**
 * Every error leaves the server as `{error, message}` JSON with a 4xx for bad input: a phone
 * must be able to tell "fix or drop this" from "try again later". Only real faults are 5xx,
 * and they are logged without request bodies; a database that is down, full or replaced is a
 * 503 with Retry-After, logged in one line.
 */
import type { FastifyError, FastifyInstance } from 'fastify';

/** An error with the HTTP status and the machine-readable code the client sees. */
export class HttpError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

const CODE_OF_STATUS: Record<number, string> = {
  400: 'bad_request',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  405: 'method_not_allowed',
  406: 'not_acceptable',
  408: 'timeout',
  409: 'conflict',
  410: 'gone',
  413: 'too_large',
  415: 'unsupported_media_type',
  429: 'rate_limited',
};

/** How long a phone or the committee's page waits when the database is unavailable. */
export const UNAVAILABLE_RETRY_AFTER_S = 30;

/** Codes of a database that is down, full, locked or gone, which may work again later. */
const UNAVAILABLE_CODES = new Set([
  // The network to PostgreSQL, and PostgreSQL shutting down, starting or out of connections.
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'ENOTFOUND',
  'EAI_AGAIN',
  '57P01',
  '57P02',
  '57P03',
  '53300',
  '08000',
  '08001',
  '08003',
  '08006',
  // SQLite: disk full, still locked after the busy timeout, the file unreadable or replaced.
  'SQLITE_FULL',
  'SQLITE_BUSY',
  'SQLITE_LOCKED',
  'SQLITE_CANTOPEN',
  'GATELOG_DB_REPLACED',
]);

/** The errors node-postgres gives, with no code, for a connection lost or not made in time. */
const UNAVAILABLE_MESSAGES = /^(Connection terminated|timeout exceeded when trying to connect)/;

/** Whether `err` says the database is unavailable for now, rather than that a request failed. */
export function databaseUnavailable(err: { code?: unknown; message?: unknown }): boolean {
  const { code, message } = err;
  if (typeof code === 'string') {
    if (UNAVAILABLE_CODES.has(code)) return true;
    if (code.startsWith('SQLITE_IOERR') || code.startsWith('SQLITE_READONLY')) return true;
  }
  return typeof message === 'string' && UNAVAILABLE_MESSAGES.test(message);
}

/** Installs the JSON error handler. */
export function installErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError | HttpError, request, reply) => {
    if (err instanceof HttpError) {
      return reply.code(err.statusCode).send({ error: err.code, message: err.message });
    }
    const status = err.statusCode ?? 500;
    if (status >= 400 && status < 500) {
      const code =
        err.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || err.name === 'SyntaxError'
          ? 'bad_json'
          : (CODE_OF_STATUS[status] ?? 'bad_request');
      return reply.code(status).send({ error: code, message: err.message });
    }
    if (databaseUnavailable(err)) {
      // One line, no stack: while the database is down every request says the same.
      request.log.error({ db: { code: err.code, message: err.message } }, 'database unavailable');
      return reply
        .code(503)
        .header('retry-after', String(UNAVAILABLE_RETRY_AFTER_S))
        .send({ error: 'unavailable', message: 'The database is unavailable; try again later' });
    }
    request.log.error(
      { err: { type: err.name, code: err.code, message: err.message, stack: err.stack } },
      'request failed',
    );
    return reply
      .code(status >= 500 && status < 600 ? status : 500)
      .send({ error: 'internal', message: 'Internal server error' });
  });
}
