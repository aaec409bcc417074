/**
 * A count of the writes to the phone's database: every commit Dexie announces (this tab's, and
 * the app's other tabs' as they arrive) and every Save as it commits (its own announcement waits
 * for the frame). The same count before and after a read means nothing was written meanwhile,
 * so what was read is still what the database holds.
 */
import Dexie, { RangeSet, type ObservabilitySet } from 'dexie';
import { db } from './db';

let writes = 0;
const listeners = new Set<() => void>();

/** Counts a write that has committed. */
export function noteWrite(): void {
  writes++;
  for (const listener of listeners) listener();
}

/** Set while this tab tells Dexie of a write it has counted already. */
let announcing = false;

Dexie.on('storagemutated', () => {
  if (!announcing) noteWrite();
});

/**
 * Tells Dexie's live queries, here and in the app's other tabs, of a write counted already
 * (`noteWrite`): it is not counted again.
 */
export function announceWrite(parts: ObservabilitySet): void {
  announcing = true;
  try {
    Dexie.on.storagemutated.fire(parts);
  } finally {
    announcing = false;
  }
}

/**
 * Tells Dexie's live queries, here and in the app's other tabs, that these tables changed
 * (every key of every index) in a write made with IndexedDB's own API and counted already.
 */
export function announceTablesWritten(tables: readonly string[]): void {
  const parts: ObservabilitySet = {};
  for (const name of tables) {
    const indexes = ['', ':dels', ...db.table(name).schema.indexes.map((i) => i.name)];
    for (const index of indexes) {
      parts[`idb://${db.name}/${name}/${index}`] = new RangeSet(-Infinity, [[]]);
    }
  }
  announceWrite(parts);
}

/** The writes counted so far. */
export const writesSoFar = (): number => writes;

/** Calls `fn` after each write counted; returns the function that stops it. */
export function onWrite(fn: () => void): () => void {
  listeners.add(fn);
  return () => listeners.delete(fn);
}
