/**
 * The header's sync line, always visible: online or not, how many records wait, when the
 * server last took some, refused records (and a button to see why), "Sync now", and a prompt to
 * enroll again when the server no longer accepts this phone. Its notices go in the page's flow
 * right under the header (`noticesIn`), not in the sticky header, where one made the header a
 * third of a phone's screen over the form at every scroll: one when the phone's storage was
 * wiped (what the server last received from it), and one when the phone's clock or time zone is
 * not the server's (hidden on request until the app starts again). The guard should know at a
 * glance that everything is sent.
 */
import { Suspense, lazy, useCallback, useId, useRef, useState } from 'react';
import { createPortal } from 'react-dom';
import { common } from '../../i18n/common';
import { formatDateTime, formatTime, useLocale, useT, type Translate } from '../../i18n/i18n';
import { hrefOf } from '../../session/route';
import { syncNow } from '../../sync/sync-store';
import { useSyncStatus } from '../../sync/use-sync';
import { messages } from './messages';
import './sync-status.css';

// Rarely shown, so not in the first load: the refused records and the erased-storage notice.
const RejectedDialog = lazy(() =>
  import('./sync-status-details').then((m) => ({ default: m.RejectedDialog })),
);
const ErasedNote = lazy(() =>
  import('./sync-status-details').then((m) => ({ default: m.ErasedNote })),
);

const isToday = (iso: string) => new Date(iso).toDateString() === new Date().toDateString();

/** How far the clock is off, in its largest whole unit: "26 h", "3 days". */
function skewText(ms: number, t: Translate): string {
  const minutes = Math.round(ms / 60_000);
  if (minutes < 60) return t('clock.minutes', { n: minutes });
  const hours = Math.round(minutes / 60);
  return hours < 48
    ? t('clock.hours', { n: hours })
    : t('clock.days', { n: Math.round(hours / 24) });
}

/** A UTC offset in minutes east of UTC as phones' settings write it: "UTC+08:00", "UTC−05:00". */
function utcOffsetText(minutes: number): string {
  const abs = Math.abs(minutes);
  const hhmm = `${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
  return `UTC${minutes < 0 ? '−' : '+'}${hhmm}`;
}

/**
 * `noticesIn`: where its notices go, an element of the page's flow under the header (the shell's);
 * none is shown while it is null.
 */
export function SyncStatusBar({ noticesIn }: { noticesIn: HTMLElement | null }) {
  const t = useT(common, messages);
  const { locale } = useLocale();
  const s = useSyncStatus();
  const [showRejected, setShowRejected] = useState(false);
  // Hidden until the app starts again: the bar stays mounted for as long as the app runs.
  const [clockHidden, setClockHidden] = useState(false);
  const bar = useRef<HTMLDivElement>(null);
  const rejectedButton = useRef<HTMLButtonElement>(null);
  const closeRejected = useCallback(() => {
    setShowRejected(false);
    rejectedButton.current?.focus();
  }, []);

  const failing = s.lastError !== undefined && s.lastError.kind !== 'auth' && s.pending > 0;
  // No tick beside records the server refused: everything else went, not everything.
  const sent = s.pending > 0 ? 'pending' : s.rejected > 0 ? 'sentButRefused' : 'allSent';
  const sentCount = s.pending > 0 ? s.pending : s.rejected;
  // Nothing ever sent and nothing to send (a new phone): "All sent" would say what never was,
  // beside "Nothing sent yet"; the line says the latter alone, to the eye and the ear alike.
  const nothingYet = s.pending === 0 && s.rejected === 0 && s.lastSyncAt === undefined;
  const showSent = s.pending > 0 || (s.enrolled !== false && !nothingYet);
  // Refused records beside others still to send are counted on their own.
  const refusedApart = s.rejected > 0 && !(showSent && sent === 'sentButRefused');
  const refusedId = useId();
  // The time alone reads as today's: a day ago and offline, it says the date too.
  const lastSync = s.lastSyncAt
    ? (isToday(s.lastSyncAt) ? formatTime : formatDateTime)(s.lastSyncAt, locale)
    : undefined;

  // Still first in reading order (right after the header), announced as alerts as before.
  const notices = (
    <>
      {!clockHidden && (s.clockSkewMs !== undefined || s.zoneOffsets !== undefined) && (
        <div className="notice danger sync-notice" role="alert">
          {s.clockSkewMs !== undefined && (
            <p>
              {t(s.clockSkewMs > 0 ? 'clock.ahead' : 'clock.behind', {
                by: skewText(Math.abs(s.clockSkewMs), t),
              })}
            </p>
          )}
          {s.zoneOffsets !== undefined && (
            <p>
              {t('clock.zone', {
                phone: utcOffsetText(s.zoneOffsets.phone),
                server: utcOffsetText(s.zoneOffsets.server),
              })}
            </p>
          )}
          <p>{t('clock.fix')}</p>
          {/* Its button goes with it: focus goes to the sync line, right before where the
              notice was, not to the page's top. */}
          <button
            type="button"
            className="btn"
            onClick={() => {
              setClockHidden(true);
              bar.current?.focus();
            }}
          >
            {t('clock.hide')}
          </button>
        </div>
      )}
      <Suspense fallback={null}>{s.erased && <ErasedNote notice={s.erased} />}</Suspense>
    </>
  );

  return (
    <div className="sync-bar" role="group" aria-label={t('sync.label')} ref={bar} tabIndex={-1}>
      {/* Online by the browser's word but the server out of reach (a Wi-Fi with no internet,
          dead mobile data): said as plainly as offline, not as a green "online". */}
      <span
        className={
          !s.online
            ? 'sync-item offline'
            : failing
              ? 'sync-item offline sync-warn'
              : 'sync-item online'
        }
      >
        <span className="sync-dot" aria-hidden="true" />
        {!s.online ? t('sync.offline') : failing ? t('sync.failing') : t('sync.online')}
      </span>

      {showSent && (
        <span className={failing ? 'sync-item sync-warn' : 'sync-item'}>
          <span aria-hidden="true">{t(`sync.${sent}Short`, { n: sentCount })}</span>
          <span className="sr-only" id={refusedApart ? undefined : refusedId}>
            {t(`sync.${sent}Long`, { n: sentCount })}
          </span>
        </span>
      )}
      {refusedApart && (
        <span className="sync-item">
          <span aria-hidden="true">{t('sync.rejectedShort', { n: s.rejected })}</span>
          <span className="sr-only" id={refusedId}>
            {t('sync.rejectedLong', { n: s.rejected })}
          </span>
        </span>
      )}
      {/* Right after the words that count the refused records, which it describes: the count is
          said once, and the button says what it does ("Show why", 查看原因). */}
      {s.rejected > 0 && (
        <button
          ref={rejectedButton}
          type="button"
          className="sync-btn alert"
          aria-describedby={refusedId}
          aria-haspopup="dialog"
          onClick={() => setShowRejected(true)}
        >
          {t('sync.showWhy')}
        </button>
      )}

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
        {lastSync ? (
          <>
            <span className="sr-only">{t('sync.lastSync')}</span>
            <span aria-hidden="true">{t('sync.lastShort')} </span>
            {lastSync}
          </>
        ) : (
          // Seen as it is heard, as "last 14:02" is once something went.
          t('sync.never')
        )}
      </span>

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

      <Suspense fallback={null}>
        {showRejected && <RejectedDialog onClose={closeRejected} />}
      </Suspense>
      {noticesIn && createPortal(notices, noticesIn)}
    </div>
  );
}
