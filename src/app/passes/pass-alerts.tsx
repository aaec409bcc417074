/**
 * The pass card of a scanned pass and the home-quarantine alert and notice (pass-panel.tsx loads
 * them when one is first shown).
 */
import { useEffect, useRef } from 'react';
import { formatPassId } from '../../shared/passes';
import type { CachedWatch } from '../db';
import { formatDate, useLocale, useT } from '../i18n/i18n';
import { AlertScreen } from '../ui/alert-screen';
import { alertMessages as messages } from './alert-messages';
import type { VerifiedPass } from './pass-check';

/** The scanned pass, and Save right where the thumb is after the temperature. */
export function PassCard({
  pass,
  saving,
  onClear,
}: {
  pass: VerifiedPass;
  saving: boolean;
  onClear: () => void;
}) {
  const t = useT(messages);
  const { locale } = useLocale();
  const card = useRef<HTMLElement>(null);
  // Temperature chips just above, Save in here: both under the thumb after the scan.
  useEffect(() => {
    // Newer browsers return a promise here: never hand it to React as a cleanup.
    void card.current?.scrollIntoView?.({ block: 'center' });
  }, [pass.id]);
  return (
    <section ref={card} className="card pass-card" aria-label={t('passCard')}>
      <p>
        <strong>
          {t('passCard')} {formatPassId(pass.id)}
        </strong>{' '}
        · {pass.name} · {pass.address} ·{' '}
        {t('passValidUntil', { date: formatDate(pass.validUntil, locale) })}
      </p>
      <div className="row">
        <button type="button" className="btn" onClick={onClear}>
          {t('passClear')}
        </button>
        <button type="submit" className="btn primary big" disabled={saving}>
          {t('quickSave', { name: pass.name })}
        </button>
      </div>
    </section>
  );
}

/** Red, full screen: this person is under home quarantine and must not go out. */
export function QuarantineAlert({
  watch,
  name,
  dutyPhone,
  onDismiss,
}: {
  watch: CachedWatch;
  name: string;
  dutyPhone: string;
  onDismiss: () => void;
}) {
  const t = useT(messages);
  const { locale } = useLocale();
  const date = formatDate(watch.until, locale);
  return (
    <AlertScreen
      title={t('quarantineTitle')}
      dismissLabel={t('quarantineDismiss')}
      onDismiss={onDismiss}
    >
      <div className="big-number">{date}</div>
      <p>{t('quarantineBody', { name: name || watch.name, date })}</p>
      {dutyPhone ? (
        <a href={`tel:${dutyPhone}`}>{t('dutyPhone', { phone: dutyPhone })}</a>
      ) : (
        <p>{t('noDutyPhone')}</p>
      )}
    </AlertScreen>
  );
}

/** The quieter notice once the alert was read, or for someone coming in. */
export function QuarantineNotice({ watch, name }: { watch: CachedWatch; name: string }) {
  const t = useT(messages);
  const { locale } = useLocale();
  return (
    <p className="notice danger" role="alert">
      {t('quarantineIn', { name: name || watch.name, date: formatDate(watch.until, locale) })}
    </p>
  );
}
