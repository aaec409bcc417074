/** Picks the store for a configuration: the embedded SQLite file (PostgreSQL comes next). */
import type { Config } from '../config';
import { SqliteStore } from './sqlite';
import type { Store } from './types';

export type { Store } from './types';

/** Opens the configured store; call `migrate()` before use. */
export function openStore(config: Pick<Config, 'sqliteFile'>): Store {
  return new SqliteStore(config.sqliteFile);
}
