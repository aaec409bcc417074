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

/** Every record on the phone, in id order. */
export function phoneRecords(page: Page): Promise<PhoneRecord[]> {
  return page.evaluate(
    () =>
      new Promise<PhoneRecord[]>((resolve, reject) => {
        const open = indexedDB.open('gatelog');
        open.onerror = () => reject(open.error ?? new Error('indexedDB.open failed'));
        open.onsuccess = () => {
          const db = open.result;
          const read = db.transaction('records', 'readonly').objectStore('records').getAll();
          read.onerror = () => reject(read.error ?? new Error('getAll failed'));
          read.onsuccess = () => {
            db.close();
            type Stored = {
              id: string;
              syncState: PhoneRecord['syncState'];
              shiftId: string;
              record: { person: { name: string } };
            };
            resolve(
              (read.result as Stored[]).map((r) => ({
                id: r.id,
                syncState: r.syncState,
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
