/** Enrollment codes: single-use, expiring, stored only as a hash. */
import { enrollmentCodeHash, newEnrollmentCode } from './secrets';
import type { Store } from './store/types';

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
