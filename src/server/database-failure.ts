/**
 * What an operator reads when the configured database cannot be opened, reached or signed in to,
 * as `npm start` and the command line both say it in the terminal's words: the SQLite file and
 * what to check, or the PostgreSQL server of DATABASE_URL named without its password. pg's own
 * error printed a stack and a dump of its fields, in any language.
 */
import type { Say } from './cli-messages';
import type { Config } from './config';

/** Socket errors of a PostgreSQL server that cannot be reached at all. */
const UNREACHABLE = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ECONNRESET',
]);

/**
 * PostgreSQL's refusals of the connection itself (SQLSTATE class 28, invalid authorization, and
 * 3D000, no such database): what DATABASE_URL says is wrong, not GateLog.
 */
const REFUSED = /^(28|3D000$)/;

/** DATABASE_URL as it can be shown: its host, port and database, never its user's password. */
export function databaseUrlShown(url: string): string {
  try {
    const u = new URL(url);
    return `${u.host}${u.pathname}`;
  } catch {
    return 'DATABASE_URL';
  }
}

/** The words for `err` when it is one of these failures of `config`'s database; else null. */
export function databaseFailure(
  err: unknown,
  config: Pick<Config, 'databaseUrl' | 'sqliteFile'>,
  say: Say,
): string | null {
  const e = err as { code?: unknown; message?: unknown } | null;
  const code = typeof e?.code === 'string' ? e.code : undefined;
  if (code === undefined) return null;
  const error = typeof e?.message === 'string' ? e.message : code;
  if (config.databaseUrl === undefined) {
    if (!/^SQLITE_(CANTOPEN|READONLY|PERM|IOERR)/.test(code)) return null;
    return say('start.cannotOpen', { file: config.sqliteFile, code, error });
  }
  const where = databaseUrlShown(config.databaseUrl);
  if (UNREACHABLE.has(code)) return say('start.pgUnreachable', { where, code });
  if (REFUSED.test(code)) return say('start.pgRefused', { where, code, error });
  return null;
}
