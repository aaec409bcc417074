/**
 * The log of every gate, filtered by gate, days, flag and a search (a person's name, address or
 * phone, or a whole ID or pass number), a page at a time, the newest received first or the
 * oldest, and its CSV export (every matching row, full ID numbers, in the same order).
 */
import { useCallback, useEffect, useMemo, useRef, useState, type FormEvent } from 'react';
import {
  LOG_FLAGS,
  LOGS_MAX_LIMIT,
  LOGS_SEARCH_MAX,
  logsCsvFileName,
  type Gate,
  type Locale,
  type LogFlag,
  type LogItem,
  type LogSummaryResponse,
} from '../../../shared';
import {
  formatCount,
  formatDate,
  formatDateTime,
  formatTime,
  useGateName,
  useLocale,
} from '../../i18n/i18n';
import { Field } from '../../ui/field';
import {
  LOG_PAGE_SIZE,
  queryString,
  type AdminApi,
  type LogOrder,
  type LogQuery,
} from './admin-api';
import { formatPassId, normalizePassId } from '../../../shared/passes';
import { FailureNotice, GateOptions, type ViewProps } from './admin-list';
import { saveFile } from './save-file';
import { DataTable } from './data-table';
import { localDay, useClerkDay } from './use-clerk-day';
import { isGateGone, isRefusal, useCommitteeT } from './words';

export { localDay };

/** The start of a local calendar day, as an ISO time; `days` later when given. */
export function dayStartIso(day: string, days = 0): string {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return new Date(y, m - 1, d + days).toISOString();
}

interface Filter {
  gateId: string;
  fromDay: string;
  toDay: string;
  flag: LogFlag | '';
  search: string;
  order: LogOrder;
}

/** The API's query for a filter: whole local days, `to` inclusive. */
export function queryOf(f: Filter): LogQuery {
  const q = f.search.trim();
  return {
    ...(f.gateId && { gateId: f.gateId }),
    ...(f.fromDay && { from: dayStartIso(f.fromDay) }),
    ...(f.toDay && { to: dayStartIso(f.toDay, 1) }),
    ...(f.flag && { flag: f.flag }),
    ...(q && { q }),
    order: f.order,
  };
}

/**
 * `q` moved on to `now` when it shows the day `was` alone (the page's "today", as it opened),
 * else `q` as it is: days the clerk chose stay chosen.
 */
export function rolledOver<Q extends LogQuery | null>(q: Q, was: string, now: string): Q {
  if (q === null || was === now) return q;
  const { from, to, receivedFrom, receivedTo } = q;
  const day = [dayStartIso(was), dayStartIso(was, 1)];
  // Today's log, or what arrived today from earlier days (its `to` is the day's start).
  if (receivedFrom === undefined && from === day[0] && to === day[1]) {
    return { ...q, from: dayStartIso(now), to: dayStartIso(now, 1) };
  }
  if (receivedFrom === day[0] && receivedTo === day[1] && to === day[0] && from === undefined) {
    return {
      ...q,
      receivedFrom: dayStartIso(now),
      receivedTo: dayStartIso(now, 1),
      to: dayStartIso(now),
    };
  }
  return q;
}

/**
 * What arrived in the days `q` covers but happened before them (a phone that was offline, a
 * shift synced late): listed under the day they happened, so the clerk reading "today" would
 * never see them come. Null for a query with no first day, or already such a list.
 */
export function lateQueryOf(q: LogQuery): LogQuery | null {
  if (q.from === undefined || q.receivedFrom !== undefined) return null;
  return {
    ...(q.gateId && { gateId: q.gateId }),
    ...(q.q && { q: q.q }),
    receivedFrom: q.from,
    ...(q.to && { receivedTo: q.to }),
    to: q.from,
    order: 'desc',
  };
}

/** The CSV's file name: the filter's local days and its flag in `lang` (`logsCsvFileName`). */
export function csvFileName(f: Pick<Filter, 'fromDay' | 'toDay' | 'flag'>, lang: Locale): string {
  return logsCsvFileName(f.fromDay || undefined, f.toDay || undefined, f.flag || undefined, lang);
}

/**
 * Received this long after it happened, a record says when it came: the list is in the order
 * received, so one a phone sent hours late would look out of place by its own time alone.
 */
const RECEIVED_LATE_MS = 15 * 60_000;
const lateBy = (r: Pick<LogItem, 'occurredAt' | 'receivedAt'>) =>
  Date.parse(r.receivedAt) - Date.parse(r.occurredAt);

