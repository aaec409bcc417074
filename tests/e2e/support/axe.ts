/** axe-core in the browser suites: WCAG 2.2 A and AA, as the accessibility walks check them. */
import AxeBuilder from '@axe-core/playwright';
import { expect, type Page } from '@playwright/test';

const WCAG = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

/**
 * Runs axe on the page as it is now (or only on what `include` selects); a violation fails the
 * test naming the screen.
 */
export async function expectAccessible(
  page: Page,
  screen: string,
  include?: string,
): Promise<void> {
  // No animation half-way (a dialog fading in has the contrast of its first frame); a spinner's
  // endless one is left as it is.
  await page.evaluate(() => {
    for (const a of document.getAnimations()) {
      if (a.effect?.getComputedTiming().endTime !== Infinity) a.finish();
    }
  });
  const axe = new AxeBuilder({ page }).withTags(WCAG);
  const { violations } = await (include === undefined ? axe : axe.include(include)).analyze();
  const found = violations.map(
    (v) =>
      `${screen}: ${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).join(' | ')}`,
  );
  expect(found, `axe on ${screen}`).toEqual([]);
}
