/**
 * The logbook: this shift's entries, or a day's at this gate (today, or an earlier day the phone
 * still holds), newest first, live as entries are saved and sent. The counts are also the filters; a search box finds a person by name, phone,
 * the end of the ID number or the address. Tapping an entry shows it in full and lets the guard
 * correct it with a new, amending entry.
 *
 * The newest entries show at once and the older ones load behind them (see log-store.ts); until
 * they are all in, a count not known yet shows "…" and a search says it is still looking.
 */
import { useCallback, useDeferredValue, useEffect, useMemo, useRef, useState } from 'react';
import { createPortal } from 'react-dom';
import { addDays } from '../../../shared/rules';
import { localToday, RETENTION_DAYS, type LogScope } from '../../db';
import { common } from '../../i18n/common';
import { useT } from '../../i18n/i18n';
import { rejectionMessages } from '../../i18n/rejection-messages';
import { useSession, type Session } from '../../session/session';
import { Toast } from '../../ui/toast';
import { LogDetails } from './log-details';
import { LogList } from './log-list';
import { logStoreFor } from './log-store';
import { messages } from './messages';
import { LOG_FILTERS, filterRows, type LogFilter } from './summarize';
import { useLogView } from './use-logbook';
import './logbook.css';

type ScopeKind = LogScope['kind'];

const TOAST_MS = 4_000;
const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** The logbook opens on the shift in progress, or on today when there is none. */
const openingKind = (session: Session): ScopeKind => (session.shift ? 'shift' : 'day');

const gateOf = (session: Session) => session.shift?.gateId ?? session.gate?.id ?? 'local';

function scopeOf(kind: ScopeKind, session: Session, day: string): LogScope | undefined {
  if (kind === 'day') return { kind: 'day', gateId: gateOf(session), day };
  return session.shift ? { kind: 'shift', shiftId: session.shift.id } : undefined;
}

/**
 * Begins reading the newest entries of the scope the logbook opens on, from the tap that opens
 * it: the read runs while the tap becomes a route change and React renders the screen.
 */
export function prefetchLogbook(session: Session): void {
  const scope = scopeOf(openingKind(session), session, localToday());
  if (scope) logStoreFor(scope);
}

export { renewWhileHidden } from './log-store';

/**
 * `visible`: false while the screen is rendered hidden (kept-logbook.tsx keeps it so between
 * openings); it then watches nothing, and is shown again with rows that are still the
 * database's. `renewals` changes when the hidden screen's rows were read again: it renders with
 * them.
 */
