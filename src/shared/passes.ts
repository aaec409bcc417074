/**
 * Resident passes and the watchlist: what the server and every phone must agree on byte for
 * byte, with no runtime of their own (no DOM, no Node) — the compact signed token a pass's QR
 * code carries, pass numbers, and the normalised identities the watchlist is matched by.
 *
 * Token: `GP1.<base64url(UTF-8 JSON payload)>.<base64url(signature)>`. The signature is ECDSA
 * P-256 with SHA-256 over the ASCII bytes of `GP1.<base64url(payload)>`, in IEEE P1363 form
 * (r‖s, 64 bytes): what WebCrypto's `verify` takes on every phone, iOS included. The payload
 * names its key (`k`, the kid); the server publishes the public keys (JWK) to the phones.
 */
import * as z from 'zod/mini';
import { isValidPhone, isValidResidentId } from './rules';

export const PASS_TOKEN_PREFIX = 'GP1';

/** Crockford base32 (no I, L, O, U): what a guard can read off a card and type. */
const PASS_ID_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
export const PASS_ID_CHARS = 8;
const PASS_ID_RE = /^[0-9A-HJKMNP-TV-Z]{8}$/;

/** The payload inside a pass token; short keys keep the QR code small enough to scan fast. */
export const passPayloadSchema = z.strictObject({
  v: z.literal(1),
  /** Key id of the signing key. */
  k: z.string().check(z.minLength(1), z.maxLength(64)),
  /** Pass number. */
  p: z.string().check(z.regex(PASS_ID_RE)),
  /** Member name. */
  n: z.string().check(z.minLength(1), z.maxLength(60)),
  /** Household address (building / room). */
  a: z.string().check(z.maxLength(80)),
  /** Valid until this local date, inclusive. */
  u: z.iso.date(),
});
export type PassPayload = z.infer<typeof passPayloadSchema>;

