/**
 * Server configuration from the environment, parsed once at start-up: a bad value stops the
 * server with a message that names it, instead of failing later.
 */
import { randomBytes } from 'node:crypto';
import {
  closeSync,
  fchmodSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { isIP } from 'node:net';
import { join, resolve } from 'node:path';
import * as z from 'zod/mini';
import { parseFaults, type FaultPlan } from './faults';
import { newToken, sha256Hex } from './secrets';
import { SaidError, sayIssues } from './cli-messages';

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export const MIN_ADMIN_TOKEN_CHARS = 16;
const POSTGRES_URL = /^postgres(ql)?:\/\//i;
/**
 * Sync requests one instance takes at once (GATELOG_SYNC_MAX_IN_FLIGHT); more are answered at
 * once with 503 and `Retry-After`, which phones honour, before their bodies are read. Without a
 * bound, a whole district's phones syncing at the same moment were all read, parsed and held in
 * memory together: with 800 batches at once the slowest waited 28.7 s for its answer, just
 * under the phones' 30 s timeout, and the server's memory peaked at 1.1 GB; with 64, 6.5 s and
 * 0.6 GB (`tests/bench/server.ts --only burst`). 64 is well over what keeps both cores busy
 * here (20 in flight already do).
 */
export const SYNC_MAX_IN_FLIGHT = 64;

/**
 * How long a sync body may take to arrive once it holds one of those places: a phone on a poor
 * 2G link sends a full batch (≈150 KB gzip) in well under a minute. Past it the connection is
 * closed and the place freed; the phone sends again. Without it, 64 connections that sent their
 * headers and then a byte now and then held every place for as long as they liked.
 */
export const SYNC_BODY_TIMEOUT_MS = 120_000;

/**
 * Which peers' `X-Forwarded-*` GateLog believes (GATELOG_TRUST_PROXY), as Fastify's
 * `trustProxy` takes it: `false`, or the proxies' addresses (`true` is a proxy on this machine,
 * `loopback`). The client is then the address the nearest trusted proxy added to
 * `X-Forwarded-For`, whatever a client wrote before it, and a client reaching the server
 * directly is believed in nothing. Never "every hop": then the client's own first entry named
 * it, and per-address rate limits held for no one. (Fastify trusts no one for a number of hops.)
 */
export type TrustProxy = false | string;

/** proxy-addr's names: 127.0.0.1/8 and ::1; 169.254.0.0/16 and fe80::/10; the private ranges. */
const TRUST_PROXY_NAMES = new Set(['loopback', 'linklocal', 'uniquelocal']);

function toTrustProxy(v: string): TrustProxy | undefined {
  const s = v.trim().toLowerCase();
  if (['false', 'no', 'off', '0'].includes(s)) return false;
  if (['true', 'yes', 'on', '1'].includes(s)) return 'loopback';
  const parts = s.split(',').map((p) => p.trim());
  const address = (p: string) => {
    const [ip, bits, extra] = p.split('/');
    return extra === undefined && isIP(ip!) !== 0 && (bits === undefined || /^\d{1,3}$/.test(bits));
  };
  return parts.every((p) => TRUST_PROXY_NAMES.has(p) || address(p)) ? parts.join(',') : undefined;
}

/**
 * GATELOG_PUBLIC_URL names a host, not a place on it: the app and its service worker are built
 * for `/` (assets at /assets, the committee's page at /committee/), so a link to
 * https://example.org/gatelog/?enroll=… opened either a proxy's 404 or, through a proxy passing
 * everything on, the app by accident, with nothing said at start.
 */
function isOrigin(v: string): boolean {
  try {
    const u = new URL(v);
    return u.pathname === '/' && u.search === '' && u.hash === '';
  } catch {
    return true; // the URL check above says what is wrong
  }
}

/** Its own messages are keys of the terminal's words (`env.*` in cli-messages.ts). */
const envSchema = z.object({
  PORT: z._default(z.coerce.number().check(z.int(), z.gte(1), z.lte(65535)), 8080),
  HOST: z._default(z.string().check(z.minLength(1)), '0.0.0.0'),
  GATELOG_DATA_DIR: z._default(z.string().check(z.minLength(1)), './data'),
  GATELOG_ADMIN_TOKEN: z.optional(
    z.string().check(z.trim(), z.minLength(MIN_ADMIN_TOKEN_CHARS, 'env.adminToken')),
  ),
  GATELOG_PUBLIC_URL: z.optional(
    z.url({ protocol: /^https?$/, error: 'env.httpUrl' }).check(z.refine(isOrigin, 'env.origin')),
  ),
  GATELOG_RETENTION_DAYS: z._default(z.coerce.number().check(z.int(), z.gte(1)), 28),
  GATELOG_TRUST_PROXY: z._default(
    z.pipe(
      z.string().check(z.refine((v) => toTrustProxy(v) !== undefined, 'env.trustProxy')),
      z.transform((v) => toTrustProxy(v)!),
    ),
    false,
  ),
  DATABASE_URL: z.optional(
    z.string().check(z.refine((url) => POSTGRES_URL.test(url), 'env.databaseUrl')),
  ),
  GATELOG_DB_POOL_MAX: z._default(z.coerce.number().check(z.int(), z.gte(1), z.lte(1000)), 10),
  GATELOG_SYNC_MAX_IN_FLIGHT: z._default(
    z.coerce.number().check(z.int(), z.gte(1), z.lte(10_000)),
    SYNC_MAX_IN_FLIGHT,
  ),
  LOG_LEVEL: z._default(z.enum(LOG_LEVELS, 'env.logLevel'), 'info'),
  /** Test-only crash points (src/server/faults.ts); never set on a real server. */
  GATELOG_FAULTS: z.optional(z.string()),
});

/**
 * A bad environment: the message says what to fix, a stack trace would not help; in the
 * terminal's language where it is printed (`SaidError`).
 */
export class ConfigError extends SaidError {
  override name = 'ConfigError';
}

export interface Config {
  port: number;
  host: string;
  /** Absolute path of the data folder (SQLite file, generated admin token). */
  dataDir: string;
  sqliteFile: string;
  /** PostgreSQL connection URL; when set, the store is PostgreSQL instead of the SQLite file. */
  databaseUrl: string | undefined;
  /** Most PostgreSQL connections this instance opens (GATELOG_DB_POOL_MAX). */
  dbPoolMax: number;
  /** Sync requests taken at once; more are turned away with 503 (GATELOG_SYNC_MAX_IN_FLIGHT). */
  syncMaxInFlight: number;
  /** From GATELOG_ADMIN_TOKEN, when set; otherwise `storedAdminToken` reads the stored one. */
  adminToken: string | undefined;
  publicUrl: string | undefined;
  retentionDays: number;
  trustProxy: TrustProxy;
  logLevel: (typeof LOG_LEVELS)[number];
  /** GATELOG_FAULTS: crash points for the reliability tests; empty on a real server. */
  faults: FaultPlan[];
}

/** Parses the environment; throws one error naming every bad variable. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  // An empty variable means "not set", as in most shells' `FOO= cmd`.
  const present = Object.fromEntries(
    Object.entries(env).filter(([, v]) => v !== undefined && v !== ''),
  );
  const r = envSchema.safeParse(present);
  if (!r.success) {
    const { issues } = r.error;
    throw new ConfigError((say) =>
      say('badEnvironment', {
        issues: sayIssues(say, issues, undefined, {
          min: MIN_ADMIN_TOKEN_CHARS,
          levels: LOG_LEVELS.join(', '),
        }),
      }),
    );
  }
  const e = r.data;
  let faults: FaultPlan[] = [];
  try {
    faults = e.GATELOG_FAULTS === undefined ? [] : parseFaults(e.GATELOG_FAULTS);
  } catch (err) {
    // Tests' own setting: what is wrong with it stays in English.
    const what = (err as Error).message;
    throw new ConfigError((say) =>
      say('badEnvironment', { issues: say('issue', { where: 'GATELOG_FAULTS', what }) }),
    );
  }
  const dataDir = resolve(e.GATELOG_DATA_DIR);
  return {
    port: e.PORT,
    host: e.HOST,
    dataDir,
    sqliteFile: join(dataDir, 'gatelog.sqlite'),
    databaseUrl: e.DATABASE_URL,
    dbPoolMax: e.GATELOG_DB_POOL_MAX,
    syncMaxInFlight: e.GATELOG_SYNC_MAX_IN_FLIGHT,
    adminToken: e.GATELOG_ADMIN_TOKEN,
    publicUrl: e.GATELOG_PUBLIC_URL?.replace(/\/+$/, ''),
    retentionDays: e.GATELOG_RETENTION_DAYS,
    trustProxy: e.GATELOG_TRUST_PROXY,
    logLevel: e.LOG_LEVEL,
    faults,
  };
}

/**
 * The token in an `admin-token` file, trimmed: '' when there is no such file or it is empty. NUL
 * characters at its ends go too: a file being written in place can read as NULs where the rest
 * of it will be, and no one types a NUL into a token.
 */
export function readAdminTokenFile(file: string): string {
  try {
    return readFileSync(file, 'utf8').replace(/^[\s\0]+|[\s\0]+$/g, '');
  } catch (err) {
    if ((err as { code?: unknown }).code === 'ENOENT') return '';
    throw err;
  }
}

export interface AdminTokenSource {
  token: string;
  /** Made and written now: the caller prints it, once. */
  created: boolean;
  /** Made by an earlier start that stopped before it printed it: the caller prints it now. */
  unshown?: boolean;
  /** The file it is kept in; none for GATELOG_ADMIN_TOKEN. */
  file?: string;
}

/**
 * The admin token already there: GATELOG_ADMIN_TOKEN, else the one stored in
 * `<dataDir>/admin-token`; undefined when that file is missing or empty. It only reads, so the
 * server calls it before it opens, makes or migrates a database: a start it refuses changes
 * nothing. Throws a ConfigError for a file whose token is too short.
 */
export function storedAdminToken(config: Config): AdminTokenSource | undefined {
  if (config.adminToken) return { token: config.adminToken, created: false };
  const file = join(config.dataDir, 'admin-token');
  const stored = readAdminTokenFile(file);
  // One shorter than the rule was put there by someone on purpose: replacing it without a word
  // (as GateLog did) left them with a token that no longer worked.
  if (stored !== '' && stored.length < MIN_ADMIN_TOKEN_CHARS) {
    throw new ConfigError((say) =>
      say('start.tokenTooShort', { file, n: stored.length, min: MIN_ADMIN_TOKEN_CHARS }),
    );
  }
  if (stored === '') return undefined;
  const unshown = readMark(unshownMarkOf(file)) === sha256Hex(stored);
  return { token: stored, created: false, file, ...(unshown && { unshown }) };
}

/**
 * Beside a token GateLog made, until a start has printed it: the token's SHA-256. A first start
 * stopped between making the token and printing it (Ctrl-C while the database was made, a
 * crash, the power) left it in `admin-token` alone, where no one was told to look; the next
 * start finds this mark and prints it then. A token written into the file by hand matches no
 * mark, and is not printed.
 */
const unshownMarkOf = (file: string) => `${file}.unshown`;

function readMark(file: string): string {
  try {
    return readFileSync(file, 'utf8').trim();
  } catch {
    return ''; // none, or unreadable: nothing known to be unshown
  }
}

/**
 * The admin token has been printed (or is not GateLog's to print): its mark goes, so later starts
 * say only where it is. A mark that cannot be removed is left (the next start prints it again).
 */
export function adminTokenShown(admin: AdminTokenSource): void {
  if (admin.file === undefined) return;
  try {
    rmSync(unshownMarkOf(admin.file), { force: true });
  } catch {
    // Printed once more at the next start: better than a server that stops over it.
  }
}

/**
 * A new admin token, written to `<dataDir>/admin-token` (mode 600). It is written whole to a
 * file of its own in the same folder and renamed into place, so the server's once-a-second look
 * at that file (admin-token.ts), or anything else reading it, never finds half of it. Its mark as
 * not yet shown is written first (`adminTokenShown` removes it once printed).
 */
export function newAdminToken(config: Config): AdminTokenSource {
  mkdirSync(config.dataDir, { recursive: true, mode: 0o700 });
  const file = join(config.dataDir, 'admin-token');
  const token = newToken();
  const temporary = `${file}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    const fd = openSync(temporary, 'wx', 0o600);
    try {
      fchmodSync(fd, 0o600); // whatever the umask
      writeFileSync(fd, `${token}\n`);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    writeFileSync(unshownMarkOf(file), `${sha256Hex(token)}\n`, { mode: 0o600 });
    renameSync(temporary, file);
  } catch (err) {
    rmSync(temporary, { force: true });
    throw err;
  }
  return { token, created: true, file };
}
