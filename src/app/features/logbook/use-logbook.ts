/** The logbook's data hooks: a scope's rows as they load and change, one record, its corrections. */
import { use, useEffect, useReducer, useState } from 'react';
import { useLiveQuery } from 'dexie-react-hooks';
import {
  findCorrections,
  getRecord,
  getRecords,
  type LogScope,
  type RecordWithState,
} from '../../db';
import { logStoreFor, type LogView } from './log-store';

const NO_VIEW: LogView = {
  rows: [],
  complete: true,
  total: 0,
  counts: {},
  lists: undefined,
  correctedBy: new Map(),
  byId: new Map(),
  failed: false,
};

/**
 * The scope's rows, newest first, kept live: the newest screenful, then the rest as it loads.
 * The logbook's first render waits (suspends) for that screenful, so its first frame shows it,
 * and so does a render that shows the screen again after it was hidden, when something was
 * written since its rows were read (they were not watched meanwhile). Another scope chosen on
 * screen shows "loading" for the moment its own takes. Hidden (`visible` false), the screen keeps
 * the rows it has and nothing is watched for it.
 *
 * Not `useSyncExternalStore`: that hook keeps the view it last showed until an effect updates
 * it, and a hidden screen runs no effects, so a logbook shown and then hidden held every row it
 * had shown (≈5 MB at 10,000) although it had rendered with newer, fewer rows since. Here a
 * render reads the store's view, and nothing but that render keeps it. A view is never changed
 * once published, so a render cannot see one half-updated.
 */
export function useLogView(scope: LogScope | undefined, visible = true): LogView {
  const store = scope ? logStoreFor(scope, visible) : undefined;
  const [firstKey] = useState(store?.key);
  if (store && store.key === firstKey) use(store.ready);
  const [, published] = useReducer((n: number) => n + 1, 0);
  const view = store ? store.getSnapshot() : NO_VIEW;
  useEffect(() => {
    if (!store) return;
    const stop = store.subscribe(published);
    // Published between the render and this subscription: render again.
    if (store.getSnapshot() !== view) published();
    return stop;
    // `view` is the one this subscription began after; later views come through `published`.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [store]);
  return view;
}

/** One stored record, live (its sync state changes); null when absent, undefined while loading. */
export function useStoredRecord(id: string | undefined): RecordWithState | null | undefined {
  return useLiveQuery(async () => (id ? ((await getRecord(id)) ?? null) : null), [id]);
}

/**
 * The records correcting `id`. When the list already knows them (`knownIds`), only those are
 * read; otherwise (a record outside the list's scope) the later records are searched.
 */
export function useCorrections(
  id: string,
  knownIds: readonly string[] | undefined,
): RecordWithState[] | undefined {
  const known = knownIds?.join(',');
  return useLiveQuery(
    () =>
      known !== undefined ? getRecords(known === '' ? [] : known.split(',')) : findCorrections(id),
    [id, known],
  );
}