interface Page {
  /** The query the rows are of (its `queryString`). */
  of: string;
  items: LogItem[];
  nextCursor: string | null;
}

/**
 * How many rows a list shown again (or at midnight) is read with: as many as the clerk had
 * loaded with "Show more", so none of them goes, and a page more when the list had been read to
 * its end, for what came since; never less than a page.
 */
export function rowsToReadAgain(page: {
  items: readonly unknown[];
  nextCursor: string | null;
}): number {
  const more = page.nextCursor === null ? LOG_PAGE_SIZE : 0;
  return Math.max(LOG_PAGE_SIZE, page.items.length + more);
}

/** `rows` rows of `q` (after `cursor`), a request for every 1,000 (the API's most). */
export async function readRows(
  api: AdminApi,
  q: LogQuery,
  rows: number,
  cursor?: string,
): Promise<Omit<Page, 'of'>> {
  const items: LogItem[] = [];
  for (;;) {
    const res = await api.logs(q, cursor, Math.min(rows - items.length, LOGS_MAX_LIMIT));
    items.push(...res.items);
    if (res.nextCursor === null || items.length >= rows) {
      return { items, nextCursor: res.nextCursor };
    }
    cursor = res.nextCursor;
  }
}

type GateCounts = LogSummaryResponse['byGate'][number];

/**
 * The totals gate by gate as the gate filter lists the gates, every one of them: a gate with no
 * record is a row of zeros (a silent gate is what the clerk must see). A gate the page does not
 * know (yet) comes last.
 */
export function countsOfEveryGate(
  gates: readonly Gate[],
  byGate: readonly GateCounts[],
): GateCounts[] {
  const counted = new Map(byGate.map((g) => [g.gateId, g]));
  const known = new Set(gates.map((g) => g.id));
  return [
    ...gates.map(
      (g) =>
        counted.get(g.id) ?? {
          gateId: g.id,
          total: 0,
          fever: 0,
          returnee: 0,
          refused: 0,
          corrected: 0,
        },
    ),
    ...byGate.filter((g) => !known.has(g.gateId)),
  ];
}

/**
 * How many rows the next page brings: a page, or what is left by the summary's count of the list
 * (its flag's when one is chosen) — a page when the count is not known or records came since.
 */
export function nextPageSize(
  summary: LogSummaryResponse | null,
  shown: Pick<LogQuery, 'flag'>,
  page: { items: readonly unknown[] },
): number {
  if (summary === null) return LOG_PAGE_SIZE;
  // Without a flag the list holds the corrected records too; a flag's list does not.
  const listed = shown.flag ? summary[shown.flag] : summary.total + summary.corrected;
  const left = listed - page.items.length;
  return left > 0 ? Math.min(LOG_PAGE_SIZE, left) : LOG_PAGE_SIZE;
}

/**
 * The counts of `q` (null: none wanted), read again when it or `readAgain` changes: those of the
 * same query stay shown while they are read again (the lines below them do not move), another
 * query's are not shown. A failure leaves them out; the list says what went wrong.
 */
function useSummary(
  api: AdminApi,
  q: LogQuery | null,
  /** Changed: read again. */
  readAgain: number,
): LogSummaryResponse | null {
  const [summary, setSummary] = useState<{ of: string; counts: LogSummaryResponse } | null>(null);
  useEffect(() => {
    let current = true;
    if (q === null) return;
    const of = queryString(q);
    api.logSummary(q).then(
      (counts) => current && setSummary({ of, counts }),
      () => current && setSummary(null),
    );
    return () => {
      current = false;
    };
  }, [api, q, readAgain]);
  return q !== null && summary?.of === queryString(q) ? summary.counts : null;
}

/**
 * A record's pass number as printed on the card and in the pass list (7K3M-9QX2), which the
 * clerk matches the row against: a number typed on the phone ("7k3m 9qx2") in that form too, on
 * one line; anything else as the phone sent it.
 */
function PassNumber({ passId }: { passId: string }) {
  const t = useCommitteeT();
  const canonical = normalizePassId(passId);
  return (
    <div>
      <span className="muted">{t('passes.id')} </span>
      {canonical === undefined ? (
        passId
      ) : (
        <span className="committee-pass">{formatPassId(canonical)}</span>
      )}
    </div>
  );
}