/** A pass number from random bytes (≥ 5): 8 Crockford base32 characters. */
export function passIdFromBytes(bytes: Uint8Array): string {
  let bits = 0;
  let value = 0;
  let out = '';
  for (const b of bytes) {
    value = ((value << 8) | b) & 0xffff;
    bits += 8;
    while (bits >= 5 && out.length < PASS_ID_CHARS) {
      out += PASS_ID_ALPHABET[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (out.length < PASS_ID_CHARS) throw new RangeError('passIdFromBytes needs at least 5 bytes');
  return out;
}

/**
 * A pass number as typed or printed ("7k3m-9qx2", "7K3M 9QX2", O for 0, I/L for 1) in its
 * canonical form, or undefined when it cannot be one.
 */
export function normalizePassId(input: string): string | undefined {
  const s = input.toUpperCase().replace(/[\s-]/g, '').replace(/O/g, '0').replace(/[IL]/g, '1');
  return PASS_ID_RE.test(s) ? s : undefined;
}

/** `7K3M-9QX2`, as printed on the card. */
export function formatPassId(id: string): string {
  return id.length === PASS_ID_CHARS ? `${id.slice(0, 4)}-${id.slice(4)}` : id;
}

// ---- base64url and UTF-8 without a runtime ------------------------------------------------

const B64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

export function base64urlEncode(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const n = (bytes[i]! << 16) | ((bytes[i + 1] ?? 0) << 8) | (bytes[i + 2] ?? 0);
    const chars = i + 2 < bytes.length ? 4 : i + 1 < bytes.length ? 3 : 2;
    for (let c = 0; c < chars; c++) out += B64URL[(n >>> (18 - 6 * c)) & 63];
  }
  return out;
}

/** Bytes of unpadded base64url text, or undefined when it is not that. */
export function base64urlDecode(text: string): Uint8Array | undefined {
  if (!/^[A-Za-z0-9_-]*$/.test(text) || text.length % 4 === 1) return undefined;
  const out = new Uint8Array(Math.floor((text.length * 3) / 4));
  let o = 0;
  for (let i = 0; i < text.length; i += 4) {
    const chunk = text.slice(i, i + 4);
    let n = 0;
    for (let c = 0; c < 4; c++) n = (n << 6) | (c < chunk.length ? B64URL.indexOf(chunk[c]!) : 0);
    const bytes = chunk.length - 1;
    for (let b = 0; b < bytes; b++) out[o++] = (n >>> (16 - 8 * b)) & 0xff;
  }
  // One text per byte string: stray low bits in the last character are refused, not ignored.
  return base64urlEncode(out) === text ? out : undefined;
}

export function utf8Encode(text: string): Uint8Array {
  const escaped = encodeURIComponent(text);
  const out: number[] = [];
  for (let i = 0; i < escaped.length; i++) {
    if (escaped[i] === '%') {
      out.push(parseInt(escaped.slice(i + 1, i + 3), 16));
      i += 2;
    } else out.push(escaped.charCodeAt(i));
  }
  return Uint8Array.from(out);
}

/** Text of UTF-8 bytes, or undefined when they are not valid UTF-8. */
export function utf8Decode(bytes: Uint8Array): string | undefined {
  try {
    return decodeURIComponent(
      Array.from(bytes, (b) => `%${b.toString(16).padStart(2, '0')}`).join(''),
    );
  } catch {
    return undefined;
  }
}

const asciiBytes = (s: string): Uint8Array => Uint8Array.from(s, (c) => c.charCodeAt(0));

// ---- tokens -------------------------------------------------------------------------------

/** The signed part of a token (what the signature covers), as text and as bytes. */
export function passSigningInput(payload: PassPayload): { text: string; bytes: Uint8Array } {
  const text = `${PASS_TOKEN_PREFIX}.${base64urlEncode(utf8Encode(JSON.stringify(payload)))}`;
  return { text, bytes: asciiBytes(text) };
}

/** A whole token from the signed part and its 64-byte P1363 signature. */
export function joinPassToken(signingInput: string, signature: Uint8Array): string {
  return `${signingInput}.${base64urlEncode(signature)}`;
}

export interface ParsedPassToken {
  payload: PassPayload;
  /** The bytes the signature covers. */
  signed: Uint8Array;
  /** r‖s, 64 bytes. */
  signature: Uint8Array;
}

/**
 * Reads a token as scanned (surrounding whitespace allowed). Undefined when the text is not a
 * GateLog pass at all or is malformed; a well-formed token still needs its signature checked.
 */
export function parsePassToken(text: string): ParsedPassToken | undefined {
  const parts = text.trim().split('.');
  if (parts.length !== 3 || parts[0] !== PASS_TOKEN_PREFIX) return undefined;
  const json = base64urlDecode(parts[1]!);
  const signature = base64urlDecode(parts[2]!);
  if (!json || !signature || signature.length !== 64) return undefined;
  const decoded = utf8Decode(json);
  if (decoded === undefined) return undefined;
  let raw: unknown;
  try {
    raw = JSON.parse(decoded);
  } catch {
    return undefined;
  }
  const payload = passPayloadSchema.safeParse(raw);
  if (!payload.success) return undefined;
  return { payload: payload.data, signed: asciiBytes(`${parts[0]}.${parts[1]}`), signature };
}

/** Longest a pass may run, in days from its issue. */
export const PASS_MAX_DAYS = 731;

/** A pass is valid through its `validUntil` day, in the gate's local calendar. */
export function isPassExpired(validUntil: string, today: string): boolean {
  return today > validUntil;
}

// ---- the watchlist ------------------------------------------------------------------------

/** A watch entry alerts through its `until` day, in the gate's local calendar; after it, no more. */
export function isWatchEnded(until: string, today: string): boolean {
  return today > until;
}

/** An ID number as compared: trimmed, no spaces, upper case (the X check character). */
export function normalizeIdNumber(id: string): string {
  return id.replace(/\s/g, '').toUpperCase();
}

/** A phone as compared: no spaces, dashes or brackets; a mainland mobile without +86. */
export function normalizePhone(phone: string): string {
  const p = phone.replace(/[\s()-]/g, '');
  const mainland = /^(?:\+86|0086)(1\d{10})$/.exec(p);
  return mainland ? mainland[1]! : p;
}

/**
 * An ID number the gate could match: at least 5 characters, and one written as a resident ID
 * (17 digits and a check character) passes its check digit, as the gate's form demands.
 */
export function isWatchIdNumber(id: string): boolean {
  const n = normalizeIdNumber(id);
  return n.length >= 5 && (!/^\d{17}[\dX]$/.test(n) || isValidResidentId(n));
}

/** A phone the gate could match: a mainland mobile or +E.164, as the gate's form takes them. */
export function isWatchPhone(phone: string): boolean {
  return isValidPhone(normalizePhone(phone));
}

/**
 * The text whose SHA-256 (lowercase hex) a phone holds for a watchlisted ID number or phone:
 * it matches what the guard enters without keeping the list's ID numbers and phones in the clear.
 */
export function watchHashInput(kind: 'id' | 'phone', value: string): string {
  return `gatelog-watch:${kind}:${kind === 'id' ? normalizeIdNumber(value) : normalizePhone(value)}`;
}
