/**
 * The security headers of every answer. Helmet sets them in an onRequest hook, but Fastify
 * answers a malformed URL (bad percent-encoding, an overlong path parameter) before any hook
 * runs: those answers get the same headers from here, and the usual `{error, message}` JSON
 * instead of Fastify's own shape. tests/reliability checks both sets stay equal.
 */
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';

/** The Content-Security-Policy of the app and the API: nothing but this origin. */
export const CSP_DIRECTIVES = {
  defaultSrc: ["'self'"],
  scriptSrc: ["'self'"],
  scriptSrcAttr: ["'none'"],
  styleSrc: ["'self'"],
  imgSrc: ["'self'", 'data:', 'blob:'],
  fontSrc: ["'self'"],
  connectSrc: ["'self'"],
  workerSrc: ["'self'"],
  manifestSrc: ["'self'"],
  frameAncestors: ["'none'"],
  objectSrc: ["'none'"],
  baseUri: ["'self'"],
  formAction: ["'self'"],
};

/** The CSP header text, written the way helmet writes it. */
export function cspHeader(directives: Record<string, string[]> = CSP_DIRECTIVES): string {
  return Object.entries(directives)
    .map(
      ([name, values]) =>
        `${name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)} ${values.join(' ')}`,
    )
    .join(';');
}

/** Helmet's default headers with our CSP, for answers that no hook sees. */
export const HOOKLESS_SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy': cspHeader(),
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
  'origin-agent-cluster': '?1',
  'referrer-policy': 'no-referrer',
  'strict-transport-security': 'max-age=31536000; includeSubDomains',
  'x-content-type-options': 'nosniff',
  'x-dns-prefetch-control': 'off',
  'x-download-options': 'noopen',
  'x-frame-options': 'SAMEORIGIN',
  'x-permitted-cross-domain-policies': 'none',
  'x-xss-protection': '0',
};

/** Fastify's `frameworkErrors`: a malformed URL is a 4xx like any bad input. */
export function answerFrameworkError(
  err: FastifyError,
  _request: FastifyRequest,
  reply: FastifyReply,
): void {
  const status = err.statusCode ?? 400;
  const [error, message] =
    status === 414
      ? ['uri_too_long', 'A path parameter is too long']
      : status < 500
        ? ['bad_url', 'Malformed URL']
        : ['internal', 'Internal server error'];
  void reply
    .code(status)
    .headers({ ...HOOKLESS_SECURITY_HEADERS, 'cache-control': 'no-store' })
    .send({ error, message });
}
