/**
 * A live database query for the first screen's components: Dexie's `liveQuery`, re-run whenever
 * what it read changes (in this tab or another), with the database layer loaded on demand
 * (load.ts), after the first paint when nothing has loaded it before. dexie-react-hooks'
 * `useLiveQuery` imports Dexie, which would put it back in the first screen's scripts; the lazily
 * loaded screens, where Dexie is there anyway, keep using it (it can show a value Dexie has
 * cached in the very first render, which this hook cannot). As `useLiveQuery` does: undefined
 * until the first answer, the last answer kept while new deps are read, a re-render only on a new
 * value, and a failed query thrown to the nearest error boundary.
 */
import { useEffect, useReducer, useRef, type DependencyList } from 'react';
import { afterPaint } from '../ui/after-paint';
import { dbLoadStarted, loadDb, type DbModule } from './load';

export function useDbQuery<T>(
  query: (db: DbModule) => T | Promise<T>,
  deps: DependencyList,
): T | undefined {
  const latest = useRef<{ value?: T; error?: unknown }>({});
  const [, rerender] = useReducer((n: number) => n + 1, 0);
  useEffect(() => {
    let alive = true;
    let subscription: { unsubscribe(): void } | undefined;
    const subscribe = () =>
      void loadDb().then(
        (db) => {
          if (!alive) return;
          subscription = db
            .liveQuery(() => query(db))
            .subscribe({
              next: (value) => {
                if ('value' in latest.current && latest.current.value === value) return;
                latest.current = { value };
                rerender();
              },
              error: (error: unknown) => {
                latest.current = { error };
                rerender();
              },
            });
        },
        (error: unknown) => {
          if (!alive) return;
          latest.current = { error };
          rerender();
        },
      );
    // On the first screen nothing has loaded Dexie yet: load it once that screen is painted,
    // not in the frame's way (main.tsx starts it then too).
    const cancel = dbLoadStarted() ? (subscribe(), undefined) : afterPaint(subscribe);
    return () => {
      alive = false;
      cancel?.();
      subscription?.unsubscribe();
    };
    // The caller's deps stand for the query's, as with useEffect.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, deps);
  if ('error' in latest.current) throw latest.current.error;
  return latest.current.value;
}
