/**
 * End of shift: the shift's summary, then "End shift". Ending syncs everything and asks the
 * server for a receipt; the receipt shows only when the server agrees every record arrived.
 * Earlier shifts are listed below with their receipts (one ended offline gets its receipt later,
 * from the sync runner).
 */
import { useLiveQuery } from 'dexie-react-hooks';
import { useEffect, useId, useRef, useState } from 'react';
import {
  endShift,
  getLatestShift,
  getSetting,
  getShift,
  isQuotaError,
  listEndedShifts,
  heldForUndo,
  type Shift,
} from '../../db';
import { newestDraft } from '../../db/draft-copy';
import { draftName } from '../../forms/entry-form';
import { common } from '../../i18n/common';
import { formatDateTime, useGateName, useLocale, useT } from '../../i18n/i18n';
import { hrefOf } from '../../session/route';
import { useSession } from '../../session/session';
import { messages } from './messages';
import { ShiftReceipt } from './shift-receipt';

export default function ShiftEnd() {
  const t = useT(common, messages);
  const { locale } = useLocale();
  const listOf = (names: string[]) => new Intl.ListFormat(locale).format(names);
  const { session, reload, endingHere } = useSession();
  const [endedId, setEndedId] = useState<string | undefined>(undefined);
  const [confirming, setConfirming] = useState(false);
  /** Why the last tap on End shift ended nothing (the phone's storage full, say). */
  const [failure, setFailure] = useState<string | null>(null);
  // The button tapped is replaced by the question, the question by the button or the ended
  // shift: focus goes where the guard's next step is, not to the page's top (it was lost).
  const [focusNext, setFocusNext] = useState<'cancel' | 'end' | 'title' | null>(null);
  const cancelButton = useRef<HTMLButtonElement>(null);
  const endButton = useRef<HTMLButtonElement>(null);
  const title = useRef<HTMLHeadingElement>(null);
  const questionId = useId();
  const shift = useLiveQuery(
    () =>
      session.shift ? getShift(session.shift.id) : endedId ? getShift(endedId) : getLatestShift(),
    [session.shift, endedId],
  );

  // A half-filled entry on the form: ending the shift clears it, so the confirmation names it.
  const unsaved = useLiveQuery(async () => draftName(newestDraft(await getSetting('draft'))), []);

  // Entries held for an Undo question open on the entry form of another tab (this tab's went
  // with its form): ending the shift closes their Undo and sends them, so the confirmation names
  // them. Read again once the soonest of them is no longer held.
  const [heldRead, setHeldRead] = useState(0);
  const held = useLiveQuery(
    async () => (session.shift ? heldForUndo(session.shift.id) : []),
    [session.shift, heldRead],
  );
  useEffect(() => {
    if (!held?.length) return;
    const soonest = Math.min(...held.map((r) => r.savedAt));
    const timer = setTimeout(() => setHeldRead((n) => n + 1), soonest - Date.now());
    return () => clearTimeout(timer);
  }, [held]);

  const ended = !!shift?.endedAt;
  useEffect(() => {
    // The title once it says the shift ended, not while it still says "End of shift".
    if (focusNext === null || (focusNext === 'title' && !ended)) return;
    const target = focusNext === 'cancel' ? cancelButton : focusNext === 'end' ? endButton : title;
    target.current?.focus();
    setFocusNext(null);
  }, [focusNext, ended]);

  if (shift === undefined) return <p>{t('noShift')}</p>;

  const onEnd = async () => {
    setConfirming(false);
    setFailure(null);
    endingHere(shift.id);
    try {
      await endShift(shift.id);
    } catch (err) {
      endingHere(undefined);
      // Nothing changed (one transaction): the shift goes on, and "End shift" is there again.
      setFailure(
        isQuotaError(err)
          ? t('endFailedQuota')
          : t('endFailed', { message: (err as Error).message }),
      );
      setFocusNext('end');
      return;
    }
    setFocusNext('title');
    setEndedId(shift.id);
    await reload();
  };

  return (
    <section aria-labelledby="shift-end-title">
      <h1 id="shift-end-title" ref={title} tabIndex={-1}>
        {shift.endedAt ? t('ended') : t('endTitle')}
      </h1>
      <ShiftSummary shift={shift} />
      {!shift.endedAt &&
        (confirming ? (
          <div className="card" role="group" aria-labelledby={questionId}>
            <p id={questionId}>{t('confirmEnd')}</p>
            {unsaved && (
              <p className="notice warn" role="alert">
                {t('draftDropped', { name: unsaved })}
              </p>
            )}
            {held && held.length > 0 && (
              <p className="notice warn" role="alert">
                {t('undoOpen', { names: listOf(held.map((r) => r.record.person.name)) })}
              </p>
            )}
            <div className="row">
              <button
                ref={cancelButton}
                type="button"
                className="btn"
                onClick={() => {
                  setConfirming(false);
                  setFocusNext('end');
                }}
              >
                {t('cancel')}
              </button>
              <button type="button" className="btn danger" onClick={() => void onEnd()}>
                {t('endShift')}
              </button>
            </div>
          </div>
        ) : (
          <button
            ref={endButton}
            type="button"
            className="btn danger block big"
            onClick={() => {
              setConfirming(true);
              setFocusNext('cancel');
            }}
          >
            {t('endShift')}
          </button>
        ))}
      {!shift.endedAt && failure !== null && (
        <p className="notice danger" role="alert">
          {failure}
        </p>
      )}
      {shift.endedAt && session.endedElsewhere?.id === shift.id && (
        // This tab showed the shift's end screen, and another tab ended it.
        <p className="notice warn" role="alert">
          {t('endedElsewhere', { guard: session.endedElsewhere.guard })}
        </p>
      )}
      {shift.endedAt && (
        <>
          <ShiftReceipt shiftId={shift.id} />
          <p>
            <a className="btn primary block" href={hrefOf('checkpoint')}>
              {t('nextShift')}
            </a>
          </p>
        </>
      )}
      <EarlierShifts shown={shift.id} />
    </section>
  );
}

