/**
 * The phone's screens at larger text and at narrow widths (a 320 px phone, page zoom on a
 * 360 px one: 277 px), in English and Chinese: the four tabs on screen, nothing scrolling
 * sideways, Save above the tab bar however tall that is, focused fields never under either.
 */
import type { Locator, Page } from '@playwright/test';
import { openApp, startShift } from './support/app';
import { expect, test } from './support/fixtures';
import { largerText } from './support/text-size';

async function box(locator: Locator) {
  const b = await locator.boundingBox();
  if (!b) throw new Error('not laid out');
  return b;
}

/** How far the page scrolls sideways, in CSS px (0: it does not). */
const sideways = (page: Page) =>
  page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);

/** Each tab of the bottom bar: whole on screen, its words neither cut nor spilling out. */
async function expectTabsOnScreen(page: Page) {
  const width = page.viewportSize()!.width;
  const tabs = page.getByRole('navigation').getByRole('link');
  await expect(tabs).toHaveCount(4);
  for (const tab of await tabs.all()) {
    const b = await box(tab);
    expect(b.x).toBeGreaterThanOrEqual(0);
    expect(b.x + b.width).toBeLessThanOrEqual(width);
    const spills = await tab.evaluate(
      (el) => el.scrollWidth > el.clientWidth || el.scrollHeight > el.clientHeight,
    );
    expect(spills, `"${await tab.textContent()}" fits its tab`).toBe(false);
  }
}

for (const { lang, width, text } of [
  { lang: 'en', width: 360, text: 1.3 },
  { lang: 'en', width: 320, text: 1 },
  { lang: 'en', width: 320, text: 2 },
  { lang: 'zh-CN', width: 360, text: 2 },
] as const) {
  test(`the four tabs are on screen at ${width} px with text at ${text * 100} % (${lang})`, async ({
    page,
  }) => {
    await page.setViewportSize({ width, height: 740 });
    await largerText(page, text);
    await openApp(page);
    await startShift(page, 'Wang Wei');
    await page.goto(`/?lang=${lang}#/`);
    await expect(page.getByRole('button', { name: lang === 'en' ? 'Save' : '保存' })).toBeVisible();
    await expectTabsOnScreen(page);
    expect(await sideways(page)).toBe(0);
  });
}
