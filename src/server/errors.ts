/**
 * Every error leaves the server as `{error, message}` JSON with a 4xx for bad input: a phone
 * must be able to tell "fix or drop this" from "try again later". Only real faults are 5xx,
 * and they are logged without request bodies.
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
    request.log.error(
      { err: { type: err.name, code: err.code, message: err.message, stack: err.stack } },
      'request failed',
    );
    return reply
      .code(status >= 500 && status < 600 ? status : 500)
      .send({ error: 'internal', message: 'Internal server error' });
  });
}
