/**
 * Pass-signing keys (ECDSA P-256). They live in the store — the SQLite file in the data folder,
 * or PostgreSQL so every instance signs with the same key — and are made on first use. Rotation
 * adds a new key that signs from then on; the old public key stays published to the phones for
 * as long as a pass it signed is still valid, so no pass stops verifying before it expires.
 */
import { createHash, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { publicJwkSchema, type PublicJwk, type SigningKey } from '../../shared';
import type { SigningKeyRow, Store } from '../store/types';

/** RFC 7638 thumbprint of the public key, first 16 base64url characters: the `kid`. */
export function keyId(jwk: PublicJwk): string {
  const canonical = JSON.stringify({ crv: jwk.crv, kty: jwk.kty, x: jwk.x, y: jwk.y });
  return createHash('sha256').update(canonical).digest('base64url').slice(0, 16);
}

/** The public half of a key object as a verify-only JWK. */
export function publicJwkOf(key: KeyObject): PublicJwk {
  return publicJwkSchema.parse(createPublicKey(key).export({ format: 'jwk' }));
}

/** A new key pair, ready for `Store.addSigningKey`. */
export function generateSigningKey(now: number): Omit<SigningKeyRow, 'active' | 'retiredAt'> {
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const jwk = publicJwkOf(privateKey);
  return {
    kid: keyId(jwk),
    publicJwk: JSON.stringify(jwk),
    privateKeyPem: privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
    createdAt: now,
  };
}

/** The key that signs now, made (once, whichever instance wins) when there is none. */
export async function ensureSigningKey(store: Store, now: number): Promise<SigningKeyRow> {
  const active = await store.getActiveSigningKey();
  if (active) return active;
  await store.addSigningKey(generateSigningKey(now), false);
  const made = await store.getActiveSigningKey();
  if (!made) throw new Error('No active signing key after adding one');
  return made;
}

/** Rotation: a new key signs from now on; the previous one is retired, not deleted. */
export async function rotateSigningKey(store: Store, now: number): Promise<SigningKeyRow> {
  await store.addSigningKey(generateSigningKey(now), true);
  const made = await store.getActiveSigningKey();
  if (!made) throw new Error('No active signing key after rotation');
  return made;
}

/** A key as the API publishes it: public half only. */
export function signingKeyView(k: SigningKeyRow): SigningKey {
  return {
    kid: k.kid,
    jwk: publicJwkSchema.parse(JSON.parse(k.publicJwk)),
    createdAt: new Date(k.createdAt).toISOString(),
    retiredAt: k.retiredAt === null ? null : new Date(k.retiredAt).toISOString(),
  };
}

/**
 * The keys phones need: the active one and every retired one with a pass still valid. `today`
 * is taken a day early so a pass valid "today" anywhere east of the server still verifies.
 */
export async function publishedKeys(store: Store, now: number): Promise<SigningKey[]> {
  const dayBefore = new Date(now - 86_400_000).toISOString().slice(0, 10);
  return (await store.listPublishedSigningKeys(dayBefore)).map(signingKeyView);
}
