/**
 * Lays out a copy of `el` once, out of sight and out of the page's flow, and drops it in the
 * same task (nothing paints it, nothing can focus or read it). For a screen rendered hidden:
 * `display: none` is never laid out, so the first frame that shows it finds and shapes all its
 * text — on a phone most of that frame's layout. The browser keeps its fonts and shaped words,
 * so the frame then lays out text it has seen.
 */
export function layOutCopy(el: HTMLElement): void {
  const copy = el.cloneNode(true) as HTMLElement;
  copy.removeAttribute('id');
  for (const withId of copy.querySelectorAll('[id]')) withId.removeAttribute('id');
  copy.setAttribute('aria-hidden', 'true');
  copy.inert = true;
  copy.style.cssText =
    'position:absolute;top:0;left:0;width:100%;visibility:hidden;pointer-events:none;contain:layout style';
  el.after(copy);
  copy.getBoundingClientRect();
  copy.remove();
}
