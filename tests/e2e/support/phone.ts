/**
 * What the phone itself holds, read straight from its IndexedDB (the `gatelog` database of
 * src/app/db) with the browser's own API — the ground truth the server is compared with.
 */
import type { Page } from '@playwright/test';

export interface PhoneRecord {
  id: string;
  syncState: 'pending' | 'synced' | 'rejected';
  shiftId: string;
  name: string;
}

/**
 * Every record on the phone, in id order, with its outbox state: pending while it has a row in
 * `outbox`, rejected while it has one in `rejections`, else acknowledged (a database older than
 * version 3 kept the state in the record).
 */
export function phoneRecords(page: Page): Promise<PhoneRecord[]> {
  return page.evaluate(
    () =>
      new Promise<PhoneRecord[]>((resolve, reject) => {
        const open = indexedDB.open('gatelog');
        open.onerror = () => reject(open.error ?? new Error('indexedDB.open failed'));
        open.onsuccess = () => {
          const db = open.result;
          const split = db.objectStoreNames.contains('outbox');
          const tx = db.transaction(
            split ? ['records', 'outbox', 'rejections'] : ['records'],
            'readonly',
          );
          const read = tx.objectStore('records').getAll();
          const pending = split ? tx.objectStore('outbox').getAllKeys() : undefined;
          const rejected = split ? tx.objectStore('rejections').getAllKeys() : undefined;
          tx.onerror = () => reject(tx.error ?? new Error('read failed'));
          tx.oncomplete = () => {
            db.close();
            type Stored = {
              id: string;
              syncState?: PhoneRecord['syncState'];
              shiftId: string;
              record: { person: { name: string } };
            };
            const inOutbox = new Set(pending?.result as string[] | undefined);
            const refused = new Set(rejected?.result as string[] | undefined);
            const state = (r: Stored): PhoneRecord['syncState'] =>
              !split
                ? r.syncState!
                : inOutbox.has(r.id)
                  ? 'pending'
                  : refused.has(r.id)
                    ? 'rejected'
                    : 'synced';
            resolve(
              (read.result as Stored[]).map((r) => ({
                id: r.id,
                syncState: state(r),
                shiftId: r.shiftId,
                name: r.record.person.name,
              })),
            );
          };
        };
      }),
  );
}

/** The ids of the phone's records in one sync state. */
export async function phoneIds(page: Page, state: PhoneRecord['syncState']): Promise<string[]> {
  return (await phoneRecords(page)).filter((r) => r.syncState === state).map((r) => r.id);
}
