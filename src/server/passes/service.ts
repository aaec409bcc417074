/**
 * Resident passes and the watchlist as the committee manages them (API and CLI alike), and the
 * feed entries phones pull: every write stores the entity and its feed entry together.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type {
  CreatePassRequest,
  CreateWatchRequest,
  DeviceChange,
  Pass,
  WatchEntry,
} from '../../shared';
import {
  PASS_MAX_DAYS,
  normalizeIdNumber,
  normalizePassId,
  normalizePhone,
  passIdFromBytes,
  watchHashInput,
} from '../../shared/passes';
import { HttpError } from '../errors';
import { maskIdNumber } from '../records';
import { sha256Hex } from '../secrets';
import type { NewChange, PassRow, Store, WatchRow } from '../store/types';
import { ensureSigningKey } from './keys';
import { signPassToken } from './tokens';

const DAY_MS = 86_400_000;

const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/** Dates the committee gives are local; a day of slack keeps every time zone honest. */
function checkFutureDate(field: string, date: string, now: number, maxDays?: number): void {
  if (date < isoDay(now - DAY_MS)) {
    throw new HttpError(400, 'invalid_request', `${field}: in the past`);
  }
  if (maxDays !== undefined && date > isoDay(now + maxDays * DAY_MS)) {
    throw new HttpError(400, 'invalid_request', `${field}: more than ${maxDays} days ahead`);
  }
}

function passChange(p: PassRow, now: number): NewChange {
  const change: DeviceChange = {
    kind: 'pass',
    pass: {
      id: p.id,
      name: p.name,
      address: p.address,
      validUntil: p.validUntil,
      status: p.revokedAt === null ? 'active' : 'revoked',
      token: p.token,
    },
  };
  return {
    kind: 'pass',
    entityId: p.id,
    gateId: p.gateId,
    payload: JSON.stringify(change),
    createdAt: now,
    endsOn: p.validUntil,
  };
}

/** A pass as the admin API shows it. */
export function passView(p: PassRow): Pass {
  return {
    id: p.id,
    gateId: p.gateId,
    name: p.name,
    address: p.address,
    validUntil: p.validUntil,
    status: p.revokedAt === null ? 'active' : 'revoked',
    kid: p.kid,
    token: p.token,
    createdAt: new Date(p.createdAt).toISOString(),
    revokedAt: iso(p.revokedAt),
  };
}

/** Issues a pass: a new number, signed with the active key (made on first use). */
export async function issuePass(
  store: Store,
  req: CreatePassRequest,
  now: number,
): Promise<PassRow> {
  checkFutureDate('validUntil', req.validUntil, now, PASS_MAX_DAYS);
  if (req.gateId !== undefined && !(await store.getGate(req.gateId))) {
    throw new HttpError(404, 'gate_unknown', 'No such gate');
  }
  const key = await ensureSigningKey(store, now);
  let id = passIdFromBytes(randomBytes(5));
  while (await store.getPass(id)) id = passIdFromBytes(randomBytes(5));
  const token = signPassToken(
    { v: 1, k: key.kid, p: id, n: req.name, a: req.address, u: req.validUntil },
    key,
  );
  const pass: PassRow = {
    id,
    gateId: req.gateId ?? null,
    name: req.name,
    address: req.address,
    validUntil: req.validUntil,
    kid: key.kid,
    token,
    createdAt: now,
    revokedAt: null,
  };
  await store.insertPass(pass, passChange(pass, now));
  return pass;
}

/** Revokes a pass (typed numbers are forgiven: case, dashes, O/0). Null: no such pass. */
export async function revokePass(store: Store, id: string, now: number): Promise<PassRow | null> {
  const canonical = normalizePassId(id);
  if (!canonical) return null;
  const r = await store.revokePass(canonical, now, (p) => passChange(p, now));
  return r?.pass ?? null;
}

// ---- the watchlist --------------------------------------------------------------------------

/** A watchlist entry as the admin API shows it: the ID number masked. */
export function watchView(w: WatchRow): WatchEntry {
  return {
    id: w.id,
    name: w.name,
    until: w.until,
    passId: w.passId,
    idNumber: w.idNumber === null ? null : maskIdNumber(w.idNumber),
    phone: w.phone,
    address: w.address,
    note: w.note,
    createdAt: new Date(w.createdAt).toISOString(),
  };
}

function watchChange(w: WatchRow, now: number): NewChange {
  const change: DeviceChange = {
    kind: 'watch',
    watch: {
      id: w.id,
      name: w.name,
      until: w.until,
      ...(w.address && { address: w.address }),
      ...(w.passId && { passId: w.passId }),
      ...(w.idNumber && { idHash: sha256Hex(watchHashInput('id', w.idNumber)) }),
      ...(w.phone && { phoneHash: sha256Hex(watchHashInput('phone', w.phone)) }),
    },
  };
  return {
    kind: 'watch',
    entityId: w.id,
    gateId: null,
    payload: JSON.stringify(change),
    createdAt: now,
    endsOn: w.until,
  };
}

/** Puts someone on the watchlist (home quarantine until `until`). */
export async function addWatch(
  store: Store,
  req: CreateWatchRequest,
  now: number,
): Promise<WatchRow> {
  checkFutureDate('until', req.until, now);
  let passId: string | null = null;
  if (req.passId !== undefined) {
    const canonical = normalizePassId(req.passId);
    if (!canonical) throw new HttpError(400, 'invalid_request', 'passId: not a pass number');
    passId = canonical;
  }
  const watch: WatchRow = {
    id: randomUUID(),
    name: req.name,
    until: req.until,
    passId,
    idNumber: req.idNumber ? normalizeIdNumber(req.idNumber) : null,
    phone: req.phone ? normalizePhone(req.phone) : null,
    address: req.address || null,
    note: req.note || null,
    createdAt: now,
  };
  await store.insertWatch(watch, watchChange(watch, now));
  return watch;
}

/** Takes someone off the watchlist; false when there is no such entry. */
export function removeWatch(store: Store, id: string, now: number): Promise<boolean> {
  const change: DeviceChange = { kind: 'unwatch', id };
  return store.deleteWatch(id, (removed) => ({
    kind: 'unwatch',
    entityId: id,
    gateId: null,
    payload: JSON.stringify(change),
    createdAt: now,
    // Phones that had the entry need this until its last day; after that it is moot.
    endsOn: removed.until,
  }));
}
