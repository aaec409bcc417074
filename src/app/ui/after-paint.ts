/**
 * Calls `fn` once the frame just committed is on screen, a frame later still so the work it
 * starts never holds that frame up (a hidden tab has no frames: after 1 s then; outside a
 * browser, where nothing paints, at once in a task of its own). Returns a function that cancels
 * the call.
 */
export function afterPaint(fn: () => void): () => void {
  if (typeof requestAnimationFrame !== 'function') {
    const task = setTimeout(fn, 0);
    return () => clearTimeout(task);
  }
  let done = false;
  const run = () => {
    if (done) return;
    done = true;
    fn();
  };
  let frame = requestAnimationFrame(() => {
    frame = requestAnimationFrame(() => setTimeout(run, 0));
  });
  const hidden = setTimeout(run, 1000);
  return () => {
    done = true;
    cancelAnimationFrame(frame);
    clearTimeout(hidden);
  };
}

/** Calls `fn` when the page has nothing else to do (a few seconds at most). */
export function whenIdle(fn: () => void): void {
  if (typeof requestIdleCallback === 'function') requestIdleCallback(fn, { timeout: 5000 });
  else setTimeout(fn, 2000);
}
