/**
 * The database layer, loaded on demand: the first screen's scripts hold no Dexie (its start-up
 * read is startup-read.ts's). main.tsx starts loading it just after the first paint; whatever
 * needs it sooner (a very quick Save) waits for the same promise.
 */
import type * as Db from './index';

export type DbModule = typeof Db;

let loading: Promise<DbModule> | undefined;

/** Whether anything has started loading the database layer yet. */
export function dbLoadStarted(): boolean {
  return loading !== undefined;
}

export function loadDb(): Promise<DbModule> {
  // A failed load (a chunk not fetched) is tried again by the next caller.
  loading ??= import('./index').catch((e: unknown) => {
    loading = undefined;
    throw e;
  });
  return loading;
}
