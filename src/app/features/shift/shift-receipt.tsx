/**
 * The end-of-shift receipt: sends everything, asks the server what it holds of the shift, and
 * shows the receipt only when the server agrees every record arrived. Until then it says what
 * is missing and keeps trying (with backoff) for as long as it is on screen.
 */
import { useEffect, useState } from 'react';
import { CATEGORIES, type ShiftReceipt as Receipt } from '../../../shared';
import type { StoredRecord } from '../../db';
import { common } from '../../i18n/common';
import { formatDateTime, formatTime, useLocale, useT, type Catalog } from '../../i18n/i18n';
import { hrefOf } from '../../session/route';
import { closeShiftWithRetry, type ShiftCloseOutcome } from '../../sync/shift-close';

const receiptMessages: Catalog = {
  'zh-CN': {
    'receipt.title': '交班回执',
    'receipt.checking': '正在上传并与服务器核对…',
    'receipt.allReceived': '全部 {n} 条已送达',
    'receipt.closedAt': '服务器确认时间：{time}',
    'receipt.byDirection': '进出',
    'receipt.byCategory': '人员类别',
    'receipt.received': '服务器已收到 {received} / {expected} 条',
    'receipt.pending': '本机还有 {n} 条待上传',
    'receipt.rejected': '被服务器拒收 {n} 条（不计入回执）：',
    'receipt.retrying': '仍在重试…',
    'receipt.nextAttempt': '下次尝试：{time}',
    'receipt.error': '暂时连不上服务器。',
    'receipt.notEnrolled': '交班回执需要先把这台手机加入居委会服务器。记录都保存在手机上。',
    'receipt.auth': '服务器不再认可这台手机，请重新加入后再交班。记录都保存在手机上。',
    'receipt.enroll': '加入居委会服务器',
    'reason.invalid': '内容不合格',
    'reason.conflict': '与服务器上已有的记录冲突',
    'reason.wrong_gate': '不是本门岗的记录',
    'reason.too_large': '记录太大',
  },
  en: {
    'receipt.title': 'Shift receipt',
    'receipt.checking': 'Sending and checking with the server…',
    'receipt.allReceived': 'All {n} received',
    'receipt.closedAt': 'Confirmed by the server at {time}',
    'receipt.byDirection': 'Direction',
    'receipt.byCategory': 'Category',
    'receipt.received': 'The server has {received} of {expected}',
    'receipt.pending': '{n} still waiting on this phone',
    'receipt.rejected': '{n} refused by the server (not in the receipt):',
    'receipt.retrying': 'Still trying…',
    'receipt.nextAttempt': 'Next try: {time}',
    'receipt.error': 'Cannot reach the server right now.',
    'receipt.notEnrolled':
      'A receipt needs this phone enrolled with the committee’s server. All entries are kept on the phone.',
    'receipt.auth':
      'The server no longer accepts this phone. Enroll it again to close the shift. All entries are kept on the phone.',
    'receipt.enroll': 'Enroll this phone',
    'reason.invalid': 'Not valid',
    'reason.conflict': 'Conflicts with a record already on the server',
    'reason.wrong_gate': 'Not a record of this gate',
    'reason.too_large': 'Too large',
  },
};

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
      {outcome?.status === 'error' && <p>{t('receipt.error')}</p>}
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
  return (
    <>
      <p className="notice" role="status">
        <strong>✓ {t('receipt.allReceived', { n: receipt.recordCount })}</strong>
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

function RejectedList({ records }: { records: StoredRecord[] }) {
  const t = useT(common, receiptMessages);
  const { locale } = useLocale();
  return (
    <>
      <p>{t('receipt.rejected', { n: records.length })}</p>
      <ul>
        {records.map((r) => {
          const code = r.rejection?.code ?? 'invalid';
          const reason = receiptMessages.en[`reason.${code}`] ? t(`reason.${code}`) : code;
          return (
            <li key={r.id}>
              {formatTime(r.record.occurredAt, locale)} {r.record.person.name} — {reason}
              {r.rejection?.message && <span className="muted"> ({r.rejection.message})</span>}
            </li>
          );
        })}
      </ul>
    </>
  );
}
