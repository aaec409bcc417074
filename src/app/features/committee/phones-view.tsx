/**
 * The enrolled phones: which gate, when each last synced, how many records it still holds (so
 * the committee sees which phone has not sent its shift), revoking one; and a new phone's
 * enrollment code with its QR code.
 */
import { useCallback, useState, type FormEvent } from 'react';
import { phoneLink, type DeviceSummary } from '../../../shared';
import { formatCount, formatDateTime, useGateName, useLocale } from '../../i18n/i18n';
import { FailureNotice, FormStatus, useAdminList, useRequest, type ViewProps } from './admin-list';
import { DataTable } from './data-table';
import { useCommitteeT } from './words';

interface Enrollment {
  gateName: string;
  code: string;
  url: string;
  expiresAt: string;
  /** The link as a QR code (an SVG data URL), once drawn. */
  qr: string | null;
}

/** The enrollment link as an SVG QR code, for an <img> (the CSP allows data: images). */
async function qrDataUrl(text: string): Promise<string> {
  const { default: QRCode } = await import('qrcode');
  const svg = await QRCode.toString(text, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
  return `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`;
}

/**
 * The host of `url` when it is this computer's own (localhost, 127.x, ::1): a phone opening it
 * reaches itself, not the server. Null otherwise.
 */
export function loopbackHost(url: string): string | null {
  const link = phoneLink(url);
  return link?.kind === 'loopback' ? link.hostname : null;
}

/**
 * The host of `url` when it is plain http to another computer (a LAN address): a phone opens
 * it and enrolls, but without https runs no service worker, so it neither installs the app nor
 * works offline. Null for https, for this computer's own address (`loopbackHost`), or no URL.
 */
export function plainHttpHost(url: string): string | null {
  const link = phoneLink(url);
  return link?.kind === 'plainHttp' ? link.host : null;
}

/**
 * How the page names each listed phone: its name, and where another listed phone has the same
 * name (two "Android 2026-02-03" at one gate), the start of its id too, which the phone's own
 * Settings shows in full.
 */
export function phoneLabels(
  devices: readonly DeviceSummary[],
): (phone: { id: string; name: string }) => string {
  const seen = new Map<string, number>();
  for (const d of devices) seen.set(d.name, (seen.get(d.name) ?? 0) + 1);
  return ({ id, name }) => ((seen.get(name) ?? 0) > 1 ? `${name} · ${id.slice(0, 8)}` : name);
}

export function PhonesView({ api, gates, onRefused, onGateGone }: ViewProps) {
  const showGate = useGateName();
  const t = useCommitteeT();
  const { locale } = useLocale();
  const list = useAdminList(
    useCallback(() => api.devices(), [api]),
    { onRefused, onGateGone },
  );
  const devices = list.items;
  const label = phoneLabels(devices ?? []);
  const [gateId, setGateId] = useState(gates[0]?.id ?? '');
  // A gate no longer in the list (read again after it was removed) is no longer chosen.
  if (gateId && !gates.some((g) => g.id === gateId)) setGateId(gates[0]?.id ?? '');
  const [enrollment, setEnrollment] = useState<Enrollment | null>(null);
  // Said at the form: the notice above the list is out of sight of it, and retries the list.
  const { busy, failure, run } = useRequest({ onRefused, onGateGone });

  const revoke = (d: DeviceSummary) =>
    list.act(() => api.revokeDevice(d.id), t('revoke.confirm', { name: label(d) }));

  const enroll = async (e: FormEvent) => {
    e.preventDefault();
    if (!gateId) return;
    await run(async () => {
      const made = await api.newEnrollmentCode(gateId);
      const gateName = gates.find((g) => g.id === gateId)?.name ?? gateId;
      setEnrollment({ ...made, gateName, qr: null });
      const qr = await qrDataUrl(made.url);
      setEnrollment((now) => (now?.code === made.code ? { ...now, qr } : now));
    });
  };

  return (
    <section aria-labelledby="phones-heading">
      <FailureNotice failure={list.failure} onRetry={() => void list.refresh()} />
      <h2 id="phones-heading">{t('phones.caption')}</h2>
      <DataTable
        items={devices}
        caption={t('phones.caption')}
        empty={t('phones.none')}
        columns={[
          t('col.phone'),
          t('gate'),
          t('col.lastSync'),
          t('col.waiting'),
          t('col.version'),
          t('col.status'),
        ]}
        row={(d) => {
          // A phone enrolled again sends what it held under its new enrollment; one that never
          // synced has not said what it holds (null: unknown, not none).
          const pending = d.replacedBy
            ? 0
            : d.lastSyncAt === null || d.status === null
              ? null
              : d.status.pending;
          // What a revoked phone held it will never send: not waiting (red), lost (greyed).
          const lost = d.revoked && pending !== null && pending > 0 ? pending : null;
          const since = d.status?.oldestPendingAt
            ? formatDateTime(d.status.oldestPendingAt, locale)
            : null;
          return (
            <tr key={d.id} className={d.revoked ? 'revoked' : undefined}>
              <th scope="row">{label(d)}</th>
              <td>{showGate(d.gateName)}</td>
              <td>{d.lastSyncAt ? formatDateTime(d.lastSyncAt, locale) : t('never')}</td>
              <td
                className={
                  lost === null && pending !== null && pending > 0 ? 'committee-waiting' : undefined
                }
              >
                {lost !== null ? (
                  since !== null ? (
                    t('waiting.revokedSince', { n: lost, since })
                  ) : (
                    t('waiting.revoked', { n: lost })
                  )
                ) : pending === null ? (
                  <>
                    <span aria-hidden="true" title={t('waiting.unknown')}>
                      —
                    </span>
                    <span className="sr-only">{t('waiting.unknown')}</span>
                  </>
                ) : pending > 0 && since !== null ? (
                  t('waiting.since', { n: pending, since })
                ) : (
                  formatCount(pending, locale)
                )}
              </td>
              <td>{d.status?.appVersion ?? ''}</td>
              <td>
                {d.replacedBy ? (
                  t('status.replaced', {
                    name: label(d.replacedBy),
                    gate: showGate(d.replacedBy.gateName),
                  })
                ) : d.revoked ? (
                  t('status.revoked', {
                    at: d.revokedAt ? formatDateTime(d.revokedAt, locale) : '',
                  })
                ) : (
                  <>
                    {t('status.active')}{' '}
                    <button
                      type="button"
                      className="btn danger"
                      aria-label={t('revoke.label', { name: label(d) })}
                      onClick={() => void revoke(d)}
                    >
                      {t('revoke')}
                    </button>
                  </>
                )}
              </td>
            </tr>
          );
        }}
      />

      <form className="card committee-enroll" onSubmit={enroll}>
        <h2>{t('enroll.heading')}</h2>
        <p className="muted">{t('enroll.intro')}</p>
        <div className="field">
          <label htmlFor="enroll-gate">{t('enroll.gate')}</label>
          <select id="enroll-gate" value={gateId} onChange={(e) => setGateId(e.target.value)}>
            {gates.map((g) => (
              <option key={g.id} value={g.id}>
                {showGate(g.name)}
              </option>
            ))}
          </select>
        </div>
        <button type="submit" className="btn primary" disabled={busy || !gateId}>
          {t('enroll.create')}
        </button>
        <FormStatus failure={failure} done="" />
        {enrollment && (
          <div className="committee-enrollment" role="status">
            {loopbackHost(enrollment.url) !== null && (
              <p className="notice warn">
                {t('enroll.loopback', { host: loopbackHost(enrollment.url)! })}
              </p>
            )}
            {plainHttpHost(enrollment.url) !== null && (
              <p className="notice warn">{t('enroll.plainHttp')}</p>
            )}
            {enrollment.qr && (
              <img
                src={enrollment.qr}
                width={220}
                height={220}
                alt={t('enroll.qr', { gate: showGate(enrollment.gateName) })}
              />
            )}
            <dl>
              <dt>{t('enroll.code')}</dt>
              <dd>
                <code>{enrollment.code}</code>
              </dd>
              <dt>{t('enroll.link')}</dt>
              <dd>
                <a href={enrollment.url}>{enrollment.url}</a>
              </dd>
            </dl>
            <p className="muted">
              {t('enroll.expires', { at: formatDateTime(enrollment.expiresAt, locale) })}
            </p>
          </div>
        )}
      </form>
    </section>
  );
}
