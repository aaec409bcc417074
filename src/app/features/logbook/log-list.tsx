/**
 * The virtualised list of entries: only the rows in and near the viewport are in the DOM, so
 * 10,000 rows scroll like 10. It scrolls with the page (no nested scroller), which is what a
 * thumb on a phone expects. Each row rendered is measured: larger text makes rows taller (76 px
 * at normal text cut their second line off at 130 %), and the rows not rendered yet are taken
 * to be as tall as the last one measured.
 */
import { useWindowVirtualizer, type Virtualizer } from '@tanstack/react-virtual';
import { memo, useCallback, useEffect, useRef, useState } from 'react';
import { localIsoWithOffset, uuidv7Time, type LogRow } from '../../db';
import { formatDate, useLocale, type Locale, type Translate } from '../../i18n/i18n';
import { afterPaint } from '../../ui/after-paint';
import { supersededBy, type CorrectedBy } from './summarize';

/**
 * Height of one row in CSS pixels at normal text (two lines of text and padding; the whole row is
 * the target), and its least.
 */
export const LOG_ROW_PX = 76;
/** The last row measured, for the rows not rendered yet; kept for the next list too. */
let typicalRowPx = LOG_ROW_PX;
const rowHeight = () => typicalRowPx;
/**
 * A rendered row's height, rounded up (rounded down, the next row covered the last fraction of
 * its border). A row of the logbook kept hidden (kept-logbook.tsx), or outside a browser,
 * measures 0: it keeps the height it had.
 */
function measureRow(
  li: HTMLLIElement,
  entry: ResizeObserverEntry | undefined,
  virtualizer: Virtualizer<Window, HTMLLIElement>,
): number {
  const px = Math.ceil(entry?.borderBoxSize[0]?.blockSize ?? li.getBoundingClientRect().height);
  if (px > 0) return (typicalRowPx = px);
  const key = virtualizer.options.getItemKey(virtualizer.indexFromElement(li));
  return virtualizer.itemSizeCache.get(key) ?? typicalRowPx;
}
/**
 * Rows rendered beyond the screen on either side, for a thumb's scroll. A list that has just
 * changed (another filter, a search, the other scope) gets them only once its first frame is
 * painted: that frame shows the rows on screen, and lays out no more.
 */
const OVERSCAN = 6;

interface LogListProps {
  rows: readonly LogRow[];
  /** Which list this is (scope, filter, search): the rows of one list change as entries do. */
  listKey: string;
  /** How many entries the list has in all; -1 while that is not known yet. */
  setSize: number;
  /** More entries are still loading. */
  busy: boolean;
  correctedBy: CorrectedBy;
  today: string;
  t: Translate;
  onOpen: (id: string) => void;
}

export function LogList({
  rows,
  listKey,
  setSize,
  busy,
  correctedBy,
  today,
  t,
  onOpen,
}: LogListProps) {
  const listRef = useRef<HTMLUListElement>(null);
  const [scrollMargin, setScrollMargin] = useState(0);
  // The list whose first frame is painted: it has its rows beyond the screen too.
  const [painted, setPainted] = useState(listKey);
  // The list starts below the toolbar, whose height changes with the status line (so with the
  // rows shown) and with the width of the screen. Rows are placed relative to the list, so the
  // margin only decides which rows are rendered: measured once the frame is painted, it does
  // not hold that frame up with a layout of its own (after a tap on a filter, React runs this
  // effect before the frame).
  useEffect(() => {
    const measure = () => {
      const el = listRef.current;
      if (el) setScrollMargin(Math.round(el.getBoundingClientRect().top + window.scrollY));
    };
    const cancel = afterPaint(() => {
      measure();
      setPainted(listKey);
    });
    addEventListener('resize', measure);
    return () => {
      cancel();
      removeEventListener('resize', measure);
    };
  }, [rows, listKey]);
  // Stable while the rows are: a new key function makes the virtualizer re-lay out every row.
  const getItemKey = useCallback((i: number) => rows[i]!.id, [rows]);
  const virtualizer = useWindowVirtualizer<HTMLLIElement>({
    count: rows.length,
    estimateSize: rowHeight,
    measureElement: measureRow,
    // The window's size from the first render on: without it the first commit has no rows, and
    // they come in a second render after the virtualizer has measured the window.
    initialRect: { width: window.innerWidth, height: window.innerHeight },
    overscan: painted === listKey ? OVERSCAN : 0,
    scrollMargin,
    getItemKey,
    useFlushSync: false,
  });
  const items = virtualizer.getVirtualItems();
  return (
    <ul
      ref={listRef}
      className="log-list"
      aria-label={t('list')}
      aria-busy={busy}
      style={{ height: virtualizer.getTotalSize() }}
    >
      {items.map((item) => {
        const row = rows[item.index]!;
        return (
          <li
            key={item.key}
            ref={virtualizer.measureElement}
            data-index={item.index}
            aria-setsize={setSize}
            aria-posinset={item.index + 1}
            style={{ transform: `translateY(${item.start - scrollMargin}px)` }}
          >
            <LogRowButton
              row={row}
              syncState={row.syncState}
              correctedBy={supersededBy(row, correctedBy)}
              showDate={row.day !== today}
              t={t}
              onOpen={onOpen}
            />
          </li>
        );
      })}
    </ul>
  );
}

