/**
 * The guard's phone in the reliability scenarios: enrolling it by the committee's link, what it
 * holds (read straight from IndexedDB), records written into its outbox behind the app's back
 * (many at once, or ones the form would never make), and the server's side of the comparison.
 * Builds on the e2e helpers (tests/e2e/support), which it reuses and does not change.
 */
import { expect, type BrowserContext, type Page } from '@playwright/test';
import { localIsoWithOffset } from '../../../../src/app/db/time';
import { uuidv7 } from '../../../../src/app/db/uuid';
import { localDateOf, type Gate, type GateLog } from '../../../../src/shared';
import { countById, listLogs } from '../../../e2e/support/admin';
import { enrollByLink, startShift, type EntryInput } from '../../../e2e/support/app';
import { phoneRecords, type PhoneRecord } from '../../../e2e/support/phone';
import type { GateServer } from '../../../e2e/support/server';

export { enrollByLink, phoneRecords, type PhoneRecord };

/** The header's sync line. */
export const syncBar = (page: Page) => page.getByRole('group', { name: 'Sync status' });

/**
 * The network goes (or comes back) for real: the browser's switch and the server's door. Both,
 * because requests a test routes (sync-watch) are fetched by Playwright, past the switch.
 */
export async function setNetwork(context: BrowserContext, server: GateServer, online: boolean) {
  // Back on: the server's side first, so the browser's `online` never meets a closed door.
  if (online) server.setOffline(false);
  await context.setOffline(!online);
  if (!online) server.setOffline(true);
}

/** Enrolls the phone (see `enrollByLink`) and starts a shift: the entry form is showing. */
export async function enrollAndStartShift(
  page: Page,
  server: GateServer,
  opts: { origin?: string; gateName?: string; guard?: string } = {},
): Promise<Gate> {
  const gate = await enrollByLink(page, server, opts);
  await startShift(page, opts.guard ?? 'Zhou Min');
  return gate;
}

/** A plain entry for the n-th person of a scenario: walking in, normal temperature. */
export function guest(prefix: string, n: number): EntryInput {
  return {
    direction: n % 5 === 4 ? 'out' : 'in',
    name: `${prefix} ${String(n).padStart(3, '0')}`,
    temperature: n % 5 === 4 ? undefined : (36.2 + (n % 6) / 10).toFixed(1),
  };
}

/** Waits until the phone holds no pending record (the engine sends on its own), or fails. */
export async function waitUntilNothingPending(page: Page, timeoutMs: number): Promise<void> {
  await expect
    .poll(async () => (await phoneRecords(page)).filter((r) => r.syncState === 'pending').length, {
      timeout: timeoutMs,
      message: 'records still pending on the phone',
    })
    .toBe(0);
}

/**
 * The server's side: every id of the gate stored exactly once, and the set of ids equal to
 * `expectedIds` (what the phone holds, or should).
 */
export async function expectServerHoldsExactly(
  server: GateServer,
  gateId: string,
  expectedIds: readonly string[],
): Promise<void> {
  const { items } = await listLogs(server, gateId);
  const counts = countById(items);
  const repeated = [...counts.entries()].filter(([, n]) => n !== 1);
  expect(repeated, 'ids stored more than once').toEqual([]);
  expect(items.length, 'rows on the server').toBe(expectedIds.length);
  expect([...counts.keys()].sort()).toEqual([...expectedIds].sort());
}

/** Who the phone is, as its settings say: device, gate, current shift and guard. */
export interface PhoneIdentity {
  deviceId: string;
  gateId: string;
  shiftId: string;
  guard: string;
}

