/** Enrollment codes: single-use, expiring, stored only as a hash, and the links that carry them. */
import { isLoopbackHostname } from '../shared';
import { enrollmentCodeHash, newEnrollmentCode } from './secrets';
import type { DeviceRow, Store } from './store/types';

export const ENROLL_CODE_TTL_MS = 7 * 24 * 60 * 60 * 1000;

/** Makes and stores a fresh code for a gate; the code itself is returned once, never stored. */
export async function issueEnrollmentCode(
  store: Store,
  gateId: string,
  now: number = Date.now(),
  ttlMs: number = ENROLL_CODE_TTL_MS,
): Promise<{ code: string; expiresAt: number }> {
  const code = newEnrollmentCode();
  const expiresAt = now + ttlMs;
  await store.createEnrollmentCode({
    codeHash: enrollmentCodeHash(code),
    gateId,
    createdAt: now,
    expiresAt,
  });
  return { code, expiresAt };
}

/** The link a phone opens (or scans as a QR code) to enroll. */
export function enrollmentUrl(publicUrl: string, code: string): string {
  return `${publicUrl.replace(/\/+$/, '')}/?enroll=${encodeURIComponent(code)}`;
}

/**
 * The first of the server's addresses (`serverUrls` in terminal.ts) a phone can reach, else the
 * first: the base of the enrollment link `npm start` prints when GATELOG_PUBLIC_URL is unset.
 */
export function phoneBaseOf(serverUrls: readonly string[]): string {
  return serverUrls.find((u) => !onLoopback(u)) ?? serverUrls[0]!;
}

export interface EnrollmentBase {
  /** Where the link points. */
  base: string;
  /** The origin the request named, when it is none of the server's addresses (so not used). */
  foreign?: string;
}

/**
 * The base of an enrollment link made for a request (the committee's page, the API): the link
 * must open on a phone. GATELOG_PUBLIC_URL when set. Otherwise the request's origin only when it
 * is one of `serverUrls`, the addresses the server listens on, and not this computer's own
 * (localhost is the phone itself, on a phone); else the address `npm start` printed. A Host
 * header names whatever the client or a proxy in front wrote there: behind a proxy the server's
 * name is not one of its own addresses, and a made-up Host put a made-up server into the QR code.
 * Without `serverUrls` (a test's app, not `main.ts`), the request's origin.
 */
export function enrollmentBase(
  requestOrigin: string,
  where: { publicUrl?: string | undefined; serverUrls?: readonly string[] | undefined },
): EnrollmentBase {
  if (where.publicUrl) return { base: where.publicUrl };
  const own = where.serverUrls;
  if (!own || own.length === 0) return { base: requestOrigin };
  const origin = originOf(requestOrigin);
  const ours = own.some((u) => originOf(u) === origin);
  // Any name of this computer itself is the clerk at the server's screen: nothing to warn of.
  const loopback = onLoopback(origin);
  if (ours && !loopback) return { base: origin };
  return { base: phoneBaseOf(own), ...(!ours && !loopback && { foreign: requestOrigin }) };
}

/** `url` names this computer itself: a phone opening it reaches the phone. */
function onLoopback(url: string): boolean {
  try {
    return isLoopbackHostname(new URL(url).hostname);
  } catch {
    return false;
  }
}

/** `url`'s origin as the URL parser writes it ('' for no URL): ports and case compared alike. */
function originOf(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return '';
  }
}

/**
 * The phones enrolled again: each enrollment that replaced another, by the replaced one's id
 * (an enrollment names the one it replaced first among its former ones).
 */
export function replacements(devices: readonly DeviceRow[]): Map<string, DeviceRow> {
  const by = new Map<string, DeviceRow>();
  for (const d of devices) {
    const replaced = d.formerDevices[0];
    if (replaced) by.set(replaced.deviceId, d);
  }
  return by;
}
