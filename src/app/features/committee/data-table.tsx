/**
 * A list of the committee page as a table: "loading" until it is read, a line of its own when
 * empty, else a table whose frame scrolls sideways on a narrow screen — so the frame takes the
 * keyboard's focus (arrow keys scroll it) and is named as a region.
 */
import type { ReactNode } from 'react';
import { useCommitteeT } from './words';

/** A column's heading; `{ hidden }` is heard, not seen (a column of buttons). */
export type Column = string | { hidden: string };

export function DataTable<T>({
  items,
  caption,
  empty,
  columns,
  row,
}: {
  items: readonly T[] | null;
  caption: string;
  /** What an empty list says; null: nothing (the page says it elsewhere). */
  empty: string | null;
  columns: readonly Column[];
  row: (item: T) => ReactNode;
}) {
  const t = useCommitteeT();
  if (items === null) return empty === null ? null : <p className="muted">{t('logs.loading')}</p>;
  if (items.length === 0) return empty === null ? null : <p className="muted">{empty}</p>;
  return (
    <div className="committee-table-wrap" role="region" aria-label={caption} tabIndex={0}>
      <table className="committee-table">
        <caption className="sr-only">{caption}</caption>
        <thead>
          <tr>
            {columns.map((c, i) => (
              <th key={i} scope="col">
                {typeof c === 'string' ? c : <span className="sr-only">{c.hidden}</span>}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>{items.map(row)}</tbody>
      </table>
    </div>
  );
}