/** Reads the phone's identity from its database (the app must have opened it already). */
export function phoneIdentity(page: Page): Promise<PhoneIdentity> {
  return page.evaluate(
    () =>
      new Promise<PhoneIdentity>((resolve, reject) => {
        const open = indexedDB.open('gatelog');
        open.onerror = () => reject(open.error ?? new Error('indexedDB.open failed'));
        open.onsuccess = () => {
          const db = open.result;
          const tx = db.transaction(['settings', 'shifts'], 'readonly');
          const settings = tx.objectStore('settings');
          const out: Record<string, unknown> = {};
          for (const key of ['enrollment', 'gate', 'currentShiftId']) {
            const get = settings.get(key);
            get.onsuccess = () => {
              out[key] = (get.result as { value?: unknown } | undefined)?.value;
              if (key !== 'currentShiftId') return;
              const shiftId = out.currentShiftId as string | undefined;
              if (!shiftId) return;
              const shift = tx.objectStore('shifts').get(shiftId);
              shift.onsuccess = () => (out.shift = shift.result);
            };
          }
          tx.onerror = () => reject(tx.error ?? new Error('read failed'));
          tx.oncomplete = () => {
            db.close();
            const enrollment = out.enrollment as { deviceId: string } | undefined;
            const gate = out.gate as { id: string } | undefined;
            const shift = out.shift as { id: string; guard: string } | undefined;
            if (!enrollment || !gate || !shift) {
              reject(new Error('the phone is not enrolled or has no shift in progress'));
              return;
            }
            resolve({
              deviceId: enrollment.deviceId,
              gateId: gate.id,
              shiftId: shift.id,
              guard: shift.guard,
            });
          };
        };
      }),
  );
}

/**
 * `count` valid GateLog v1 records of this phone's shift, as the form would make them, made at
 * `at` (device ms; default now) one millisecond apart, so their ids are in order.
 */
export function makeRecords(
  who: PhoneIdentity,
  count: number,
  opts: { at?: number; name?: (i: number) => string } = {},
): GateLog[] {
  const at = opts.at ?? Date.now();
  return Array.from({ length: count }, (_, i) => {
    const when = new Date(at + i);
    return {
      id: uuidv7(when.getTime()),
      schemaVersion: 1,
      deviceId: who.deviceId,
      gateId: who.gateId,
      shiftId: who.shiftId,
      guard: who.guard,
      occurredAt: localIsoWithOffset(when),
      direction: 'in',
      person: { category: 'visitor', name: opts.name?.(i) ?? `Seeded ${i}` },
      temperatureC: 36.5,
      returnee: { status: 'none' },
      decision: 'admitted',
    } as GateLog;
  });
}

/**
 * A record's row as the previous release stored it (src/app/db, version 1 and 2): its outbox
 * state in the row. Version 3 keeps the state in the `outbox` table instead.
 */
export function storedRow(record: GateLog, savedAt: number) {
  return {
    id: record.id,
    record,
    syncState: 'pending' as const,
    shiftId: record.shiftId,
    gateId: record.gateId,
    day: localDateOf(record.occurredAt),
    savedAt,
    fever: false,
  };
}

/**
 * Writes records into the phone's outbox behind the app's back, in one transaction with the
 * pending counter, as `saveEntry` would — including records the form would refuse (a poison
 * record): each record and its outbox row (the state in the row on a database older than
 * version 3). No schema is declared here.
 * `savedAt` (device ms) defaults to a minute ago, past the undo window.
 */
export async function addPendingRecords(
  page: Page,
  records: readonly unknown[],
  savedAt?: number,
): Promise<void> {
  const rows = records.map((r) => storedRow(r as GateLog, savedAt ?? Date.now() - 60_000));
  await page.evaluate(
    (rows) =>
      new Promise<void>((resolve, reject) => {
        const open = indexedDB.open('gatelog');
        open.onerror = () => reject(open.error ?? new Error('indexedDB.open failed'));
        open.onsuccess = () => {
          const db = open.result;
          const split = db.objectStoreNames.contains('outbox');
          const tx = db.transaction(
            split ? ['records', 'outbox', 'counters'] : ['records', 'counters'],
            'readwrite',
          );
          for (const { syncState, ...row } of rows) {
            if (!split) {
              tx.objectStore('records').add({ ...row, syncState });
              continue;
            }
            tx.objectStore('records').add(row);
            tx.objectStore('outbox').add({
              id: row.id,
              shiftId: row.shiftId,
              savedAt: row.savedAt,
            });
          }
          const counters = tx.objectStore('counters');
          const get = counters.get('pending');
          get.onsuccess = () => {
            const n = (get.result as { n?: number } | undefined)?.n ?? 0;
            counters.put({ key: 'pending', n: n + rows.length });
          };
          tx.onerror = () => reject(tx.error ?? new Error('write failed'));
          tx.oncomplete = () => {
            db.close();
            resolve();
          };
        };
      }),
    rows,
  );
}
