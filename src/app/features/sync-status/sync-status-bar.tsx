/**
 * The header's sync line, always visible: online or not, how many records wait, when the
 * server last took some, refused records (a button to see why), "Sync now", and a prompt to
 * enroll again when the server no longer accepts this phone, and a notice when the phone's
 * storage was wiped (what the server last received from it). The guard should know at a glance
 * that everything is sent.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { createPortal } from 'react-dom';
import { uuidv7Time, type ErasedNotice, type StoredRecord } from '../../db';
import { common } from '../../i18n/common';
import { formatDateTime, formatTime, useLocale, useT } from '../../i18n/i18n';
import { hrefOf } from '../../session/route';
import { dismissErasedNotice, syncNow } from '../../sync/sync-engine';
import { useRejectedRecords, useSyncStatus } from '../../sync/use-sync';
import { messages } from './messages';
import './sync-status.css';

export function SyncStatusBar() {
  const t = useT(common, messages);
  const { locale } = useLocale();
  const s = useSyncStatus();
  const [showRejected, setShowRejected] = useState(false);
  const rejectedButton = useRef<HTMLButtonElement>(null);
  const closeRejected = useCallback(() => {
    setShowRejected(false);
    rejectedButton.current?.focus();
  }, []);

  const failing = s.lastError !== undefined && s.lastError.kind !== 'auth' && s.pending > 0;
  const lastSync = s.lastSyncAt ? formatTime(s.lastSyncAt, locale) : undefined;

  return (
    <div className="sync-bar" role="group" aria-label={t('sync.label')}>
      <span className={s.online ? 'sync-item online' : 'sync-item offline'}>
        <span className="sync-dot" aria-hidden="true" />
        {s.online ? t('sync.online') : t('sync.offline')}
      </span>

      <span className={failing ? 'sync-item sync-warn' : 'sync-item'}>
        <span aria-hidden="true">
          {s.pending > 0 ? t('sync.pendingShort', { n: s.pending }) : t('sync.allSent')}
        </span>
        <span className="sr-only">
          {s.pending > 0 ? t('sync.pendingLong', { n: s.pending }) : t('sync.allSentLong')}
        </span>
      </span>

      {failing && s.nextAttemptAt !== undefined && (
        <span className="sr-only">
          <time dateTime={new Date(s.nextAttemptAt).toISOString()}>
            {t('sync.retryAt', { time: formatTime(s.nextAttemptAt, locale) })}
          </time>
        </span>
      )}

      <span
        className="sync-item"
        title={s.lastSyncAt ? formatDateTime(s.lastSyncAt, locale) : t('sync.never')}
      >
        <span className="sr-only">{t('sync.lastSync')}</span>
        {lastSync ?? <span className="sr-only">{t('sync.never')}</span>}
      </span>

      {s.rejected > 0 && (
        <button
          ref={rejectedButton}
          type="button"
          className="sync-btn alert"
          aria-label={t('sync.rejectedLong', { n: s.rejected })}
          aria-haspopup="dialog"
          onClick={() => setShowRejected(true)}
        >
          {t('sync.rejectedShort', { n: s.rejected })}
        </button>
      )}

      {s.authProblem ? (
        <a className="sync-btn alert" href={hrefOf('enroll')} aria-label={t('sync.reenrollLong')}>
          {t('sync.reenroll')}
        </a>
      ) : s.enrolled === false ? (
        <a className="sync-btn" href={hrefOf('enroll')} aria-label={t('sync.notEnrolledLong')}>
          {t('sync.notEnrolled')}
        </a>
      ) : (
        <button
          type="button"
          className="sync-btn"
          aria-label={t('sync.now')}
          title={s.running ? t('sync.running') : t('sync.now')}
          aria-busy={s.running}
          onClick={() => void syncNow()}
        >
          <span className="sync-icon" aria-hidden="true">
            ⟳
          </span>
        </button>
      )}

      {showRejected && <RejectedDialog onClose={closeRejected} />}
      {s.erased && <ErasedNote notice={s.erased} />}
    </div>
  );
}

/** The phone's storage was wiped: say so, and what the server last received from this phone. */
function ErasedNote({ notice }: { notice: ErasedNotice }) {
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

function RejectedDialog({ onClose }: { onClose: () => void }) {
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
    <div
      className="sync-dialog-backdrop"
      onClick={(e) => e.target === e.currentTarget && onClose()}
    >
      <div
        className="sync-dialog"
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

function RejectedItem({ record: r }: { record: StoredRecord }) {
  const t = useT(common, messages);
  const { locale } = useLocale();
  const code = r.rejection?.code ?? 'invalid';
  const reason = messages.en[`reason.${code}`] ? t(`reason.${code}`) : code;
  return (
    <li>
      <div>
        <strong>{r.record.person.name}</strong> · {t(`direction.${r.record.direction}`)} ·{' '}
        {formatDateTime(r.record.occurredAt, locale)}
      </div>
      <div className="reason">{reason}</div>
      {r.rejection?.message && <div className="muted">{r.rejection.message}</div>}
    </li>
  );
}
