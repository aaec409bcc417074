/**
 * The security headers of every answer. Helmet sets them in an onRequest hook, but Fastify
 * answers a malformed URL (bad percent-encoding, an overlong path parameter) before any hook
 * runs: those answers get the same headers from here, and the usual `{error, message}` JSON
 * instead of Fastify's own shape. tests/reliability checks both sets stay equal.
 */
import { compile } from '@fastify/proxy-addr';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import type { TrustProxy } from './config';

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
  'x-content-type-options': 'nosniff',
  'x-dns-prefetch-control': 'off',
  'x-download-options': 'noopen',
  'x-frame-options': 'SAMEORIGIN',
  'x-permitted-cross-domain-policies': 'none',
  'x-xss-protection': '0',
};

/** Helmet's Strict-Transport-Security value: a year, subdomains too. */
export const HSTS = 'max-age=31536000; includeSubDomains';

/**
 * Strict-Transport-Security for an answer to a request that came over https, directly or
 * through a proxy whose X-Forwarded-Proto GATELOG_TRUST_PROXY believes (Fastify's `protocol`);
 * none over plain http, where browsers ignore it and it misleads whoever reads the headers.
 */
export const hstsHeader = (overHttps: boolean): Record<string, string> =>
  overHttps ? { 'strict-transport-security': HSTS } : {};

/**
 * Whether `request` came over https as Fastify's `request.protocol` tells it with `trustProxy`
 * (the last X-Forwarded-Proto of a trusted peer), for the requests Fastify answers before
 * any hook, whose `protocol` believes no proxy.
 */
function overHttpsFor(trustProxy: TrustProxy): (request: FastifyRequest) => boolean {
  const trusted = trustProxy === false ? () => false : compile(trustProxy.split(','));
  return (request) => {
    const socket = request.raw.socket;
    const forwarded = request.headers['x-forwarded-proto'];
    if (forwarded && socket.remoteAddress !== undefined && trusted(socket.remoteAddress, 0)) {
      const value = Array.isArray(forwarded) ? forwarded.join(',') : forwarded;
      return value.split(',').at(-1)!.trim() === 'https';
    }
    return 'encrypted' in socket && socket.encrypted === true;
  };
}

/** Fastify's `frameworkErrors`: a malformed URL is a 4xx like any bad input. */
export function answerFrameworkErrors(
  trustProxy: TrustProxy,
): (err: FastifyError, request: FastifyRequest, reply: FastifyReply) => void {
  const overHttps = overHttpsFor(trustProxy);
  return (err, request, reply) => answerFrameworkError(err, overHttps(request), reply);
}

function answerFrameworkError(err: FastifyError, overHttps: boolean, reply: FastifyReply): void {
  const status = err.statusCode ?? 400;
  const [error, message] =
    status === 414
      ? ['uri_too_long', 'A path parameter is too long']
      : status < 500
        ? ['bad_url', 'Malformed URL']
        : ['internal', 'Internal server error'];
  void reply
    .code(status)
    .headers({
      ...HOOKLESS_SECURITY_HEADERS,
      ...hstsHeader(overHttps),
      'cache-control': 'no-store',
    })
    .send({ error, message });
}