export default function LogbookScreen({
  visible = true,
}: {
  visible?: boolean;
  renewals?: number;
}) {
  const t = useT(common, messages, rejectionMessages);
  const { session } = useSession();
  const { shift } = session;
  const today = localToday();
  const [kind, setKind] = useState(() => openingKind(session));
  /** An earlier day chosen to look back on (yesterday's entries, to find or correct one). */
  const [pickedDay, setPickedDay] = useState<string | null>(null);
  // A day chosen is kept until the guard goes back to today (or that day becomes today).
  const day = pickedDay !== null && pickedDay < today ? pickedDay : today;
  // The screen is kept between openings: when a shift ends or begins meanwhile, it shows what it
  // would open on afresh (today's entries once the shift ended, not "no shift in progress").
  const [shiftSeen, setShiftSeen] = useState(shift?.id);
  if (shift?.id !== shiftSeen) {
    setShiftSeen(shift?.id);
    setKind(openingKind(session));
  }
  const [filter, setFilter] = useState<LogFilter | null>(null);
  const [query, setQuery] = useState('');
  const deferredQuery = useDeferredValue(query);
  const [openId, setOpenId] = useState<string | null>(null);
  /** The entry open is being corrected (it was opened to be: the newest version of another). */
  const [openToCorrect, setOpenToCorrect] = useState(false);
  const [toast, setToast] = useState<string | null>(null);
  const returnFocus = useRef<HTMLElement | null>(null);

  useEffect(() => {
    if (toast === null) return;
    const timer = setTimeout(() => setToast(null), TOAST_MS);
    return () => clearTimeout(timer);
  }, [toast]);
  // Hidden (kept-logbook.tsx keeps the screen between openings): a toast is not shown again on
  // return.
  useEffect(() => () => setToast(null), []);

  const scope = useMemo(() => scopeOf(kind, session, day), [kind, session, day]);
  const view = useLogView(scope, visible);
  const { rows, complete, counts, lists, correctedBy } = view;
  const shown = useMemo(
    () => filterRows(rows, filter, deferredQuery, correctedBy, lists),
    [rows, filter, deferredQuery, correctedBy, lists],
  );

  const open = useCallback((id: string, correct = false) => {
    if (
      document.activeElement instanceof HTMLElement &&
      !document.activeElement.closest('.log-sheet')
    ) {
      returnFocus.current = document.activeElement;
    }
    setToast(null);
    setOpenToCorrect(correct);
    setOpenId(id);
  }, []);
  const close = useCallback(() => {
    setOpenId(null);
    const el = returnFocus.current;
    returnFocus.current = null;
    if (el?.isConnected) requestAnimationFrame(() => el.focus());
  }, []);
  const corrected = useCallback(
    (id: string) => {
      setOpenToCorrect(false);
      setOpenId(id);
      setToast(t('correctionSaved'));
    },
    [t],
  );

  const filtering = filter !== null || deferredQuery.trim() !== '';
  // A row in the list has its corrections in it too: they are newer, and load first.
  const known =
    openId !== null && view.byId.has(openId) ? (correctedBy.get(openId) ?? []) : undefined;

  let status: string | null = null;
  if (view.failed) status = t('loadFailed');
  else if (rows.length === 0) {
    status = !complete
      ? t('loading')
      : day < today
        ? t('emptyDay', { days: RETENTION_DAYS })
        : t('empty');
  } else if (filtering && complete) {
    status =
      shown.length === 0 ? t('noMatch') : t('showing', { shown: shown.length, total: rows.length });
  } else if (filtering) status = shown.length === 0 ? t('searchingMore') : t('moreMayMatch');
  else if (!complete) status = t('loadingMore');

  return (
    <section className="logbook" aria-labelledby="logbook-title">
      <div className="log-head">
        <h1 id="logbook-title">{t('title')}</h1>
        <div className="log-scope" role="group" aria-label={t('scope')}>
          {(['shift', 'day'] as const).map((k) => (
            <button
              key={k}
              type="button"
              className="btn"
              aria-pressed={kind === k && (k === 'shift' || day === today)}
              onClick={() => {
                setKind(k);
                setPickedDay(null);
              }}
            >
              {t(`scope.${k}`)}
            </button>
          ))}
        </div>
      </div>
      {!shift && session.endedElsewhere && (
        <p className="notice warn" role="status">
          {t('endedElsewhere', { guard: session.endedElsewhere.guard })}
        </p>
      )}
      {kind === 'day' && (
        <div className="log-day" role="group" aria-label={t('day')}>
          <button
            type="button"
            className="btn"
            aria-label={t('dayBefore')}
            onClick={() => setPickedDay(addDays(day, -1))}
          >
            ‹
          </button>
          <input
            type="date"
            aria-label={t('day')}
            value={day}
            max={today}
            required
            onChange={(e) => {
              // Cleared or half-typed in the browser's own field: nothing to show yet.
              if (DAY.test(e.target.value)) setPickedDay(e.target.value);
            }}
          />
          <button
            type="button"
            className="btn"
            aria-label={t('dayAfter')}
            disabled={day >= today}
            onClick={() => setPickedDay(addDays(day, 1))}
          >
            ›
          </button>
        </div>
      )}

      {!shift && kind === 'shift' ? (
        <p className="notice warn">{t('noShift')}</p>
      ) : (
        <>
          <div className="log-counts" role="group" aria-label={t('counts')}>
            {LOG_FILTERS.map((f) => {
              const n = counts[f];
              return (
                <button
                  key={f}
                  type="button"
                  className={n ? `log-count ${f} some` : `log-count ${f}`}
                  aria-pressed={filter === f}
                  onClick={() => setFilter((cur) => (cur === f ? null : f))}
                >
                  <span>{t(`count.${f}`)}</span>{' '}
                  {n === undefined ? (
                    <>
                      <strong aria-hidden="true">…</strong>
                      <span className="sr-only">{t('counting')}</span>
                    </>
                  ) : (
                    <strong>{n}</strong>
                  )}
                </button>
              );
            })}
          </div>
          <div className="log-search">
            <label htmlFor="log-search" className="sr-only">
              {t('searchLabel')}
            </label>
            <input
              id="log-search"
              type="search"
              autoComplete="off"
              enterKeyHint="search"
              placeholder={t('search')}
              value={query}
              onChange={(e) => setQuery(e.target.value)}
            />
          </div>
          <p className={status === null ? 'log-status quiet' : 'log-status'} role="status">
            {status}
            {/* Laid out with the screen even while nothing filters (then out of sight, out of
                reach and out of the accessibility tree): the first tap on a count then lays out
                a button the browser has laid out before. Its first layout was 4–8 ms of that
                tap at 4× CPU (Chromium's trace). */}
            <button
              type="button"
              className={filtering ? 'btn' : 'btn log-clear-idle'}
              aria-hidden={filtering ? undefined : true}
              tabIndex={filtering ? undefined : -1}
              onClick={() => {
                setFilter(null);
                setQuery('');
              }}
            >
              {t('clearFilters')}
            </button>
          </p>
          <LogList
            rows={shown}
            listKey={`${kind} ${day} ${filter ?? ''} ${deferredQuery.trim()}`}
            setSize={complete ? shown.length : filtering ? -1 : (view.total ?? -1)}
            busy={!complete}
            correctedBy={correctedBy}
            today={kind === 'day' ? day : today}
            t={t}
            onOpen={open}
          />
        </>
      )}

      {/* Portalled out of this screen: shown only with it (a Back gesture leaves the logbook). */}
      {openId !== null && visible && (
        <LogDetails
          key={openId}
          id={openId}
          startCorrecting={openToCorrect}
          knownCorrections={known}
          t={t}
          onOpen={open}
          onClose={close}
          onCorrected={corrected}
        />
      )}
      {/* Beside the app's root, as the sheet is: said while the sheet is open (the root is inert
          then, out of a screen reader's hearing). Shown only with this screen. */}
      {toast &&
        visible &&
        createPortal(
          <div className="logbook-toast">
            <Toast>{toast}</Toast>
          </div>,
          document.body,
        )}
    </section>
  );
}