/**
 * "14:05": the wall-clock time the record carries, as the gate's clock showed it (the same in
 * both languages). Read from the string: the first frame of a long list need not wait for the
 * phone's date formatter to start up.
 */
const clockTime = (occurredAt: string) => occurredAt.slice(11, 16);

/**
 * When the entry `id` was made, on the phone's clock (its UUIDv7 says): "14:05", with the date
 * when not on `day`, the day of the passage it is listed under. Only corrections are asked, so
 * the few rows on screen that are or have one; undefined for an id that holds no time.
 */
function madeAt(id: string, day: string, locale: Locale): string | undefined {
  const ms = uuidv7Time(id);
  if (ms === undefined) return undefined;
  const local = localIsoWithOffset(new Date(ms));
  const time = local.slice(11, 16);
  return local.slice(0, 10) === day ? time : `${formatDate(local.slice(0, 10), locale)} ${time}`;
}

interface LogRowButtonProps {
  row: LogRow;
  /** Apart from the row, which keeps its identity when only its state changes. */
  syncState: LogRow['syncState'];
  /** The id of the correction that supersedes this row, if one does. */
  correctedBy: string | undefined;
  showDate: boolean;
  t: Translate;
  onOpen: (id: string) => void;
}

/**
 * A row re-renders only when what it shows changes. A record never changes but for its outbox
 * state (a prop of its own), so a row read again — a new object for the same record, as when
 * the logbook is shown again and reads its rows afresh — is the same row.
 */
function sameRow(a: LogRowButtonProps, b: LogRowButtonProps): boolean {
  return (
    a.row.id === b.row.id &&
    a.row.day === b.row.day &&
    a.syncState === b.syncState &&
    a.correctedBy === b.correctedBy &&
    a.showDate === b.showDate &&
    a.t === b.t &&
    a.onOpen === b.onOpen
  );
}

const LogRowButton = memo(function LogRowButton({
  row,
  syncState,
  correctedBy,
  showDate,
  t,
  onOpen,
}: LogRowButtonProps) {
  const { locale } = useLocale();
  const time = clockTime(row.occurredAt);
  // A correction keeps the time of the passage it corrects, and is listed when it was made
  // (newest first): its tag says when that was, and the entry it supersedes, in its place,
  // says when it was corrected.
  const corrected = correctedBy !== undefined;
  const correctedWhen = correctedBy && madeAt(correctedBy, row.day, locale);
  const correctedTag = correctedWhen
    ? t('correctedAt', { time: correctedWhen })
    : corrected && t('corrected');
  const correctionWhen = row.amends !== undefined && madeAt(row.id, row.day, locale);
  const correctionTag = correctionWhen
    ? t('correctionAt', { time: correctionWhen })
    : row.amends !== undefined && t('correction');
  const date = showDate ? formatDate(row.day, locale) : '';
  const temperature =
    row.temperatureC === undefined ? '' : t('degrees', { t: row.temperatureC.toFixed(1) });
  const decision = row.decision === 'referred' ? t('row.referred') : t(`decision.${row.decision}`);
  // One spoken sentence: the row's words in the order they are shown (so a guard using voice
  // control can say what they see, WCAG 2.5.3), a fever said first, as red says it on screen.
  const label = [
    row.fever && t('fever'),
    date ? `${date} ${time}` : time,
    row.name,
    temperature,
    t(`direction.${row.direction}`),
    t(`category.${row.category}`),
    decision,
    t(`row.${syncState}`),
    row.returnee && t('row.returnee'),
    correctedTag,
    correctionTag,
  ]
    .filter(Boolean)
    .join(', ');
  return (
    <button
      type="button"
      className={corrected ? 'log-row corrected' : 'log-row'}
      aria-label={label}
      onClick={() => onOpen(row.id)}
    >
      {/* The spaces between the flex items are not laid out; they keep the words apart in the
          row's text, which must read as its spoken name does. */}
      <span className="log-line">
        <span className="log-time">
          {date && <span className="log-date">{date} </span>}
          {time}
        </span>{' '}
        <span className="log-name">{row.name}</span>
        {temperature && (
          <>
            {' '}
            <span className={row.fever ? 'log-temp fever' : 'log-temp'}>{temperature}</span>
          </>
        )}
      </span>{' '}
      <span className="log-line log-sub">
        <span className={`log-dir ${row.direction}`}>{t(`direction.${row.direction}`)}</span>{' '}
        <span className="log-category">{t(`category.${row.category}`)}</span>{' '}
        <span className={row.decision === 'admitted' ? undefined : 'log-decision-alert'}>
          {decision}
        </span>{' '}
        <span className={`log-sync ${syncState}`}>{t(`row.${syncState}`)}</span>
      </span>
      {/* Last in the row's text, as its spoken name says them; drawn on the row's top edge
          (logbook.css), for in the second line they took a third one at 360 px. A returnee's
          mark first: whom the gate must follow up (home quarantine), marked as a fever is. */}
      {(row.returnee || correctedTag || correctionTag) && (
        <>
          {' '}
          <span className="log-marks">
            {row.returnee && <span className="log-tag returnee">{t('row.returnee')}</span>}
            {row.returnee && (correctedTag || correctionTag) && ' '}
            {correctedTag && <span className="log-tag">{correctedTag}</span>}
            {correctedTag && correctionTag && ' '}
            {correctionTag && <span className="log-tag">{correctionTag}</span>}
          </span>
        </>
      )}
    </button>
  );
}, sameRow);
