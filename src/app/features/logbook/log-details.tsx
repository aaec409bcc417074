/**
 * One entry in full, over the list (which keeps its scroll position underneath): every field,
 * its sync state and the server's reason if it was rejected, links to the entries it corrects
 * or that correct it, and the way to correct it.
 */
import { useEffect, useId, useRef, useState, type ReactNode } from 'react';
import { createPortal } from 'react-dom';
import { findNewestVersion, sendAgain, uuidv7Time, type RecordWithState } from '../../db';
import { formatDate, formatDateTime, useLocale, type Translate } from '../../i18n/i18n';
import { rejectionDetail, rejectionReason } from '../../i18n/rejection-messages';
import { useSession } from '../../session/session';
import { syncSoon } from '../../sync/sync-store';
import { trapTab, useInertRoot } from '../../ui/modal';
import { CorrectionForm } from './correction-form';
import { useCorrections, useStoredRecord } from './use-logbook';

interface LogDetailsProps {
  id: string;
  /** Opens with the correction form. */
  startCorrecting?: boolean;
  /** Ids of the entries correcting this one, when the list knows them (it is in the list). */
  knownCorrections: readonly string[] | undefined;
  t: Translate;
  /** Opens another entry (to be corrected, with `correct`). */
  onOpen: (id: string, correct?: boolean) => void;
  onClose: () => void;
  onCorrected: (id: string) => void;
}

export function LogDetails({
  id,
  startCorrecting = false,
  knownCorrections,
  t,
  onOpen,
  onClose,
  onCorrected,
}: LogDetailsProps) {
  const stored = useStoredRecord(id);
  const [correcting, setCorrecting] = useState(startCorrecting);
  const headingId = useId();
  const heading = useRef<HTMLHeadingElement>(null);
  // Modal: the screen under it inert, out of Tab's and a screen reader's reach (the tabs, the
  // rows); logbook-screen.tsx gives focus back to the row once it is closed.
  useInertRoot();

  useEffect(() => {
    heading.current?.focus();
  }, [id, correcting]);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') onClose();
    };
    addEventListener('keydown', onKey);
    return () => removeEventListener('keydown', onKey);
  }, [onClose]);

  let body: ReactNode;
  if (stored === undefined) body = <p>{t('loading')}</p>;
  else if (stored === null) body = <p className="notice warn">{t('notFound')}</p>;
  else if (correcting) {
    body = (
      <CorrectionForm
        original={stored}
        t={t}
        onCancel={() => setCorrecting(false)}
        onSaved={(newId) => {
          setCorrecting(false);
          onCorrected(newId);
          // Sent as a new entry is: it waited for the next start or timer before.
          syncSoon();
        }}
      />
    );
  } else {
    body = (
      <RecordDetails
        stored={stored}
        knownCorrections={knownCorrections}
        t={t}
        onOpen={onOpen}
        onCorrect={(target) => {
          if (target === id) {
            setCorrecting(true);
            return;
          }
          // An entry corrected already is corrected from its newest version, so the fixes made
          // then stay, and the shift counts that version out instead of the original again.
          void findNewestVersion(target).then((newest) => onOpen(newest, true));
        }}
      />
    );
  }

  return createPortal(
    <div
      className="log-sheet"
      role="dialog"
      aria-modal="true"
      aria-labelledby={headingId}
      onKeyDown={trapTab}
    >
      <div className="log-sheet-bar">
        <button
          type="button"
          className="btn"
          onClick={correcting ? () => setCorrecting(false) : onClose}
        >
          {t('back')}
        </button>
        <h2 id={headingId} ref={heading} tabIndex={-1}>
          {correcting ? t('correctTitle') : t('details')}
        </h2>
      </div>
      {body}
    </div>,
    document.body,
  );
}

interface RecordDetailsProps {
  stored: RecordWithState;
  knownCorrections: readonly string[] | undefined;
  t: Translate;
  onOpen: (id: string) => void;
  /** Correct `target`: this entry, or the newest entry correcting it. */
  onCorrect: (target: string) => void;
}

