/**
 * Counts and filters of the logbook, over compact rows in single passes: a busy gate's day
 * (10,000 rows and more) is counted or filtered in a few milliseconds on a phone, allocating
 * nothing per row.
 *
 * A correction replaces its original in the counts (as in the shift's own counts), while both
 * stay in the list. "Unsynced" counts records, not people: an original still waiting to be sent
 * is unsynced even after it was corrected.
 */
import type { LogRow } from '../../db';

export const LOG_FILTERS = ['in', 'out', 'fever', 'returnees', 'refused', 'unsynced'] as const;
export type LogFilter = (typeof LOG_FILTERS)[number];

export type LogCounts = Record<LogFilter, number> & { total: number };

/** Original id → ids of the rows that correct it, newest first. */
export type CorrectedBy = ReadonlyMap<string, readonly string[]>;

/** The counts of rows, given which of them were corrected. */
export function countRows(rows: readonly LogRow[], correctedBy: CorrectedBy): LogCounts {
  const counts: LogCounts = {
    total: 0,
    in: 0,
    out: 0,
    fever: 0,
    returnees: 0,
    refused: 0,
    unsynced: 0,
  };
  for (const r of rows) {
    if (r.syncState !== 'synced') counts.unsynced++;
    if (correctedBy.has(r.id)) continue;
    counts.total++;
    if (r.direction === 'in') counts.in++;
    else counts.out++;
    if (r.fever) counts.fever++;
    if (r.returnee) counts.returnees++;
    if (r.decision === 'refused') counts.refused++;
  }
  return counts;
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
  return flagged && !correctedBy.has(r.id);
}

/**
 * Rows matching a count filter and a search query: name, phone or address containing the
 * query, or an ID number ending with it. Returns the same array when nothing filters.
 */
export function filterRows(
  rows: readonly LogRow[],
  filter: LogFilter | null,
  query: string,
  correctedBy: CorrectedBy,
): readonly LogRow[] {
  const q = query.trim().toLowerCase();
  if (filter === null && q === '') return rows;
  const qUpper = q.toUpperCase();
  const out: LogRow[] = [];
  for (const r of rows) {
    if (filter !== null && !matchesFilter(r, filter, correctedBy)) continue;
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
