/**
 * The sync engine's backoff, as the page shows it: while sending fails, the sync bar carries the
 * next attempt as `<time datetime>` (src/app/features/sync-status). An init script notes every
 * new value together with the page's clock at that moment, so `next − now` is the delay the
 * engine chose. Works with Playwright's fake clock (`page.clock`), whose Date the page sees.
 */
import type { Page } from '@playwright/test';

export interface RetryObservation {
  /** Page ms when the new next-attempt time appeared. */
  now: number;
  /** The next attempt, page ms. */
  next: number;
}

declare global {
  interface Window {
    __gatelogRetries?: RetryObservation[];
  }
}

/** Starts noting next-attempt times on every document of `page` (call before it loads). */
export async function recordRetries(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const log: RetryObservation[] = (window.__gatelogRetries = []);
    let last = Number.NaN;
    const look = () => {
      const el = document.querySelector('.sync-bar time[datetime]');
      const next = el ? Date.parse(el.getAttribute('datetime') ?? '') : Number.NaN;
      if (Number.isNaN(next) || next === last) return;
      last = next;
      log.push({ now: Date.now(), next });
    };
    new MutationObserver(look).observe(document, {
      subtree: true,
      childList: true,
      attributes: true,
      attributeFilter: ['datetime'],
    });
  });
}

/** Every next-attempt time noted so far on the current document. */
export function retries(page: Page): Promise<RetryObservation[]> {
  return page.evaluate(() => window.__gatelogRetries ?? []);
}

/** The delays chosen (ms), in order. */
export async function retryDelays(page: Page): Promise<number[]> {
  return (await retries(page)).map((r) => r.next - r.now);
}
