/**
 * Checking a resident pass at the gate, with no network: the token's ECDSA P-256 signature
 * against the committee's public keys (WebCrypto, so every phone can, iOS included), then
 * revocation (the pulled pass list) and expiry (the phone's calendar). Forged, altered,
 * revoked and expired passes are refused with the reason; nothing about them is trusted.
 */
import type { SigningKey } from '../../shared';
import { isPassExpired, normalizePassId, parsePassToken } from '../../shared/passes';
import { getCachedPass, getSigningKeys } from '../db';

/** What the form gets from a good pass. */
export interface VerifiedPass {
  id: string;
  name: string;
  address: string;
  validUntil: string;
}

export type PassProblem =
  /** Not a GateLog pass at all (another QR code, or a mistyped number). */
  | 'notAPass'
  /** The signature is not the committee's: forged or altered. */
  | 'forged'
  /** Signed by a key this phone has not received yet (a rotation since the last sync). */
  | 'unknownKey'
  | 'expired'
  | 'revoked'
  /** A typed number this phone has no pass for. */
  | 'unknownNumber'
  /** No WebCrypto here (plain http on a LAN): signatures cannot be checked. */
  | 'noCrypto';

export type PassCheck =
  { ok: true; pass: VerifiedPass } | { ok: false; problem: PassProblem; pass?: VerifiedPass };

const imported = new Map<string, Promise<CryptoKey>>();

function importKey(subtle: SubtleCrypto, key: SigningKey): Promise<CryptoKey> {
  const cacheKey = `${key.kid}:${key.jwk.x}:${key.jwk.y}`;
  let found = imported.get(cacheKey);
  if (!found) {
    found = subtle.importKey(
      'jwk',
      { kty: 'EC', crv: 'P-256', x: key.jwk.x, y: key.jwk.y, ext: true },
      { name: 'ECDSA', namedCurve: 'P-256' },
      false,
      ['verify'],
    );
    found.catch(() => imported.delete(cacheKey));
    imported.set(cacheKey, found);
  }
  return found;
}

/** Checks a token with the given keys (exported for tests); no revocation or expiry here. */
export async function verifyPassToken(
  text: string,
  keys: readonly SigningKey[],
): Promise<PassCheck> {
  const parsed = parsePassToken(text);
  if (!parsed) return { ok: false, problem: 'notAPass' };
  const p = parsed.payload;
  const pass: VerifiedPass = { id: p.p, name: p.n, address: p.a, validUntil: p.u };
  const key = keys.find((k) => k.kid === p.k);
  if (!key) return { ok: false, problem: 'unknownKey' };
  const subtle = typeof crypto !== 'undefined' ? crypto.subtle : undefined;
  if (!subtle) return { ok: false, problem: 'noCrypto' };
  let good = false;
  try {
    good = await subtle.verify(
      { name: 'ECDSA', hash: 'SHA-256' },
      await importKey(subtle, key),
      parsed.signature as Uint8Array<ArrayBuffer>,
      parsed.signed as Uint8Array<ArrayBuffer>,
    );
  } catch {
    good = false;
  }
  return good ? { ok: true, pass } : { ok: false, problem: 'forged' };
}

/** A scanned QR code's text, fully checked: signature, then revocation, then expiry. */
export async function checkPassText(text: string, today: string): Promise<PassCheck> {
  const signed = await verifyPassToken(text, await getSigningKeys());
  if (!signed.ok) return signed;
  const cached = await getCachedPass(signed.pass.id);
  if (cached?.status === 'revoked') return { ok: false, problem: 'revoked', pass: signed.pass };
  if (isPassExpired(signed.pass.validUntil, today)) {
    return { ok: false, problem: 'expired', pass: signed.pass };
  }
  return signed;
}

/**
 * A pass number typed by the guard (the camera failed): found among the pulled passes, and its
 * stored token checked exactly like a scanned one.
 */
export async function checkPassNumber(input: string, today: string): Promise<PassCheck> {
  const id = normalizePassId(input);
  if (!id) return { ok: false, problem: 'notAPass' };
  const cached = await getCachedPass(id);
  if (!cached) return { ok: false, problem: 'unknownNumber' };
  const check = await checkPassText(cached.token, today);
  // The stored token must be the pass it is filed under.
  if (check.ok && check.pass.id !== id) return { ok: false, problem: 'forged' };
  return check;
}
