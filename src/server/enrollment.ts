/** Enrollment codes: single-use, expiring, stored only as a hash. */
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