/** The phone's earlier ended shifts, each with its receipt, or the wait for it, on a tap. */
function EarlierShifts({ shown }: { shown: string }) {
  const t = useT(common, messages);
  const { locale } = useLocale();
  const [open, setOpen] = useState<string | null>(null);
  const shifts = useLiveQuery(() => listEndedShifts(EARLIER_SHIFTS + 1), []);
  const earlier = shifts?.filter((s) => s.id !== shown).slice(0, EARLIER_SHIFTS) ?? [];
  if (earlier.length === 0) return null;
  return (
    <section aria-labelledby="earlier-shifts-title">
      <h2 id="earlier-shifts-title">{t('earlierShifts')}</h2>
      <ul className="earlier-shifts">
        {earlier.map((s) => (
          <li key={s.id}>
            <button
              type="button"
              className="btn block"
              aria-expanded={open === s.id}
              onClick={() => setOpen(open === s.id ? null : s.id)}
            >
              {t('earlierShift', {
                guard: s.guard,
                time: formatDateTime(s.startedAt, locale),
                n: s.counts.total,
              })}{' '}
              ·{' '}
              {s.receipt
                ? t('receiptIn')
                : s.anotherPhone
                  ? t('receiptElsewhere')
                  : t('receiptWaiting')}
            </button>
            {open === s.id && <ShiftReceipt shiftId={s.id} />}
          </li>
        ))}
      </ul>
    </section>
  );
}

const EARLIER_SHIFTS = 6;

function ShiftSummary({ shift }: { shift: Shift }) {
  const t = useT(common, messages);
  const { session } = useSession();
  const showGate = useGateName();
  const gateName = shift.gateId === session.gate?.id ? showGate(session.gate.name) : shift.gateId;
  const { locale } = useLocale();
  const c = shift.counts;
  const rows: [string, number][] = [
    [t('total'), c.total],
    [t('direction.in'), c.in],
    [t('direction.out'), c.out],
    [t('fever'), c.fever],
    [t('returnee'), c.returnees],
    [t('decision.refused'), c.refused],
  ];
  return (
    <div className="card">
      <h2>{t('summary')}</h2>
      <p className="muted">
        {t('gate')}
        {t('colon')}
        {gateName} · {t('guard')}
        {t('colon')}
        {shift.guard} · {t('startedAt', { time: formatDateTime(shift.startedAt, locale) })}
      </p>
      <dl className="counts">
        {rows.map(([label, n]) => (
          <div key={label}>
            <dt>{label}</dt>
            <dd>{n}</dd>
          </div>
        ))}
      </dl>
    </div>
  );
}
