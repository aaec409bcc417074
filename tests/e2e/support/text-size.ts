/**
 * A phone's larger text (Android's "Font size", Chrome's text scaling) in desktop Chromium: every
 * font size the app's style sheets set, times `factor`, from the first style sheet on and for
 * each one a screen loads later. Lengths in px (paddings, borders, 48 px targets) stay as they
 * are, as on the phone: only the text grows.
 */
import type { Page } from '@playwright/test';

/** Opens every later page of `page` with its text at `factor` (1.3 = 130 %). */
export async function largerText(page: Page, factor: number): Promise<void> {
  await page.addInitScript((f: number) => {
    const scaled = new WeakSet<CSSRule>();
    const scale = (rules: CSSRuleList) => {
      for (const rule of Array.from(rules)) {
        if (scaled.has(rule)) continue;
        scaled.add(rule);
        if (rule instanceof CSSStyleRule) {
          const px = /^([\d.]+)px$/.exec(rule.style.fontSize);
          if (px) rule.style.fontSize = `${Number(px[1]) * f}px`;
        }
        if ('cssRules' in rule) scale((rule as CSSGroupingRule).cssRules);
      }
    };
    const scaleAll = () => {
      for (const sheet of Array.from(document.styleSheets)) scale(sheet.cssRules);
    };
    // The app's sheet, and each a lazy screen adds (a <link> in <head>) once it has loaded.
    document.addEventListener('DOMContentLoaded', () => {
      scaleAll();
      document.addEventListener('load', scaleAll, true);
      new MutationObserver(scaleAll).observe(document.head, { childList: true });
    });
  }, factor);
}
