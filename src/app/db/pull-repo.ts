/**
 * Resident passes, the watchlist and the signing keys on the phone, as the pull brings them
 * (src/app/sync/pull.ts). A page of changes and its cursor go in ONE transaction: a pull cut
 * off half way resumes after the last page that was stored, so nothing is skipped or applied
 * twice. A revoked pass stays revoked whatever comes later. Everything read back is parsed;
 * bad stored data reads as absent, never as a valid pass. Only lazy code (the pull, the pass
 * check) uses this module; the gate screen's reads are in passes-repo.ts.
 */
import * as z from 'zod/mini';
import {
  signingKeySchema,
  type DeviceChange,
  type DeviceChangesResponse,
  type SigningKey,
} from '../../shared';
import { db, type CachedPass } from './db';
import { asOfSchema, readPullState } from './passes-repo';
import { getSetting, setSetting } from './settings-repo';

/** Passes and watchlist entries are kept this many days past their last day, then dropped. */
const KEEP_PAST_DAYS = 2;

const keysSchema = z.array(signingKeySchema);

const stateSchemas = {
  /** The `cursor` of the last page stored. */
  cursor: z.string().check(z.regex(/^\d+$/)),
  /** Whose feed the cursor belongs to: server and device. */
  scope: z.string(),
  keys: keysSchema,
  /** When the phone last had everything the server had (device time, server time). */
  asOf: asOfSchema,
} as const;
type StateKey = keyof typeof stateSchemas;

const getState = <K extends StateKey>(key: K) =>
  readPullState(key, stateSchemas[key] as z.ZodMiniType) as Promise<
    z.infer<(typeof stateSchemas)[K]> | undefined
  >;

const setState = <K extends StateKey>(key: K, value: z.infer<(typeof stateSchemas)[K]>) =>
  db.pullState.put({ key, value });

/** Where the next pull starts ('0': from the beginning). */
export async function getPullCursor(): Promise<string> {
  return (await getState('cursor')) ?? '0';
}

/**
 * Makes sure the stored feed is this enrollment's: after joining another server or gate the
 * cursor, passes, watchlist and keys of the old one are dropped and the pull starts over.
 */
export async function setPullScope(scope: string): Promise<void> {
  await db.transaction('rw', [db.passes, db.watchlist, db.pullState], async () => {
    const current = await getState('scope');
    if (current === scope) return;
    if (current !== undefined) {
      await Promise.all([db.passes.clear(), db.watchlist.clear(), db.pullState.clear()]);
    }
    await setState('scope', scope);
  });
}

function addDays(isoDate: string, days: number): string {
  const [y, m, d] = isoDate.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}

async function applyChange(change: DeviceChange): Promise<void> {
  if (change.kind === 'pass') {
    const known = await db.passes.get(change.pass.id);
    const pass: CachedPass = { ...change.pass };
    // Revocation wins: no later message makes a revoked pass good again.
    if (known?.status === 'revoked') pass.status = 'revoked';
    await db.passes.put(pass);
  } else if (change.kind === 'watch') {
    const w = change.watch;
    await db.watchlist.put({
      id: w.id,
      name: w.name,
      until: w.until,
      address: w.address ?? '',
      passId: w.passId ?? '',
      idHash: w.idHash ?? '',
      phoneHash: w.phoneHash ?? '',
    });
  } else {
    await db.watchlist.delete(change.id);
  }
}

/**
 * Stores one page of the pull in one transaction: its changes in order, its cursor, the
 * signing keys, the gate's rules (when it is this phone's gate), and — on the last page — the
 * moment the lists were complete. Drops passes and entries long past their last day.
 */
export async function applyPulledPage(
  page: DeviceChangesResponse,
  pulledAt: string,
  today: string,
): Promise<void> {
  await db.transaction('rw', [db.passes, db.watchlist, db.pullState, db.settings], async () => {
    for (const change of page.changes) await applyChange(change);
    await setState('cursor', page.cursor);
    await setState('keys', page.keys);
    if (!page.more) await setState('asOf', { at: pulledAt, serverTime: page.serverTime });
    const gate = await getSetting('gate');
    if (gate && gate.id === page.gate.id) {
      const next = { id: page.gate.id, name: page.gate.name, rules: page.gate.rules };
      if (JSON.stringify(next) !== JSON.stringify(gate)) await setSetting('gate', next);
    }
    const cutoff = addDays(today, -KEEP_PAST_DAYS);
    await db.passes.where('validUntil').below(cutoff).delete();
    await db.watchlist.where('until').below(cutoff).delete();
  });
}

/** The public keys passes are checked with (empty before the first pull). */
export async function getSigningKeys(): Promise<SigningKey[]> {
  return (await getState('keys')) ?? [];
}

const cachedPassSchema = z.object({
  id: z.string(),
  name: z.string(),
  address: z.string(),
  validUntil: z.string(),
  status: z.enum(['active', 'revoked']),
  token: z.string(),
});

/** A pass this phone has pulled, by its canonical number. */
export async function getCachedPass(id: string): Promise<CachedPass | undefined> {
  const parsed = cachedPassSchema.safeParse(await db.passes.get(id));
  return parsed.success ? parsed.data : undefined;
}
