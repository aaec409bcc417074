/**
 * Signing and checking pass tokens on the server (node:crypto). The format is defined once in
 * src/shared/passes.ts; phones check the same bytes with WebCrypto.
 */
import { createPrivateKey, createPublicKey, sign, verify } from 'node:crypto';
import type { PublicJwk } from '../../shared';
import {
  joinPassToken,
  parsePassToken,
  passSigningInput,
  type PassPayload,
} from '../../shared/passes';
import type { SigningKeyRow } from '../store/types';

/** The token for a payload, signed with `key` (whose kid the payload must name). */
export function signPassToken(
  payload: PassPayload,
  key: Pick<SigningKeyRow, 'kid' | 'privateKeyPem'>,
): string {
  if (payload.k !== key.kid) throw new Error('The payload names another key');
  const input = passSigningInput(payload);
  const signature = sign('sha256', input.bytes, {
    key: createPrivateKey(key.privateKeyPem),
    dsaEncoding: 'ieee-p1363',
  });
  return joinPassToken(input.text, new Uint8Array(signature));
}

/** The payload of a token whose signature a known key verifies; undefined otherwise. */
export function verifyPassToken(
  token: string,
  keys: readonly { kid: string; jwk: PublicJwk }[],
): PassPayload | undefined {
  const parsed = parsePassToken(token);
  if (!parsed) return undefined;
  const key = keys.find((k) => k.kid === parsed.payload.k);
  if (!key) return undefined;
  const ok = verify(
    'sha256',
    parsed.signed,
    { key: createPublicKey({ key: key.jwk, format: 'jwk' }), dsaEncoding: 'ieee-p1363' },
    parsed.signature,
  );
  return ok ? parsed.payload : undefined;
}
