/**
 * A list of the committee page as a table: "loading" until it is read, a line of its own when
 * empty, else a table in a frame that takes the keyboard's focus (arrow keys scroll it when it
 * is wider than the screen) and is named as a region. On a phone-width screen each row is laid
 * out as a card of "heading: value" lines (committee.css), each cell labelled with its column's
 * heading (`data-label`), so no row is read by scrolling sideways; wide screens keep the table.
 */
import { Children, cloneElement, isValidElement, type ReactNode } from 'react';
import { useCommitteeT } from './words';

/** A row with each cell given its column's heading as `data-label` (none for a hidden one). */
function labelled(tr: ReactNode, columns: readonly Column[]): ReactNode {
  if (!isValidElement<{ children?: ReactNode }>(tr)) return tr;
  let i = 0;
  const cells = Children.map(tr.props.children, (cell) => {
    if (!isValidElement<{ 'data-label'?: string }>(cell)) return cell;
    const column = columns[i++];
    return typeof column === 'string' ? cloneElement(cell, { 'data-label': column }) : cell;
  });
  return cloneElement(tr, undefined, cells);
}

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
        <tbody>{items.map((item) => labelled(row(item), columns))}</tbody>
      </table>
    </div>
  );
}
