/**
 * Counts and filters of the logbook, over compact rows in single passes: a busy gate's day
 * (10,000 rows and more) is counted and split by filter, or searched, in a few milliseconds on a
 * phone.
 *
 * A correction replaces its original in the counts (as in the shift's own counts), while both
 * stay in the list. A correction of an entry the rows do not hold (made in this shift, of an
 * entry of an earlier one) is listed but counted in the original's shift, not here. "Unsynced" counts records, not people: an original still waiting to be sent
 * is unsynced even after it was corrected.
 */
import { passageAmong } from '../../../shared/rules';
import type { LogRow } from '../../db';

export const LOG_FILTERS = ['in', 'out', 'fever', 'returnees', 'refused', 'unsynced'] as const;
export type LogFilter = (typeof LOG_FILTERS)[number];

export type LogCounts = Record<LogFilter, number> & { total: number };

/** Original id → ids of the rows that correct it, newest first. */
export type CorrectedBy = ReadonlyMap<string, readonly string[]>;

/**
 * The id of the later row that supersedes `r`, if one does: the newest correcting it, or a later
 * correction of the entry it corrects (the newest correction is the one that counts, as on the
 * server). The app corrects the newest version, so the second case is left from entries corrected
 * twice before it did.
 */
export function supersededBy(r: LogRow, correctedBy: CorrectedBy): string | undefined {
  const own = correctedBy.get(r.id)?.[0];
  if (own !== undefined || r.amends === undefined) return own;
  const newest = correctedBy.get(r.amends)?.[0];
  return newest !== undefined && newest > r.id ? newest : undefined;
}

/** Whether a later row supersedes `r` (see `supersededBy`). */
export const superseded = (r: LogRow, correctedBy: CorrectedBy): boolean =>
  supersededBy(r, correctedBy) !== undefined;

/** Whether `r` is a passage of the rows held (see `passageAmong`). */
export const passageHere = (r: LogRow, held: ReadonlyMap<string, LogRow>): boolean =>
  passageAmong(r, held);

/** Each count filter's rows, in the list's order. */
export type FilterLists = Readonly<Record<LogFilter, readonly LogRow[]>>;

/**
 * Every count filter's rows from one pass, and so the counts (a filter's count is its length).
 * Done once the list is complete, not at the tap: a tap on a count then shows a list already
 * made, instead of a pass over every row between the tap and its frame.
 */
export function splitRows(
  rows: readonly LogRow[],
  correctedBy: CorrectedBy,
  held: ReadonlyMap<string, LogRow>,
): { counts: LogCounts; lists: FilterLists } {
  const lists: Record<LogFilter, LogRow[]> = {
    in: [],
    out: [],
    fever: [],
    returnees: [],
    refused: [],
    unsynced: [],
  };
  for (const r of rows) {
    if (r.syncState !== 'synced') lists.unsynced.push(r);
    if (superseded(r, correctedBy)) continue;
    if (r.amends !== undefined && !passageHere(r, held)) continue;
    (r.direction === 'in' ? lists.in : lists.out).push(r);
    if (r.fever) lists.fever.push(r);
    if (r.returnee) lists.returnees.push(r);
    if (r.decision === 'refused') lists.refused.push(r);
  }
  const counts = { total: lists.in.length + lists.out.length } as LogCounts;
  for (const f of LOG_FILTERS) counts[f] = lists[f].length;
  return { counts, lists };
}

/**
 * Whether `r` is one of `filter`'s rows. A row a correction superseded counts only as not yet
 * synced; that is looked up last, for the few rows with the flag (a map lookup on each of
 * 10,000 rows was most of a filter tap's own work).
 */
function matchesFilter(r: LogRow, filter: LogFilter, correctedBy: CorrectedBy): boolean {
  if (filter === 'unsynced') return r.syncState !== 'synced';
  let flagged: boolean;
  switch (filter) {
    case 'in':
    case 'out':
      flagged = r.direction === filter;
      break;
    case 'fever':
      flagged = r.fever;
      break;
    case 'returnees':
      flagged = r.returnee;
      break;
    case 'refused':
      flagged = r.decision === 'refused';
      break;
  }
  return flagged && !superseded(r, correctedBy);
}

/**
 * Rows matching a count filter and a search query: name, phone or address containing the
 * query, or an ID number ending with it. Returns the same array when nothing filters, and the
 * filter's list from `lists` (`splitRows` of the same rows) when only a count filters. Without
 * `lists` (the rows still loading, their counts not shown yet), a count's filter also lists a
 * correction made here of an entry of an earlier shift, which `splitRows` leaves out.
 */
export function filterRows(
  rows: readonly LogRow[],
  filter: LogFilter | null,
  query: string,
  correctedBy: CorrectedBy,
  lists?: FilterLists,
): readonly LogRow[] {
  const q = query.trim().toLowerCase();
  if (filter === null && q === '') return rows;
  const listed = filter !== null ? lists?.[filter] : undefined;
  if (listed && q === '') return listed;
  const qUpper = q.toUpperCase();
  const out: LogRow[] = [];
  for (const r of listed ?? rows) {
    if (filter !== null && !listed && !matchesFilter(r, filter, correctedBy)) continue;
    if (
      q !== '' &&
      !r.haystack.includes(q) &&
      !(r.idNumber !== '' && r.idNumber.endsWith(qUpper))
    ) {
      continue;
    }
    out.push(r);
  }
  return out;
}
