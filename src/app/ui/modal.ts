/**
 * What a modal layer (the full-screen alerts, the logbook's record sheet) needs to be modal for
 * keyboards and screen readers: it is portalled out of the app's root, which stays inert while
 * any layer is open, and Tab goes round the layer's own controls.
 */
import { useEffect, type KeyboardEvent } from 'react';

/** Modal layers on screen: the page behind stays inert while there is one. */
let open = 0;

/**
 * Makes #root inert while the calling layer is mounted; `afterClose` runs once it is not any
 * more (an element in an inert root cannot take focus).
 */
export function useInertRoot(afterClose?: () => void): void {
  useEffect(() => {
    const root = document.getElementById('root');
    if (open++ === 0) root?.setAttribute('inert', '');
    return () => {
      if (--open === 0) root?.removeAttribute('inert');
      afterClose?.();
    };
    // Once for the layer's life: what to do after it is read when it closes.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);
}

/** What Tab can reach (no positive tabindex in the app: the order is the document's). */
const TABBABLE =
  'a[href], button:not(:disabled), input:not(:disabled), select:not(:disabled), ' +
  'textarea:not(:disabled), [tabindex]:not([tabindex="-1"])';

/**
 * A modal layer's onKeyDown: Tab from its last control goes round to its first, Shift+Tab from
 * its first (or from outside its controls) to its last, instead of out to the browser's.
 */
export function trapTab(e: KeyboardEvent<HTMLElement>): void {
  if (e.key !== 'Tab') return;
  const controls = e.currentTarget.querySelectorAll<HTMLElement>(TABBABLE);
  const first = controls[0];
  const last = controls[controls.length - 1];
  if (!first || !last) return;
  const active = document.activeElement;
  const atEdge = e.shiftKey
    ? active === first || !Array.prototype.includes.call(controls, active)
    : active === last;
  if (!atEdge) return;
  e.preventDefault();
  (e.shiftKey ? last : first).focus();
}
