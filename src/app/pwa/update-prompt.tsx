/**
 * "A new version is ready — Update / Later". Nothing changes until the guard taps Update
 * (DESIGN §8: offered, never forced); the entry form keeps its draft across the reload.
 */
import { useSyncExternalStore } from 'react';
import { useT } from '../i18n/i18n';
import { pwaMessages } from './messages';
import { applyUpdate, dismissUpdate, getUpdateState, subscribeUpdateState } from './register';
import './pwa.css';

export function UpdatePrompt() {
  const t = useT(pwaMessages);
  const { waiting, dismissed, applying } = useSyncExternalStore(
    subscribeUpdateState,
    getUpdateState,
    getUpdateState,
  );
  if (!waiting || (dismissed && !applying)) return null;
  return (
    <section className="pwa-update" aria-labelledby="pwa-update-text">
      <p id="pwa-update-text" role="status">
        {applying ? t('update.applying') : t('update.ready')}
      </p>
      <button
        type="button"
        className="btn primary"
        disabled={applying}
        onClick={() => void applyUpdate()}
      >
        {t('update.apply')}
      </button>
      <button type="button" className="btn" disabled={applying} onClick={dismissUpdate}>
        {t('update.later')}
      </button>
    </section>
  );
}
