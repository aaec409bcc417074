/**
 * The parts of the sync line that open on demand: the list of records the server refused (with
 * why), and the notice that this phone's storage was wiped. Loaded when first shown.
 */
import { useEffect, useRef } from 'react';
import { createPortal } from 'react-dom';
import { uuidv7Time, type ErasedNotice, type RecordWithState } from '../../db';
import { common } from '../../i18n/common';
import { formatDateTime, useLocale, useT } from '../../i18n/i18n';
import { rejectionDetail, rejectionMessages, rejectionReason } from '../../i18n/rejection-messages';
import { dismissErasedNotice } from '../../sync/sync-store';
import { useRejectedRecords } from '../../sync/use-sync';
import { detailMessages as messages } from './detail-messages';

/** The phone's storage was wiped: say so, and what the server last received from this phone. */
export function ErasedNote({ notice }: { notice: ErasedNotice }) {
  const t = useT(common, messages);
  const { locale } = useLocale();
  const recordAt = uuidv7Time(notice.lastRecordId);
  const record = recordAt === undefined ? notice.lastRecordId : formatDateTime(recordAt, locale);
  return (
    <div className="notice danger sync-notice" role="alert">
      <p>
        {notice.lastSyncAt
          ? t('erased.body', { record, at: formatDateTime(notice.lastSyncAt, locale) })
          : t('erased.bodyNoTime', { record })}
      </p>
      <p className="muted">{t('erased.hint')}</p>
      <button type="button" className="btn" onClick={() => void dismissErasedNotice()}>
        {t('erased.ok')}
      </button>
    </div>
  );
}

export function RejectedDialog({ onClose }: { onClose: () => void }) {
  const t = useT(common, messages);
  const records = useRejectedRecords();
  const closeButton = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    closeButton.current?.focus();
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') onClose();
    };
    addEventListener('keydown', onKey);
    return () => removeEventListener('keydown', onKey);
  }, [onClose]);
  // On <body>: inside the sticky header (its own stacking context) the bottom navigation would
  // cover the dialog's lower part — its Close button included.
  return createPortal(
    <div className="sheet-backdrop" onClick={(e) => e.target === e.currentTarget && onClose()}>
      <div
        className="sheet sync-dialog"
        role="dialog"
        aria-modal="true"
        aria-labelledby="sync-rejected-title"
      >
        <h2 id="sync-rejected-title">{t('rejected.title')}</h2>
        <p>{t('rejected.hint')}</p>
        {records && records.length === 0 && <p>{t('rejected.empty')}</p>}
        <ul>
          {records?.map((r) => (
            <RejectedItem key={r.id} record={r} />
          ))}
        </ul>
        <button ref={closeButton} type="button" className="btn block" onClick={onClose}>
          {t('close')}
        </button>
      </div>
    </div>,
    document.body,
  );
}

function RejectedItem({ record: r }: { record: RecordWithState }) {
  const t = useT(common, messages, rejectionMessages);
  const { locale } = useLocale();
  const reason = rejectionReason(t, r.rejection?.code);
  return (
    <li>
      <div>
        <strong>{r.record.person.name}</strong> · {t(`direction.${r.record.direction}`)} ·{' '}
        {formatDateTime(r.record.occurredAt, locale)}
      </div>
      <div className="reason">{reason}</div>
      {r.rejection?.message && (
        <div className="muted">{rejectionDetail(t, r.rejection.message)}</div>
      )}
    </li>
  );
}