export function LogsView({ api, gates, onRefused, onGateGone }: ViewProps) {
  const showGate = useGateName();
  const t = useCommitteeT();
  const { locale } = useLocale();
  const { today, shownAgain } = useClerkDay();
  const [draft, setDraft] = useState<Filter>({
    gateId: '',
    fromDay: today,
    toDay: today,
    flag: '',
    search: '',
    order: 'desc',
  });
  const [shown, setShown] = useState<LogQuery>(() => queryOf(draft));
  const [page, setPage] = useState<Page | null>(null);
  // The totals of what is shown, every flag counted: what the list's pages add up to.
  const summary = useSummary(api, shown, shownAgain);
  /** The log query shown before the clerk opened what arrived late: where "Back" returns. */
  const [beforeLate, setBeforeLate] = useState<LogQuery | null>(null);
  const [busy, setBusy] = useState(false);
  const [exporting, setExporting] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const gateById = useMemo(() => new Map(gates.map((g) => [g.id, g])), [gates]);
  // Gate by gate when every gate is shown.
  const byGate = useMemo(
    () => (summary && shown.gateId === undefined ? countsOfEveryGate(gates, summary.byGate) : null),
    [summary, shown.gateId, gates],
  );
  const badRange = draft.fromDay !== '' && draft.toDay !== '' && draft.toDay < draft.fromDay;

  const failed = useCallback(
    (e: unknown) => {
      if (isRefusal(e)) return onRefused(e);
      setError(e);
      if (isGateGone(e)) onGateGone();
    },
    [onRefused, onGateGone],
  );

  // A gate no longer in the list (read again after it was removed) is no longer chosen.
  useEffect(() => {
    setDraft((f) => (f.gateId && !gates.some((g) => g.id === f.gateId) ? { ...f, gateId: '' } : f));
  }, [gates]);

  /** Reads start here; only the latest one's answer is shown (an earlier one's is stale). */
  const latest = useRef(0);
  /** `rows` rows of `q`, or the next page after `after`'s rows. */
  const load = useCallback(
    async (q: LogQuery, rows = LOG_PAGE_SIZE, after?: Page) => {
      const read = ++latest.current;
      setBusy(true);
      setError(null);
      try {
        const res = await readRows(api, q, rows, after?.nextCursor ?? undefined);
        if (read !== latest.current) return;
        setPage({
          of: queryString(q),
          items: [...(after?.items ?? []), ...res.items],
          nextCursor: res.nextCursor,
        });
      } catch (e) {
        if (read === latest.current) failed(e);
      } finally {
        if (read === latest.current) setBusy(false);
      }
    },
    [api, failed],
  );

  // The rows shown, for a read that must not lose them; set before the read below runs.
  const pageNow = useRef(page);
  useEffect(() => {
    pageNow.current = page;
  });
  // Read again when the page is shown again after being hidden (`shownAgain`), with as many rows
  // as were loaded, in place: the rows the clerk was reading, and where, stay. A query changed
  // at midnight starts again at its first page.
  useEffect(() => {
    const had = pageNow.current;
    void load(shown, had?.of === queryString(shown) ? rowsToReadAgain(had) : LOG_PAGE_SIZE);
  }, [load, shown, shownAgain]);

  // Past the clerk's midnight, "today" is the new day: a form and a list that showed the day the
  // page opened on show the new one (the clerk's own choice of days is kept).
  const [dayShown, setDayShown] = useState(today);
  if (dayShown !== today) {
    setDayShown(today);
    setDraft((f) =>
      f.fromDay === dayShown && f.toDay === dayShown ? { ...f, fromDay: today, toDay: today } : f,
    );
    setShown((q) => rolledOver(q, dayShown, today));
    setBeforeLate((q) => rolledOver(q, dayShown, today));
  }

  // What arrived in the shown days from earlier ones: counted beside the day's totals.
  const lateQuery = useMemo(() => lateQueryOf(shown), [shown]);
  const late = useSummary(api, lateQuery, shownAgain);
  /** Whether a query's days are today alone, as the late line says it. */
  const daysOf = (q: LogQuery) =>
    q.from === dayStartIso(today) && q.to === dayStartIso(today, 1) ? 'today' : 'days';

  const show = (q: LogQuery) => {
    setPage(null);
    setShown(q);
  };
  const openLate = () => {
    if (lateQuery === null) return;
    setBeforeLate(shown);
    show(lateQuery);
  };

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (badRange) return;
    setBeforeLate(null);
    show(queryOf(draft));
  };

  // What the form says now, shown (unless it is already) and exported: a filter changed without
  // pressing Show is not left behind by the file.
  const download = async () => {
    if (badRange) return;
    const q = queryOf(draft);
    if (queryString(q) !== queryString(shown)) {
      setBeforeLate(null);
      show(q);
    }
    setExporting(true);
    setError(null);
    try {
      saveFile(await api.csv(q, locale), csvFileName(draft, locale));
    } catch (e) {
      failed(e);
    } finally {
      setExporting(false);
    }
  };

  const set =
    <K extends keyof Filter>(key: K) =>
    (value: Filter[K]) =>
      setDraft((f) => ({ ...f, [key]: value }));

  return (
    <section aria-labelledby="logs-heading">
      <form className="card committee-filter" onSubmit={submit} noValidate>
        <h2 id="logs-heading">{t('filter.heading')}</h2>
        <div className="committee-filter-fields">
          <Field label={t('filter.gate')}>
            <select value={draft.gateId} onChange={(e) => set('gateId')(e.target.value)}>
              <GateOptions gates={gates} all={t('filter.allGates')} />
            </select>
          </Field>
          <Field label={t('filter.from')}>
            <input
              type="date"
              value={draft.fromDay}
              onChange={(e) => set('fromDay')(e.target.value)}
            />
          </Field>
          <Field label={t('filter.to')} error={badRange ? t('filter.badRange') : undefined}>
            <input type="date" value={draft.toDay} onChange={(e) => set('toDay')(e.target.value)} />
          </Field>
          <Field label={t('filter.flag')}>
            <select
              value={draft.flag}
              onChange={(e) => set('flag')(e.target.value as LogFlag | '')}
            >
              <option value="">{t('filter.all')}</option>
              {LOG_FLAGS.map((f) => (
                <option key={f} value={f}>
                  {t(`flag.${f}`)}
                </option>
              ))}
            </select>
          </Field>
          <Field label={t('filter.search')} hint={t('filter.searchHint')}>
            <input
              type="search"
              value={draft.search}
              maxLength={LOGS_SEARCH_MAX}
              autoComplete="off"
              onChange={(e) => set('search')(e.target.value)}
            />
          </Field>
          <Field label={t('filter.order')}>
            <select value={draft.order} onChange={(e) => set('order')(e.target.value as LogOrder)}>
              {(['desc', 'asc'] as const).map((o) => (
                <option key={o} value={o}>
                  {t(`order.${o}`)}
                </option>
              ))}
            </select>
          </Field>
        </div>
        <div className="row">
          <button type="submit" className="btn primary" disabled={badRange}>
            {t('filter.show')}
          </button>
          <button type="button" className="btn" onClick={download} disabled={exporting || badRange}>
            {exporting ? t('csv.busy') : t('csv')}
          </button>
        </div>
      </form>

      <FailureNotice
        failure={error}
        onRetry={() =>
          // The rows of another query (a day gone at midnight) are not added to.
          void (page?.of === queryString(shown) ? load(shown, LOG_PAGE_SIZE, page) : load(shown))
        }
      />

      {summary && (
        <p className="committee-summary">
          {t('logs.summary', {
            total: summary.total,
            fever: summary.fever,
            returnee: summary.returnee,
            refused: summary.refused,
          })}
          {summary.corrected > 0 && t('logs.summaryCorrected', { n: summary.corrected })}
        </p>
      )}
      {late && late.total + late.corrected > 0 && (
        <p>
          <button type="button" className="btn committee-late" onClick={openLate}>
            {t(`logs.late.${daysOf(shown)}`, {
              n: late.total + late.corrected,
              fever: late.fever,
            })}
          </button>
        </p>
      )}
      {beforeLate && shown.receivedFrom !== undefined && (
        <p className="row committee-late-shown">
          <strong>{t(`logs.late.shown.${daysOf(beforeLate)}`)}</strong>
          <button
            type="button"
            className="btn"
            onClick={() => {
              setBeforeLate(null);
              show(beforeLate);
            }}
          >
            {t('logs.late.back')}
          </button>
        </p>
      )}
      {byGate && byGate.length > 1 && (
        <DataTable
          items={byGate}
          caption={t('logs.byGate')}
          empty={null}
          columns={[
            t('gate'),
            t('logs.all'),
            t('flag.fever'),
            t('flag.returnee'),
            t('flag.refused'),
          ]}
          row={(g) => (
            <tr key={g.gateId}>
              <th scope="row">{showGate(gateById.get(g.gateId)?.name ?? g.gateId)}</th>
              {[g.total, g.fever, g.returnee, g.refused].map((n, i) => (
                <td key={i}>{formatCount(n, locale)}</td>
              ))}
            </tr>
          )}
        />
      )}

      <p className="muted" role="status">
        {page === null
          ? busy
            ? t('logs.loading')
            : ''
          : page.items.length === 0
            ? t('logs.none')
            : t('logs.count', { n: page.items.length })}
      </p>

      <DataTable
        items={page?.items ?? null}
        caption={t(`logs.caption.${shown.order ?? 'asc'}`)}
        empty={null}
        columns={[
          t('col.time'),
          t('gate'),
          t('direction'),
          t('col.person'),
          t('col.id'),
          t('temperature'),
          t('col.returnee'),
          t('decision'),
          t('guard'),
          t('note'),
        ]}
        row={(r) => {
          // The server's flag, as the fever filter and the CSV have it; a record corrected by a
          // later one is kept in the list but flags nothing any more.
          const corrected = typeof r.correctedBy === 'string';
          const fever = r.isFever === true && !corrected;
          return (
            <tr key={r.id} className={corrected ? 'corrected' : fever ? 'fever' : undefined}>
              <td>
                {formatDateTime(r.occurredAt, locale)}
                {lateBy(r) > RECEIVED_LATE_MS && (
                  <div className="muted">
                    {t('logs.received', {
                      at:
                        localDay(new Date(r.receivedAt)) === localDay(new Date(r.occurredAt))
                          ? formatTime(r.receivedAt, locale)
                          : formatDateTime(r.receivedAt, locale),
                    })}
                  </div>
                )}
                {r.clockSkewed && (
                  <span className="committee-flag" title={t('clockSkewed')}>
                    {' '}
                    ⚠<span className="sr-only">{t('clockSkewed')}</span>
                  </span>
                )}
              </td>
              <td>{showGate(gateById.get(r.gateId)?.name ?? r.gateId)}</td>
              <td>{t(`direction.${r.direction}`)}</td>
              <td>
                {r.person.name}
                <span className="muted"> · {t(`category.${r.person.category}`)}</span>
                {r.person.phone && <div className="muted">{r.person.phone}</div>}
                {r.person.address && <div className="muted">{r.person.address}</div>}
              </td>
              <td>
                {r.person.idNumber ?? ''}
                {r.person.passId && <PassNumber passId={r.person.passId} />}
              </td>
              <td>
                {r.temperatureC !== undefined && (
                  <span className="committee-reading">
                    {t('degrees', { t: r.temperatureC.toFixed(1) })}
                  </span>
                )}
                {fever && <strong className="committee-fever"> {t('fever')}</strong>}
              </td>
              <td>
                {r.returnee.status === 'none' ? (
                  ''
                ) : (
                  <>
                    {t(`returnee.${r.returnee.status}`)}
                    {r.returnee.origin && ` · ${r.returnee.origin}`}
                    {r.returnee.arrivedOn && (
                      <div className="muted">
                        {t('arrivedOn')} {formatDate(r.returnee.arrivedOn, locale)}
                      </div>
                    )}
                    {r.returnee.quarantineUntil && (
                      <div className="muted">
                        {t('quarantineUntil')} {formatDate(r.returnee.quarantineUntil, locale)}
                      </div>
                    )}
                    {/* Whom the committee still has to register: the clerk's follow-up. */}
                    {r.returnee.registered === true && (
                      <div className="muted">{t('registered.yes')}</div>
                    )}
                    {r.returnee.registered === false && (
                      <div className="committee-waiting">{t('registered.no')}</div>
                    )}
                  </>
                )}
              </td>
              <td>
                {t(`decision.${r.decision}`)}
                {r.amends && <div className="muted">{t('correction')}</div>}
                {corrected && <div className="committee-corrected">{t('corrected')}</div>}
              </td>
              <td>{r.guard}</td>
              <td>{r.note ?? ''}</td>
            </tr>
          );
        }}
      />

      {page !== null && page.items.length > 0 && (
        <p>
          {page.nextCursor ? (
            <button
              type="button"
              className="btn"
              disabled={busy}
              onClick={() => void load(shown, LOG_PAGE_SIZE, page)}
            >
              {busy ? t('logs.loading') : t('logs.more', { n: nextPageSize(summary, shown, page) })}
            </button>
          ) : (
            <span className="muted">{t('logs.end')}</span>
          )}
        </p>
      )}
    </section>
  );
}
