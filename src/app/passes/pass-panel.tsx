/**
 * The pass and watchlist pieces of the checkpoint screen: the Scan button with how fresh the
 * watchlist is, the card of a scanned pass with a Save right under the temperature (scan,
 * temperature, save: three taps), and the full-screen home-quarantine alert. Only the Scan bar
 * is in the form's first frame; the others show after a scan or a watchlist match (both async
 * already) and load then, from pass-alerts.tsx.
 */
import { Suspense, lazy, useState, type ComponentProps, type ComponentType } from 'react';
import { formatDateTime, formatTime, useLocale, useT } from '../i18n/i18n';
import { messages } from './messages';
import type * as Alerts from './pass-alerts';
import type { VerifiedPass } from './pass-check';
import type { ScannerProps } from './scanner';
import { usePullStatus } from './use-watchlist';
import './passes.css';

const alerts = () => import('./pass-alerts');
const LazyPassCard = lazy(() => alerts().then((m) => ({ default: m.PassCard })));
const LazyQuarantineAlert = lazy(() => alerts().then((m) => ({ default: m.QuarantineAlert })));
const LazyQuarantineNotice = lazy(() => alerts().then((m) => ({ default: m.QuarantineNotice })));

/** The scanned pass, and Save right where the thumb is after the temperature. */
export function PassCard(props: ComponentProps<typeof Alerts.PassCard>) {
  return (
    <Suspense fallback={null}>
      <LazyPassCard {...props} />
    </Suspense>
  );
}

/** Red, full screen: this person is under home quarantine and must not go out. */
export function QuarantineAlert(props: ComponentProps<typeof Alerts.QuarantineAlert>) {
  return (
    <Suspense fallback={null}>
      <LazyQuarantineAlert {...props} />
    </Suspense>
  );
}

/** The quieter notice once the alert was read, or for someone coming in. */
export function QuarantineNotice(props: ComponentProps<typeof Alerts.QuarantineNotice>) {
  return (
    <Suspense fallback={null}>
      <LazyQuarantineNotice {...props} />
    </Suspense>
  );
}

export function ScanBar({
  Scanner,
  onPass,
  today,
}: {
  Scanner: ComponentType<ScannerProps> | undefined;
  onPass: (pass: VerifiedPass) => void;
  today: string;
}) {
  const t = useT(messages);
  const { locale } = useLocale();
  const [open, setOpen] = useState(false);
  const status = usePullStatus(today);
  const asOf = status?.asOf;
  const when = asOf
    ? asOf.at.slice(0, 10) === today
      ? formatTime(asOf.at, locale)
      : formatDateTime(asOf.at, locale)
    : undefined;
  return (
    <div className="scan-bar">
      {Scanner && (
        <button
          type="button"
          className="btn primary big block"
          onClick={() => {
            setOpen(true);
            void alerts(); // the pass card follows a good scan
          }}
        >
          {t('scan')}
        </button>
      )}
      <p className="field-hint" role="status">
        {when ? t('watchlistAsOf', { time: when }) : t('watchlistNever')}
        {asOf &&
          status &&
          status.watchCount > 0 &&
          t('watchlistCount', { count: status.watchCount })}
      </p>
      {Scanner && open && (
        <Suspense fallback={<p role="status">{t('scanning')}</p>}>
          <Scanner
            onPass={(pass) => {
              setOpen(false);
              onPass(pass);
            }}
            onClose={() => setOpen(false)}
          />
        </Suspense>
      )}
    </div>
  );
}