function RecordDetails({ stored, knownCorrections, t, onOpen, onCorrect }: RecordDetailsProps) {
  const { locale } = useLocale();
  const { session } = useSession();
  const corrections = useCorrections(stored.id, knownCorrections);
  const latest = corrections?.reduce<RecordWithState | undefined>(
    (a, c) => (a === undefined || c.id > a.id ? c : a),
    undefined,
  );
  const original = useStoredRecord(stored.record.amends);
  const r = stored.record;
  const p = r.person;
  const q = r.returnee;
  const none = t('none');
  const date = (d: string | undefined) => (d ? formatDate(d, locale) : none);
  const when = (s: RecordWithState) => formatDateTime(s.record.occurredAt, locale);
  /** When a correction was made, not when the passage it corrects was (its `occurredAt`). */
  const made = (s: RecordWithState) => formatDateTime(uuidv7Time(s.id) ?? s.savedAt, locale);
  const fever = stored.fever;

  const fields: [string, ReactNode][] = [
    [t('recordTime'), formatDateTime(r.occurredAt, locale)],
    // A correction's guard is who corrected it; the passage's time stays the original's.
    ...(r.amends !== undefined
      ? ([
          [t('correctionMadeAt'), made(stored)],
          [t('correctionMadeBy'), r.guard],
        ] as [string, ReactNode][])
      : []),
    [t('direction'), t(`direction.${r.direction}`)],
    [t('category'), t(`category.${p.category}`)],
    [t('name'), p.name],
    [
      t('temperature'),
      r.temperatureC === undefined ? (
        none
      ) : (
        <span className={fever ? 'log-temp fever' : undefined}>
          {t('degrees', { t: r.temperatureC.toFixed(1) })}
          {fever && ` · ${t('fever')}`}
        </span>
      ),
    ],
    [t('idType'), p.idType ? t(`idType.${p.idType}`) : none],
    [t('idNumber'), p.idNumber ? <IdNumber id={p.idNumber} /> : none],
    [t('phone'), p.phone ?? none],
    [t('address'), p.address ?? none],
    [t('returnee'), t(`returnee.${q.status}`)],
    ...(q.status !== 'none'
      ? ([
          [t('origin'), q.origin ?? none],
          [t('arrivedOn'), date(q.arrivedOn)],
          [t('quarantineUntil'), date(q.quarantineUntil)],
          [t('registered'), q.registered ? t('yes') : t('no')],
        ] as [string, ReactNode][])
      : []),
    [t('decision'), t(`decision.${r.decision}`)],
    [t('note'), r.note ?? none],
    ...(r.amends === undefined ? ([[t('shiftGuard'), r.guard]] as [string, ReactNode][]) : []),
    [
      t('syncState'),
      <span className={`log-sync ${stored.syncState}`}>{t(`sync.${stored.syncState}`)}</span>,
    ],
    [t('recordId'), <span className="log-id">{r.id}</span>],
  ];

  return (
    <>
      {stored.syncState === 'rejected' && stored.rejection && (
        <div className="notice danger" role="alert">
          <p>{t('rejectedReason', { reason: rejectionReason(t, stored.rejection.code) })}</p>
          {stored.rejection.message && <p>{rejectionDetail(t, stored.rejection.message)}</p>}
          <p>{t('sendAgainHint')}</p>
          <button
            type="button"
            className="btn block"
            onClick={() => void sendAgain(stored.id).then((again) => again && syncSoon())}
          >
            {t('sendAgain')}
          </button>
        </div>
      )}
      {r.amends && (
        <div className="log-links">
          <span className="muted">{t('correctsLabel')}</span>
          {original ? (
            <button type="button" className="btn block" onClick={() => onOpen(original.id)}>
              {t('corrects', { time: when(original) })}
            </button>
          ) : (
            <span>{r.amends}</span>
          )}
        </div>
      )}
      {corrections && corrections.length > 0 && (
        <div className="log-links">
          <span className="muted">{t('correctedByLabel')}</span>
          {corrections.map((c) => (
            <button key={c.id} type="button" className="btn block" onClick={() => onOpen(c.id)}>
              {t('correctedBy', { time: made(c), guard: c.record.guard })}
            </button>
          ))}
        </div>
      )}
      <dl className="log-fields">
        {fields.map(([label, value]) => (
          <div key={label}>
            <dt>{label}</dt>
            <dd>{value}</dd>
          </div>
        ))}
      </dl>
      {latest && <p className="notice">{t('alreadyCorrected')}</p>}
      {session.shift ? (
        <button
          type="button"
          className="btn primary block big"
          onClick={() => onCorrect(latest?.id ?? stored.id)}
        >
          {latest ? t('correctLatest') : t('correct')}
        </button>
      ) : (
        <p className="notice warn">{t('correctNeedsShift')}</p>
      )}
    </>
  );
}

/**
 * An ID number as printed on the card, in its groups (area, birth date, the rest): easier to read
 * back to the person, and on a narrow screen it wraps between groups, never before its last "X".
 * The groups are boxes, not spaces, so the text is the number as stored.
 */
function IdNumber({ id }: { id: string }) {
  const groups = /^\d{17}[\dX]$/.test(id) ? [id.slice(0, 6), id.slice(6, 14), id.slice(14)] : [id];
  return (
    <span className="log-idnum">
      {groups.map((g, i) => (
        <span key={i}>{g}</span>
      ))}
    </span>
  );
}
