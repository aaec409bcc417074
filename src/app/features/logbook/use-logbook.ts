/** The logbook's data hooks: live rows of a scope, one record, and the records correcting it. */
import { useLiveQuery } from 'dexie-react-hooks';
import {
  findCorrections,
  getRecord,
  getRecords,
  loadLogRows,
  type LogRow,
  type LogScope,
  type StoredRecord,
} from '../../db';

/** The scope's rows, newest first, kept live; undefined while loading. */
export function useLogRows(scope: LogScope | undefined): LogRow[] | undefined {
  const key = scope ? JSON.stringify(scope) : '';
  return useLiveQuery(() => (scope ? loadLogRows(scope) : []), [key]);
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
