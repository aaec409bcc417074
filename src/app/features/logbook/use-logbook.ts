/** The logbook's data hooks: a scope's rows as they load and change, one record, its corrections. */
import { use, useState, useSyncExternalStore } from 'react';
import { useLiveQuery } from 'dexie-react-hooks';
import { findCorrections, getRecord, getRecords, type LogScope, type StoredRecord } from '../../db';
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
const noSubscription = () => () => {};
const noView = () => NO_VIEW;

/**
 * The scope's rows, newest first, kept live: the newest screenful, then the rest as it loads.
 * The logbook's first render waits (suspends) for that screenful, so its first frame shows it,
 * and so does a render that shows the screen again after it was hidden, when something was
 * written since its rows were read (they were not watched meanwhile). Another scope chosen on
 * screen shows "loading" for the moment its own takes. Hidden (`visible` false), the screen keeps
 * the rows it has and nothing is watched for it.
 */
export function useLogView(scope: LogScope | undefined, visible = true): LogView {
  const store = scope ? logStoreFor(scope, visible) : undefined;
  const [firstKey] = useState(store?.key);
  if (store && store.key === firstKey) use(store.ready);
  return useSyncExternalStore(store?.subscribe ?? noSubscription, store?.getSnapshot ?? noView);
}

/** One stored record, live (its sync state changes); null when absent, undefined while loading. */
export function useStoredRecord(id: string | undefined): StoredRecord | null | undefined {
  return useLiveQuery(async () => (id ? ((await getRecord(id)) ?? null) : null), [id]);
}

/**
 * The records correcting `id`. When the list already knows them (`knownIds`), only those are
 * read; otherwise (a record outside the list's scope) the later records are searched.
 */
export function useCorrections(
  id: string,
  knownIds: readonly string[] | undefined,
): StoredRecord[] | undefined {
  const known = knownIds?.join(',');
  return useLiveQuery(
    () =>
      known !== undefined ? getRecords(known === '' ? [] : known.split(',')) : findCorrections(id),
    [id, known],
  );
}
