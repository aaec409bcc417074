/**
 * Picks the store for a configuration: PostgreSQL when DATABASE_URL is set (any number of
 * server instances can share it), otherwise the embedded SQLite file.
 */
import type { Config } from '../config';
import { PostgresStore } from './postgres';
import { SqliteStore } from './sqlite';
import type { Store } from './types';

export type { Store } from './types';

export type StoreConfig = Pick<Config, 'sqliteFile'> &
  Partial<Pick<Config, 'databaseUrl' | 'dbPoolMax'>>;

/** Opens the configured store; call `migrate()` before use. */
export function openStore(config: StoreConfig): Store {
  if (config.databaseUrl) {
    return new PostgresStore({ url: config.databaseUrl, poolMax: config.dbPoolMax });
  }
  return new SqliteStore(config.sqliteFile);
}
