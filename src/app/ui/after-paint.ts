/**
 * Calls `fn` once the frame just committed is on screen, a frame later still so the work it
 * starts never holds that frame up (a hidden tab has no frames: after 1 s then). Returns a
 * function that cancels the call.
 */
export function afterPaint(fn: () => void): () => void {
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
