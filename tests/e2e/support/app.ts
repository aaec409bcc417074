/**
 * What a guard does in the app, as the browser suites say it: by role and accessible name, in
 * English (`?lang=en`). Kept here so a renamed button is fixed in one place.
 */
import { expect, type Page } from '@playwright/test';
import type { Gate } from '../../../src/shared';
import { residentIdCheckChar } from '../../../src/shared/rules';
import { createEnrollmentCode, createGate } from './admin';
import type { GateServer } from './server';

/** Opens the app in English. */
export async function openApp(page: Page, path = '/?lang=en'): Promise<void> {
  await page.goto(path);
}

/** Waits until a service worker controls the page (installed, precached, claimed). */
export async function waitForServiceWorker(page: Page): Promise<void> {
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null, undefined, {
    timeout: 30_000,
  });
}

let gates = 0;

/**
 * The committee makes a gate and a code (admin API, straight to the server); the phone opens
 * the enrollment link at `origin` (default: the server itself; a proxy's address to put a
 * network in between), enrolls, has its service worker, and is on the shift-start screen.
 */
export async function enrollByLink(
  page: Page,
  server: GateServer,
  opts: { origin?: string; gateName?: string } = {},
): Promise<Gate> {
  const gate = await createGate(server, opts.gateName ?? `Gate ${++gates}`);
  const { code } = await createEnrollmentCode(server, gate.id);
  await page.goto(`${opts.origin ?? server.url}/?enroll=${encodeURIComponent(code)}&lang=en`);
  await page.getByRole('button', { name: 'Enroll', exact: true }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Enrolled:' })).toBeVisible();
  await waitForServiceWorker(page);
  await page.getByRole('button', { name: 'Start logging' }).click();
  return gate;
}

/** Whether the page can reach the server at all (it must not, while offline). */
export function canReachServer(page: Page): Promise<boolean> {
  return page.evaluate(() =>
    fetch('/healthz', { cache: 'no-store' }).then(
      () => true,
      () => false,
    ),
  );
}

/** The entry form's Name box (not "Gate name", not the quick lookup). */
export const nameBox = (page: Page) => page.getByRole('textbox', { name: 'Name', exact: true });

/** Starts a shift: names the gate when the phone has none yet, then the guard. */
export async function startShift(page: Page, guard: string, gate = 'North Gate'): Promise<void> {
  const start = page.getByRole('button', { name: 'Start shift' });
  await expect(start).toBeVisible();
  const gateName = page.getByRole('textbox', { name: 'Gate name', exact: true });
  if (await gateName.isVisible()) await gateName.fill(gate);
  // A text box with a list of earlier guards: a combobox to assistive tech.
  await page.getByLabel('Guard', { exact: true }).fill(guard);
  await start.click();
  await expect(nameBox(page)).toBeVisible();
}

/** The person categories as the form labels them (src/shared CATEGORIES, in English). */
export const CATEGORY_LABELS = {
  resident: 'Resident',
  visitor: 'Visitor',
  courier: 'Courier',
  staff: 'Staff',
  other: 'Other',
} as const;

export interface EntryInput {
  direction: 'in' | 'out';
  name: string;
  /** Left as the form has it when not given. */
  category?: keyof typeof CATEGORY_LABELS;
  idNumber?: string;
  phone?: string;
  temperature?: string;
  /** A returnee from elsewhere in the country: where from, and the arrival date (YYYY-MM-DD). */
  returnee?: { origin: string; arrivedOn: string };
}

/**
 * Fills and saves one entry. A fever brings up the full-screen alert, which is checked and
 * dismissed. Resolves once the form is empty again, i.e. the entry is stored.
 */
export async function logEntry(page: Page, entry: EntryInput, opts: { fever?: boolean } = {}) {
  await page
    .getByRole('radio', { name: entry.direction === 'in' ? 'In' : 'Out', exact: true })
    .check();
  await nameBox(page).fill(entry.name);
  if (entry.category) {
    await page
      .getByRole('group', { name: 'Category', exact: true })
      .getByRole('radio', { name: CATEGORY_LABELS[entry.category], exact: true })
      .check();
  }
  if (entry.idNumber)
    await page.getByRole('textbox', { name: 'ID number', exact: true }).fill(entry.idNumber);
  if (entry.phone)
    await page.getByRole('textbox', { name: 'Phone', exact: true }).fill(entry.phone);
  if (entry.temperature) {
    await page.getByRole('textbox', { name: 'Temperature', exact: true }).fill(entry.temperature);
  }
  if (entry.returnee) {
    // The second choice is "domestic" (its wording is still settling: province / city).
    await page
      .getByRole('group', { name: 'Returned from outside the city' })
      .getByRole('radio')
      .nth(1)
      .check();
    await page.getByRole('textbox', { name: 'From', exact: true }).fill(entry.returnee.origin);
    await page.getByLabel('Arrived on', { exact: true }).fill(entry.returnee.arrivedOn);
  }
  // Tapped, as a guard does: Save stays above the tab bar, and the previous save's "Saved — Undo"
  // shows above it, even at the end of a long form (returnee section open).
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  if (opts.fever) {
    const alert = page.getByRole('alertdialog');
    await expect(alert).toBeVisible();
    await expect(alert).toContainText(entry.temperature ?? '');
    await alert.getByRole('button').last().click();
    await expect(alert).toBeHidden();
  }
  await expect(nameBox(page)).toHaveValue('');
}

/** A valid mainland resident ID (GB 11643 check digit) for the n-th test person. */
export function residentId(n: number): string {
  const first17 = `310101198${n % 10}0${(n % 9) + 1}1${String(n % 10)}${String(100 + n).slice(-3)}`;
  return first17 + residentIdCheckChar(first17);
}

/** A mainland mobile number for the n-th test person. */
export const mobile = (n: number) => `139${String(10_000_000 + n).slice(-8)}`;

/** Today minus `days`, as YYYY-MM-DD in the browser's (and this machine's) local time. */
export function daysAgo(days: number): string {
  const d = new Date();
  d.setDate(d.getDate() - days);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}
