/**
 * An element's height as a CSS variable on <html>, kept as its content and the text size change
 * it: what sits against the bottom bar, the Save bar and the header (the Save bar's place, the
 * page's scroll padding) follows their real height, not the 60 px they have at normal text.
 */
import { useLayoutEffect, type RefObject } from 'react';

/** Keeps `--name` on <html> at the border-box height of `ref`'s element, in px. */
export function useHeightVar(ref: RefObject<HTMLElement | null>, name: `--${string}`): void {
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el || typeof ResizeObserver !== 'function') return;
    const style = document.documentElement.style;
    // Told after layout and before paint: the first frame already has the height.
    const observer = new ResizeObserver(([entry]) => {
      const height = entry?.borderBoxSize?.[0]?.blockSize ?? el.offsetHeight;
      style.setProperty(name, `${Math.ceil(height)}px`);
    });
    observer.observe(el);
    return () => {
      observer.disconnect();
      style.removeProperty(name);
    };
  }, [ref, name]);
}
