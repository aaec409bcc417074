/**
 * Databases the server refuses at start, before it writes anything. One a newer GateLog
 * migrated has schema versions this server has no migration for: what it would read there, or
 * write, may be wrong, and a later start of the newer GateLog would find rows it does not
 * expect (both stores). A PostgreSQL database not in UTF8 cannot hold the records' text.
 */

import { SaidError, type Say } from '../cli-messages';

/**
 * A database the server will not open, said in words for the operator (in the terminal's
 * language where it is printed); nothing was changed.
 */
export class RefusedDatabaseError extends SaidError {}

/** The database named for the operator: the SQLite file, or PostgreSQL's at DATABASE_URL. */
export type DatabaseNamed = { file: string } | 'DATABASE_URL';

const named = (what: DatabaseNamed, say: Say) =>
  what === 'DATABASE_URL' ? say('db.postgres') : say('db.file', { file: what.file });

/** The database's schema is newer than this server's; nothing was changed. */
export class NewerDatabaseError extends RefusedDatabaseError {
  override name = 'NewerDatabaseError';
  readonly code = 'GATELOG_DB_NEWER';
}

/**
 * Throws NewerDatabaseError when a version in `applied` (the database's `schema_migrations`) is
 * past every migration this server has. `what` names the database for the operator.
 */
export function refuseNewerSchema(
  applied: Iterable<number>,
  known: readonly { version: number }[],
  what: DatabaseNamed,
): void {
  const newest = Math.max(0, ...known.map((m) => m.version));
  const version = Math.max(0, ...applied);
  if (version <= newest) return;
  throw new NewerDatabaseError((say) =>
    say('db.newer', { what: named(what, say), version, newest }),
  );
}

/** The database cannot hold GateLog's text as it should; nothing was changed. */
export class DatabaseEncodingError extends RefusedDatabaseError {
  override name = 'DatabaseEncodingError';
  readonly code = 'GATELOG_DB_ENCODING';
}

/**
 * Throws DatabaseEncodingError for a PostgreSQL database not in UTF8 (`encoding`, its
 * server_encoding), as a cluster made with no locale set is (SQL_ASCII: Debian's
 * `apt-get install postgresql` in a shell with LANG unset). LATIN1 and the like cannot hold
 * Chinese at all: the first start made the tables, then died on the default gate's name with
 * pg's stack trace, and every phone's batch would have failed. SQL_ASCII takes the bytes but
 * neither checks them nor folds letter case beyond ASCII in the log's search; it is refused
 * only before GateLog made its tables there (`migrated` false), so a running installation on
 * one keeps running. `what` names the database for the operator.
 */
export function refuseDatabaseEncoding(
  encoding: string,
  migrated: boolean,
  what: DatabaseNamed,
): void {
  if (encoding === 'UTF8' || (encoding === 'SQL_ASCII' && migrated)) return;
  throw new DatabaseEncodingError((say) =>
    say('db.encoding', {
      what: named(what, say),
      encoding,
      why: say(encoding === 'SQL_ASCII' ? 'db.encoding.sqlAscii' : 'db.encoding.other'),
    }),
  );
}
