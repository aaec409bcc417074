/**
 * The logbook, kept rendered. While the guard waits for the next person its code is read in and
 * the screen is rendered hidden (React's Activity: out of sight and of the accessibility tree,
 * and without effects, so nothing is watched for it while hidden). It stays rendered when the
 * guard goes back to the form, as a tab does. The state is its own, so a render in the
 * background re-renders nothing else.
 *
 * While it is hidden its newest rows are read again once writes pause (log-store.ts): opening it
 * shows rows that are still the database's, or reads them afresh when something was written
 * since.
 */
import { Activity, lazy, useEffect, useMemo, useState } from 'react';
import { afterPaint, whenIdle } from './ui/after-paint';

export const loadLogbook = () => import('./features/logbook/logbook-screen');
const LogbookScreen = lazy(loadLogbook);

const noop = () => {};

export function KeptLogbook({ visible }: { visible: boolean }) {
  const [loaded, setLoaded] = useState(false);
  const [renewals, setRenewals] = useState(0);
  useEffect(
    () => afterPaint(() => whenIdle(() => void loadLogbook().then(() => setLoaded(true), noop))),
    [],
  );
  useEffect(() => {
    if (visible || !loaded) return;
    let stop: (() => void) | undefined;
    let stopped = false;
    void loadLogbook().then((m) => {
      if (!stopped) stop = m.renewWhileHidden(() => setRenewals((n) => n + 1));
    }, noop);
    return () => {
      stopped = true;
      stop?.();
    };
  }, [visible, loaded]);
  // Rendered again only when it is shown or hidden, or its rows were read again.
  const screen = useMemo(
    () => <LogbookScreen visible={visible} renewals={renewals} />,
    [visible, renewals],
  );
  if (!visible && !loaded) return null;
  return <Activity mode={visible ? 'visible' : 'hidden'}>{screen}</Activity>;
}
