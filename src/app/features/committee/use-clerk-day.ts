/**
 * The clerk's calendar day, for a page that stays open for days: it turns at the clerk's local
 * midnight (a timer), and is looked at again whenever the page is shown after being hidden (a
 * laptop woken from sleep fires no timer on time). `shownAgain` counts those returns, so a view
 * can read again what it shows.
 */
import { useEffect, useState } from 'react';
import { localToday } from '../../db/time';

/** A local calendar day: YYYY-MM-DD (the phone's `localToday`). */
export const localDay: (d?: Date) => string = localToday;

/** Milliseconds from `now` to the next local midnight (at least 1). */
export function msToMidnight(now: Date = new Date()): number {
  const next = new Date(now.getFullYear(), now.getMonth(), now.getDate() + 1);
  return Math.max(1, next.getTime() - now.getTime());
}

export function useClerkDay(): { today: string; shownAgain: number } {
  const [today, setToday] = useState(localDay);
  const [shownAgain, setShownAgain] = useState(0);
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout>;
    // A timer that fires early (or late) just looks again and waits for the next midnight.
    const arm = () => {
      timer = setTimeout(() => {
        setToday(localDay());
        arm();
      }, msToMidnight());
    };
    arm();
    const onVisibility = () => {
      if (document.visibilityState !== 'visible') return;
      setToday(localDay());
      setShownAgain((n) => n + 1);
      clearTimeout(timer);
      arm();
    };
    document.addEventListener('visibilitychange', onVisibility);
    return () => {
      clearTimeout(timer);
      document.removeEventListener('visibilitychange', onVisibility);
    };
  }, []);
  return { today, shownAgain };
}
