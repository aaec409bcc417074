/** Where things are drawn on the page, for the layout tests: boxes, overlaps, what is on top. */
import type { Locator } from '@playwright/test';

export type Box = { x: number; y: number; width: number; height: number };

/** The element's box in the viewport; throws when it is not laid out. */
export async function box(locator: Locator): Promise<Box> {
  const b = await locator.boundingBox();
  if (!b) throw new Error('not laid out');
  return b;
}

/** Whether two boxes share any area. */
export const overlaps = (a: Box, b: Box): boolean =>
  a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

/** Whether what is drawn at the middle of `locator` is `locator` itself (nothing over it). */
export const onTop = (locator: Locator): Promise<boolean> =>
  locator.evaluate((el) => {
    const r = el.getBoundingClientRect();
    const hit = document.elementFromPoint(r.x + r.width / 2, r.y + r.height / 2);
    return hit !== null && el.contains(hit);
  });
