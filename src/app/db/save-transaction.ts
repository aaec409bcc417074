/**
 * The Save's one transaction, written with IndexedDB's own API on Dexie's connection: the
 * record, its outbox row, the pending counter, the shift's counts, the quick-lookup row and (from the entry
 * form) the draft's removal, all or nothing. The same work through Dexie's Table API took ≈45 ms
 * at 4× CPU where IndexedDB itself needs ≈10 (docs/performance.md), and a guard waits for it
 * after every tap on Save. Everything else keeps using Dexie.
 *
 * Dexie's live queries learn of the write as they do of Dexie's own: once the frame after the
 * commit is painted, the tables written are announced on `Dexie.on.storagemutated` (which also
 * reaches the app's other tabs), so the sync line's pending count, an open logbook and the quick
 * lookup follow within a few frames.
 */
import { afterPaint } from '../ui/after-paint';
import { db, type Counter, type KnownPerson, type Shift, type StoredRecord } from './db';
import { draftEnd } from './settings-repo';
import { announceTablesWritten, noteWrite } from './writes';

const STORES = ['records', 'outbox', 'counters', 'shifts', 'people', 'settings'] as const;
/** Versions of one entry read back at most (records naming each other cannot loop it). */
const MAX_VERSIONS = 64;

export interface SaveWrites {
  stored: StoredRecord;
  /** The quick-lookup row's key. */
  personKey: string;
  /** The next pending counter, the shift's new row and the quick-lookup row, from what is read. */
  write: (read: {
    pending: Counter | undefined;
    shift: Shift | undefined;
    original: StoredRecord | undefined;
    /**
     * The shift a correction's original is counted in: that of its first version (an entry
     * corrected twice is counted where it was logged).
     */
    countedIn: string | undefined;
    /** That shift's row, when it is another shift than this record's. */
    originalShift: Shift | undefined;
    known: KnownPerson | undefined;
  }) => {
    pending: Counter;
    shift: Shift | undefined;
    originalShift?: Shift | undefined;
    person: KnownPerson;
  };
  clearDraft: boolean;
}

/**
 * Adds `stored` (failing, and writing nothing, if its id is already there) and writes what
 * `write` makes of the rows read, in one read-write transaction: every read goes out at once,
 * then every write. Resolves once committed; rejects with IndexedDB's own error (a
 * QuotaExceededError when the phone is full, a ConstraintError for a known id).
 */
export async function runSaveTransaction(save: SaveWrites): Promise<void> {
  await db.open();
  const draftMarker = save.clearDraft ? draftEnd() : undefined;
  const idb = db.backendDB();
  await new Promise<void>((resolve, reject) => {
    const tx = idb.transaction(STORES, 'readwrite');
    /** What went wrong on this side, when it was not IndexedDB. */
    let failure: unknown;
    tx.oncomplete = () => {
      noteWrite();
      resolve();
    };
    tx.onabort = () =>
      reject(failure ?? tx.error ?? new DOMException('The save was aborted', 'AbortError'));
    const store = (name: (typeof STORES)[number]) => tx.objectStore(name);
    const { stored } = save;
    const reads = [
      store('counters').get('pending'),
      store('shifts').get(stored.shiftId),
      stored.record.amends ? store('records').get(stored.record.amends) : undefined,
      store('people').get(save.personKey),
    ];
    store('records').add(stored);
    store('outbox').add({ id: stored.id, shiftId: stored.shiftId, savedAt: stored.savedAt });
    let waiting = reads.filter(Boolean).length;
    /** A correction reads the versions before it back to the first, and that one's shift. */
    let countedIn: string | undefined;
    let originalShift: IDBRequest | undefined;
    const afterReads = () => {
      if (--waiting > 0) return;
      try {
        const rows = save.write({
          pending: reads[0]!.result as Counter | undefined,
          shift: reads[1]!.result as Shift | undefined,
          original: reads[2]?.result as StoredRecord | undefined,
          countedIn,
          originalShift: originalShift?.result as Shift | undefined,
          known: reads[3]!.result as KnownPerson | undefined,
        });
        store('counters').put(rows.pending);
        store('people').put(rows.person);
        if (rows.shift) store('shifts').put(rows.shift);
        if (rows.originalShift) store('shifts').put(rows.originalShift);
        if (draftMarker) store('settings').put(draftMarker);
        else if (save.clearDraft) store('settings').delete('draft');
      } catch (e) {
        failure = e;
        tx.abort();
      }
    };
    for (const r of reads) if (r) r.onsuccess = afterReads;
    const original = reads[2];
    if (original) {
      let steps = 0;
      const settle = (shiftId: string) => {
        countedIn = shiftId;
        if (shiftId !== stored.shiftId) {
          waiting++;
          originalShift = store('shifts').get(shiftId);
          originalShift.onsuccess = afterReads;
        }
        afterReads();
      };
      // A version no longer held (the phone's retention) leaves the oldest one held.
      const firstVersion = (r: StoredRecord) => {
        const before = r.record.amends;
        if (before === undefined || before === r.id || ++steps > MAX_VERSIONS) {
          return settle(r.shiftId);
        }
        const read = store('records').get(before);
        read.onsuccess = () => {
          const older = read.result as StoredRecord | undefined;
          if (older) firstVersion(older);
          else settle(r.shiftId);
        };
      };
      original.onsuccess = () => {
        const o = original.result as StoredRecord | undefined;
        if (o) firstVersion(o);
        else afterReads();
      };
    }
  });
  // Once the frame with the caller's "Saved" is on the screen: the live queries' reads must not
  // hold it up.
  const written = save.clearDraft ? STORES : STORES.filter((s) => s !== 'settings');
  afterPaint(() => announceTablesWritten(written));
}
