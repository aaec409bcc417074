/**
 * The end-of-shift receipt: sends everything, asks the server what it holds of the shift, and
 * shows the receipt only when the server agrees every record arrived. Until then it says what
 * is missing and keeps trying (with backoff) for as long as it is on screen.
 */
import { useEffect, useState } from 'react';
import { CATEGORIES, type ShiftReceipt as Receipt } from '../../../shared';
import type { RecordWithState } from '../../db';
import { common } from '../../i18n/common';
import { formatDateTime, formatTime, useLocale, useT } from '../../i18n/i18n';
import { rejectionDetail, rejectionMessages, rejectionReason } from '../../i18n/rejection-messages';
import { hrefOf } from '../../session/route';
import { closeShiftWithRetry, type ShiftCloseOutcome } from '../../sync/shift-close';
import { receiptMessages } from './receipt-messages';

interface Progress {
  outcome: ShiftCloseOutcome | undefined;
  nextAttemptAt: number | undefined;
}

export function ShiftReceipt({ shiftId }: { shiftId: string }) {
  const t = useT(common, receiptMessages);
  const { locale } = useLocale();
  const [progress, setProgress] = useState<Progress>({
    outcome: undefined,
    nextAttemptAt: undefined,
  });

  useEffect(() => {
    const abort = new AbortController();
    setProgress({ outcome: undefined, nextAttemptAt: undefined });
    void closeShiftWithRetry(shiftId, {
      signal: abort.signal,
      onOutcome: (outcome, nextAttemptAt) => {
        if (!abort.signal.aborted) setProgress({ outcome, nextAttemptAt });
      },
    });
    return () => abort.abort();
  }, [shiftId]);

  const { outcome, nextAttemptAt } = progress;
  return (
    <section className="card" aria-labelledby="shift-receipt-title" aria-live="polite">
      <h2 id="shift-receipt-title">{t('receipt.title')}</h2>
      {outcome === undefined && <p>{t('receipt.checking')}</p>}
      {outcome?.status === 'complete' && <ReceiptView receipt={outcome.receipt} />}
      {(outcome?.status === 'not_enrolled' || outcome?.status === 'auth') && (
        <div className="notice warn">
          <p>{t(outcome.status === 'auth' ? 'receipt.auth' : 'receipt.notEnrolled')}</p>
          <a className="btn primary" href={hrefOf('enroll')}>
            {t('receipt.enroll')}
          </a>
        </div>
      )}
      {outcome?.status === 'another_phone' && (
        <p className="notice warn">{t('receipt.anotherPhone')}</p>
      )}
      {outcome?.status === 'incomplete' && (
        <>
          <p>
            <strong>
              {t('receipt.received', { received: outcome.received, expected: outcome.expected })}
            </strong>
          </p>
          {outcome.pending > 0 && <p>{t('receipt.pending', { n: outcome.pending })}</p>}
          {outcome.rejected.length > 0 && <RejectedList records={outcome.rejected} />}
        </>
      )}
      {outcome?.status === 'error' && (
        <>
          <p>{t('receipt.error')}</p>
          {!!outcome.pending && <p>{t('receipt.pending', { n: outcome.pending })}</p>}
        </>
      )}
      {(outcome?.status === 'incomplete' || outcome?.status === 'error') && (
        <p className="muted">
          {t('receipt.retrying')}
          {nextAttemptAt !== undefined && (
            <> {t('receipt.nextAttempt', { time: formatTime(nextAttemptAt, locale) })}</>
          )}
        </p>
      )}
    </section>
  );
}

function ReceiptView({ receipt }: { receipt: Receipt }) {
  const t = useT(common, receiptMessages);
  const { locale } = useLocale();
  const n = (v: number | undefined) => v ?? 0;
  // The counts below are of people passing, a correction in place of what it corrects; the
  // records the server holds are those and the corrections, said apart.
  const passes = n(receipt.byDirection.in) + n(receipt.byDirection.out);
  const corrections = receipt.recordCount - passes;
  return (
    <>
      <p className="notice" role="status">
        <strong>
          ✓{' '}
          {corrections > 0
            ? t('receipt.allReceivedWithCorrections', {
                n: receipt.recordCount,
                passes,
                corrections,
              })
            : t('receipt.allReceived', { n: receipt.recordCount })}
        </strong>
      </p>
      <dl className="counts" aria-label={t('receipt.byDirection')}>
        <Count label={t('direction.in')} n={n(receipt.byDirection.in)} />
        <Count label={t('direction.out')} n={n(receipt.byDirection.out)} />
        <Count label={t('fever')} n={receipt.fever} />
        <Count label={t('returnee')} n={receipt.returnees} />
        <Count label={t('decision.refused')} n={receipt.refused} />
      </dl>
      <h3>{t('receipt.byCategory')}</h3>
      <dl className="counts" aria-label={t('receipt.byCategory')}>
        {CATEGORIES.map((c) => (
          <Count key={c} label={t(`category.${c}`)} n={n(receipt.byCategory[c])} />
        ))}
      </dl>
      <p className="muted">
        {t('receipt.closedAt', { time: formatDateTime(receipt.closedAt, locale) })}
      </p>
    </>
  );
}

function Count({ label, n }: { label: string; n: number }) {
  return (
    <div>
      <dt>{label}</dt>
      <dd>{n}</dd>
    </div>
  );
}

function RejectedList({ records }: { records: RecordWithState[] }) {
  const t = useT(common, receiptMessages, rejectionMessages);
  const { locale } = useLocale();
  return (
    <>
      <p>{t('receipt.rejected', { n: records.length })}</p>
      <ul>
        {records.map((r) => {
          const reason = rejectionReason(t, r.rejection?.code);
          return (
            <li key={r.id}>
              {formatTime(r.record.occurredAt, locale)} {r.record.person.name} — {reason}
              {r.rejection?.message && (
                <span className="muted"> ({rejectionDetail(t, r.rejection.message)})</span>
              )}
            </li>
          );
        })}
      </ul>
    </>
  );
}
