/**
 * The phone's database as the previous release left it: written with Dexie (the same library
 * the app ships) and the schema of `version(1)` in src/app/db/db.ts, frozen here. A snapshot
 * check keeps the copy honest: released versions are never edited (STYLE habit 5), so the text
 * in db.ts must still say exactly this. Whatever the app's newest version is — 2 today, 3
 * tomorrow — opening such a database exercises its whole upgrade path from version 1.
 *
 * The page that writes it keeps its connection open: an old tab of the previous release.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { PROJECT_ROOT } from '../../../e2e/support/server';

/** `version(1).stores(…)` of src/app/db/db.ts, as released. */
export const V1_STORES: Readonly<Record<string, string>> = {
  records: 'id, [syncState+id], [shiftId+id], [gateId+day+id], savedAt',
  shifts: 'id, startedAt',
  settings: 'key',
  people: 'key, name, phone, idRev, address, lastSeenAt',
  counters: 'key',
};

const DB_SOURCE = join(PROJECT_ROOT, 'src/app/db/db.ts');

/** The stores `this.version(1)` declares in src/app/db/db.ts today (read from its text). */
export function declaredVersion1Stores(): Record<string, string> {
  const text = readFileSync(DB_SOURCE, 'utf8');
  const block = /this\.version\(1\)\.stores\(\{([\s\S]*?)\}\)/.exec(text)?.[1];
  if (!block) throw new Error(`no this.version(1).stores({…}) in ${DB_SOURCE}`);
  const stores: Record<string, string> = {};
  for (const m of block.matchAll(/(\w+):\s*'([^']*)'/g)) stores[m[1]!] = m[2]!;
  return stores;
}

/** The newest `this.version(n)` in src/app/db/db.ts. */
export function latestDeclaredVersion(): number {
  const text = readFileSync(DB_SOURCE, 'utf8');
  return Math.max(...[...text.matchAll(/this\.version\((\d+)\)/g)].map((m) => Number(m[1])));
}

/** Dexie multiplies its version by 10 for IndexedDB (Dexie 3 and 4). */
export const nativeVersion = (dexieVersion: number) => dexieVersion * 10;

const require = createRequire(import.meta.url);

/** The Dexie the app ships, as a classic script (window.Dexie). */
function dexieScript(): string {
  return readFileSync(require.resolve('dexie/dist/dexie.js'), 'utf8');
}

export interface V1Contents {
  settings: { key: string; value: unknown }[];
  shifts: unknown[];
  records: unknown[];
  counters: { key: string; n: number }[];
}

declare global {
  interface Window {
    /** The old tab's Dexie connection (a Dexie instance; only what the tests use). */
    __gatelogV1?: {
      isOpen(): boolean;
      transaction(mode: 'rw', tables: string[], fn: () => Promise<void>): Promise<void>;
      table(name: string): {
        count(): Promise<number>;
        add(row: unknown): Promise<unknown>;
        get(key: string): Promise<{ n?: number } | undefined>;
        put(row: unknown): Promise<unknown>;
      };
    };
    __gatelogV1VersionChange?: number;
  }
}

/**
 * On `page` (any page of the app's origin that does not run the app, e.g. /healthz), creates
 * the `gatelog` database with Dexie and the version 1 schema, fills it, and keeps it open as
 * the previous release's tab would (`window.__gatelogV1`). Fails if the database exists already.
 */
export async function writeV1Database(page: Page, contents: V1Contents): Promise<void> {
  // Evaluated through DevTools: the server's CSP rightly refuses inline scripts.
  await page.evaluate(dexieScript());
  await page.evaluate(
    async ({ stores, contents }) => {
      const existing = await indexedDB.databases();
      if (existing.some((d) => d.name === 'gatelog')) throw new Error('gatelog exists already');
      const Dexie = (window as unknown as { Dexie: new (name: string) => DexieLike }).Dexie;
      interface DexieLike {
        version(n: number): { stores(s: Record<string, string>): void };
        open(): Promise<unknown>;
        isOpen(): boolean;
        on(event: 'versionchange', fn: () => void): void;
        transaction(mode: string, tables: string[], fn: () => Promise<void>): Promise<void>;
        table(name: string): {
          bulkAdd(rows: unknown[]): Promise<unknown>;
          count(): Promise<number>;
          add(row: unknown): Promise<unknown>;
        };
      }
      const db = new Dexie('gatelog');
      db.version(1).stores(stores);
      await db.open();
      db.on('versionchange', () => {
        window.__gatelogV1VersionChange = (window.__gatelogV1VersionChange ?? 0) + 1;
      });
      await db.transaction('rw', ['settings', 'shifts', 'records', 'counters'], async () => {
        await db.table('settings').bulkAdd(contents.settings);
        await db.table('shifts').bulkAdd(contents.shifts);
        await db.table('records').bulkAdd(contents.records);
        await db.table('counters').bulkAdd(contents.counters);
      });
      window.__gatelogV1 = db as unknown as NonNullable<typeof window.__gatelogV1>;
    },
    { stores: { ...V1_STORES }, contents },
  );
}

/** The IndexedDB version of the `gatelog` database on `page`'s origin (0: none). */
export function storedVersion(page: Page): Promise<number> {
  return page.evaluate(
    async () => (await indexedDB.databases()).find((d) => d.name === 'gatelog')?.version ?? 0,
  );
}

/** The object stores of the `gatelog` database, sorted. */
export function storeNames(page: Page): Promise<string[]> {
  return page.evaluate(
    () =>
      new Promise<string[]>((resolve, reject) => {
        const open = indexedDB.open('gatelog');
        open.onerror = () => reject(open.error ?? new Error('open failed'));
        open.onsuccess = () => {
          const names = Array.from(open.result.objectStoreNames).sort();
          open.result.close();
          resolve(names);
        };
      }),
  );
}
