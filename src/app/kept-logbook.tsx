/**
 * The logbook, kept rendered. While the guard waits for the next person its code is read in and
 * the screen is rendered hidden (React's Activity: out of sight and of the accessibility tree,
 * and without effects, so nothing is watched for it while hidden). It stays rendered when the
 * guard goes back to the form, as a tab does. The state is its own, so a render in the
 * background re-renders nothing else.
 *
 * While it is hidden its newest rows are read again once writes pause (log-store.ts), and its
 * text has been laid out once: opening it shows rows that are still the database's, or reads
 * them afresh when something was written since, and lays out text the browser has seen.
 */
import { Activity, lazy, useEffect, useMemo, useRef, useState } from 'react';
import { afterPaint, whenIdle } from './ui/after-paint';
import { layOutCopy } from './ui/lay-out-copy';

const importLogbook = () => import('./features/logbook/logbook-screen');
let logbookModule: ReturnType<typeof importLogbook> | undefined;
/**
 * The logbook's code, loaded once. The tab calls this on the finger's press and again on its
 * click: a second `import()` of a chunk is Vite's preload helper again (the chunk's CSS and
 * imports looked up among the page's links): 6.9 ms of a 36 ms tap traced at 4× CPU.
 * A failed load (a chunk not fetched) is tried again by the next caller.
 */
export function loadLogbook(): ReturnType<typeof importLogbook> {
  logbookModule ??= importLogbook().catch((e: unknown) => {
    logbookModule = undefined;
    throw e;
  });
  return logbookModule;
}
const LogbookScreen = lazy(loadLogbook);

const noop = () => {};

export function KeptLogbook({ visible }: { visible: boolean }) {
  const [loaded, setLoaded] = useState(false);
  const [renewals, setRenewals] = useState(0);
  const box = useRef<HTMLDivElement>(null);
  useEffect(
    () => afterPaint(() => whenIdle(() => void loadLogbook().then(() => setLoaded(true), noop))),
    [],
  );
  useEffect(() => {
    if (visible || !loaded) return;
    let stop: (() => void) | undefined;
    let stopped = false;
    void loadLogbook().then((m) => {
      if (stopped) return;
      stop = m.renewWhileHidden(() => {
        setRenewals((n) => n + 1);
        // React keeps a component's render before last too, to build the next one from: once
        // the renewed rows are rendered, the screen renders once more, so nothing holds on to
        // the rows they replaced (≈5 MB at 10,000).
        whenIdle(() => {
          if (!stopped) setRenewals((n) => n + 1);
        });
      });
    }, noop);
    return () => {
      stopped = true;
      stop?.();
    };
  }, [visible, loaded]);
  // Once the hidden screen is in (it waits for its first rows), its text is laid out once.
  useEffect(() => {
    const root = box.current;
    if (!loaded || !root) return;
    const layOut = () =>
      whenIdle(() => {
        const section = root.querySelector('section');
        if (root.isConnected && section?.style.display === 'none') layOutCopy(section);
      });
    if (root.querySelector('section')) return layOut();
    const watch = new MutationObserver(() => {
      if (!root.querySelector('section')) return;
      watch.disconnect();
      layOut();
    });
    watch.observe(root, { childList: true, subtree: true });
    return () => watch.disconnect();
  }, [loaded]);
  // Rendered again only when it is shown or hidden, or its rows were read again.
  const screen = useMemo(
    () => <LogbookScreen visible={visible} renewals={renewals} />,
    [visible, renewals],
  );
  if (!visible && !loaded) return null;
  return (
    <div ref={box} className="kept-logbook">
      <Activity mode={visible ? 'visible' : 'hidden'}>{screen}</Activity>
    </div>
  );
}
