/**
 * Enrollment (DESIGN.md §6): the phone trades a single-use code from the committee for a device
 * id, a token and its gate. Re-enrolling replaces who the phone is and which gate it serves; it
 * never touches the records already on the phone.
 */
import type { Gate } from '../../shared';
import {
  getSetting,
  localIsoWithOffset,
  localToday,
  outboxStats,
  saveEnrollment,
  type Enrollment,
} from '../db';
import { HttpError, NetworkError, ResponseError, createApiClient } from './api-client';
import { getSyncEngine } from './sync-engine';

export type EnrollFailure =
  | 'expired'
  | 'used'
  | 'unknown'
  | 'rate_limited'
  | 'invalid_code'
  | 'bad_server_url'
  | 'not_a_server'
  | 'server'
  | 'network';

/** Why enrollment failed, as a reason the screen can put into words. */
export class EnrollError extends Error {
  override name = 'EnrollError';
  constructor(
    readonly reason: EnrollFailure,
    message: string,
    readonly retryAfterMs?: number,
  ) {
    super(message);
  }
}

/**
 * The server URL to store: '' when it is the origin serving the app (the usual case), else
 * `https://host[:port][/base]` without a trailing slash. Throws `bad_server_url`.
 */
export function normalizeServerUrl(input: string, appOrigin = currentOrigin()): string {
  const raw = input.trim();
  if (raw === '') return '';
  let url: URL;
  try {
    url = new URL(/^[a-z][a-z\d+.-]*:\/\//i.test(raw) ? raw : `https://${raw}`);
  } catch {
    throw new EnrollError('bad_server_url', `not a URL: ${raw}`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new EnrollError('bad_server_url', `not an http(s) URL: ${raw}`);
  }
  if (url.origin === appOrigin && (url.pathname === '/' || url.pathname === '')) return '';
  return (url.origin + url.pathname).replace(/\/+$/, '');
}

/**
 * Reads what the guard typed or scanned: a bare code, or an enrollment link
 * (`https://server/?enroll=CODE`), whose origin then becomes the server.
 */
export function parseEnrollInput(input: string): { code: string; serverUrl?: string } {
  const raw = input.trim();
  if (/^https?:\/\//i.test(raw)) {
    try {
      const url = new URL(raw);
      const code = url.searchParams.get('enroll');
      if (code) return { code: code.trim(), serverUrl: url.origin };
    } catch {
      // Not a link after all: treat it as a code.
    }
  }
  return { code: raw };
}

function currentOrigin(): string {
  return typeof location !== 'undefined' ? location.origin : '';
}

/** A name the committee can tell phones apart by: "Android 2020-02-03". */
export function defaultDeviceName(
  ua = typeof navigator !== 'undefined' ? navigator.userAgent : '',
): string {
  const kind = /iPhone/.test(ua)
    ? 'iPhone'
    : /iPad/.test(ua)
      ? 'iPad'
      : /Android/.test(ua)
        ? 'Android'
        : /Windows/.test(ua)
          ? 'Windows'
          : /Mac OS X/.test(ua)
            ? 'Mac'
            : 'Browser';
  return `${kind} ${localToday()}`;
}

export interface EnrollOptions {
  fetch?: typeof fetch;
  deviceName?: string | undefined;
  now?: () => number;
}

export interface EnrollResult {
  enrollment: Enrollment;
  gate: Gate;
}

/**
 * POST /api/v1/enroll, then stores the enrollment and the gate (one transaction) and wakes the
 * sync runner. `serverUrl` '' means the server that serves the app. Throws `EnrollError`.
 */
export async function enrollDevice(
  code: string,
  serverUrl: string,
  opts: EnrollOptions = {},
): Promise<EnrollResult> {
  const trimmed = code.trim();
  if (trimmed === '' || trimmed.length > 128)
    throw new EnrollError('invalid_code', 'empty or too long');
  const server = normalizeServerUrl(serverUrl);
  const deviceName = (opts.deviceName?.trim() || defaultDeviceName()).slice(0, 80);
  const now = opts.now ?? Date.now;
  const api = createApiClient({ serverUrl: server, fetch: opts.fetch, now });
  // What the phone holds for its present enrollment goes first, with that enrollment's token.
  // Whatever cannot go now (offline, a revoked token) stays pending: the new enrollment names the
  // present one by its token, and the same server then takes those records with the new token,
  // each for its own gate. Another server is never shown this one's token.
  const present = await getSetting('enrollment');
  if (present && (await outboxStats()).pending > 0) await getSyncEngine().flush();
  const formerToken = present?.serverUrl === server ? present.token : undefined;
  // The same server said it does not know that token (401, not a revocation's 403): it lost the
  // enrollment, restored from a backup made before it.
  const lost =
    formerToken !== undefined && (await getSetting('authProblem'))?.status === 401
      ? present!.deviceId
      : undefined;
  let answer;
  try {
    answer = await api.enroll({
      code: trimmed,
      deviceName,
      ...(formerToken && { formerToken, formerDeviceId: present!.deviceId }),
      retryKey: retryKeyFor(server, trimmed),
    });
  } catch (e) {
    throw toEnrollError(e);
  }
  const enrollment: Enrollment = {
    serverUrl: server,
    deviceId: answer.deviceId,
    token: answer.token,
    enrolledAt: localIsoWithOffset(new Date(now())),
  };
  const gate = { id: answer.gate.id, name: answer.gate.name, rules: answer.gate.rules };
  await saveEnrollment(enrollment, gate, lost);
  forgetRetryKey(server, trimmed);
  getSyncEngine().onEnrolled();
  return { enrollment, gate };
}

/** Each code's key in this tab, when localStorage cannot keep it. */
const retryKeys = new Map<string, string>();

/** The code as the server reads it (case, spaces and dashes aside), at one server. */
const retryKeyName = (server: string, code: string) =>
  `gatelog:enroll-key:${server} ${code.toUpperCase().replace(/[\s-]/g, '')}`;

/**
 * The key sent with every try of one code at one server, kept on the phone until that code
 * enrolls it: when the network lost the answer to a try that enrolled the phone, the next try
 * gets that enrollment again instead of "already used", after a reload and after the app was
 * closed and opened again too (a tab's sessionStorage is gone with the installed app's window).
 */
function retryKeyFor(server: string, code: string): string {
  const name = retryKeyName(server, code);
  let key = retryKeys.get(name);
  try {
    key ??= localStorage.getItem(name) ?? undefined;
  } catch {
    // No localStorage (a private window may refuse it): the tab's memory keeps it.
  }
  if (key === undefined) {
    const bytes = crypto.getRandomValues(new Uint8Array(32));
    key = btoa(String.fromCharCode(...bytes))
      .replace(/\+/g, '-')
      .replace(/\//g, '_')
      .replace(/=+$/, '');
  }
  retryKeys.set(name, key);
  try {
    localStorage.setItem(name, key);
  } catch {
    // As above.
  }
  return key;
}

/** The code has enrolled the phone: its key has nothing more to fetch. */
function forgetRetryKey(server: string, code: string): void {
  const name = retryKeyName(server, code);
  retryKeys.delete(name);
  try {
    localStorage.removeItem(name);
  } catch {
    // No localStorage: nothing was kept there.
  }
}

function toEnrollError(e: unknown): EnrollError {
  if (e instanceof NetworkError) return new EnrollError('network', e.message);
  if (e instanceof ResponseError) return new EnrollError('not_a_server', e.message);
  if (e instanceof HttpError) {
    switch (e.status) {
      case 410:
        return new EnrollError('expired', e.message);
      case 409:
        return new EnrollError('used', e.message);
      case 404:
        // A 404 without the server's own code means the address is not a GateLog server.
        return new EnrollError(e.code === 'code_unknown' ? 'unknown' : 'not_a_server', e.message);
      case 429:
        return new EnrollError('rate_limited', e.message, e.retryAfterMs);
      case 400:
        return new EnrollError('invalid_code', e.message);
      default:
        return new EnrollError('server', e.message);
    }
  }
  return new EnrollError('server', e instanceof Error ? e.message : String(e));
}
