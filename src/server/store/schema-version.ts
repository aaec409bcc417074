/**
 * A database that a newer GateLog migrated has schema versions this server has no migration
 * for: what it would read there, or write, may be wrong, and a later start of the newer GateLog
 * would find rows it does not expect. Both stores refuse it, before they write anything.
 */

/** The database's schema is newer than this server's; nothing was changed. */
export class NewerDatabaseError extends Error {
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
  what: string,
): void {
  const newest = Math.max(0, ...known.map((m) => m.version));
  const version = Math.max(0, ...applied);
  if (version <= newest) return;
  throw new NewerDatabaseError(
    `${what} has schema version ${version}, written by a newer GateLog; this GateLog knows ` +
      `schema versions up to ${newest}. The database was left as it is: run the newer GateLog ` +
      'on it, or restore a backup made for this version.',
  );
}
