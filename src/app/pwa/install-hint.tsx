/**
 * Invites the guard to install the app: Chromium's own install dialog behind an "Install app"
 * button, or the Share → Add to Home Screen steps on iOS (which has no prompt). Hidden when the
 * app already runs installed, when there is nothing to offer, or once dismissed (remembered).
 * On a plain-http address (not localhost) it says instead that the app neither installs nor opens
 * without a network there: browsers run service workers on secure origins only.
 */
import { useState, useSyncExternalStore } from 'react';
import { useT } from '../i18n/i18n';
import { getInstallState, promptInstall, subscribeInstallState } from './install-prompt';
import { pwaMessages } from './messages';
import './pwa.css';

export const INSTALL_HINT_DISMISSED_KEY = 'gatelog.installHint.dismissed';

function wasDismissed(): boolean {
  try {
    return localStorage.getItem(INSTALL_HINT_DISMISSED_KEY) === '1';
  } catch {
    return false;
  }
}

function rememberDismissed(): void {
  try {
    localStorage.setItem(INSTALL_HINT_DISMISSED_KEY, '1');
  } catch {
    // Not remembered: the hint comes back next time, which is harmless.
  }
}

/** True when the page runs as the installed app (home screen), not in a browser tab. */
export function isStandalone(): boolean {
  const iosStandalone = (navigator as Navigator & { standalone?: boolean }).standalone === true;
  return iosStandalone || window.matchMedia?.('(display-mode: standalone)').matches === true;
}

/** True on iPhone and iPad, where Safari has no install prompt, only Share → Add to Home Screen. */
export function isIos(
  ua: string = navigator.userAgent,
  touchPoints = navigator.maxTouchPoints,
): boolean {
  // iPadOS 13+ says "Macintosh"; a Mac has no touch screen.
  return /iPhone|iPad|iPod/.test(ua) || (/Macintosh/.test(ua) && touchPoints > 1);
}

export function InstallHint() {
  const t = useT(pwaMessages);
  // Not in a hook's state: a page never changes origin. (jsdom has no isSecureContext.)
  if (window.isSecureContext === false) {
    return (
      <section className="card pwa-install notice warn" aria-labelledby="pwa-insecure-title">
        <h2 id="pwa-insecure-title">{t('insecure.title')}</h2>
        <p>{t('insecure.why', { host: location.host })}</p>
      </section>
    );
  }
  return <InstallInvitation />;
}

function InstallInvitation() {
  const t = useT(pwaMessages);
  const { prompt, installed } = useSyncExternalStore(
    subscribeInstallState,
    getInstallState,
    getInstallState,
  );
  const [dismissed, setDismissed] = useState(wasDismissed);
  const [standalone] = useState(isStandalone);
  const [ios] = useState(() => isIos());

  if (dismissed || installed || standalone) return null;
  if (!prompt && !ios) return null;

  const dismiss = () => {
    rememberDismissed();
    setDismissed(true);
  };

  return (
    <section className="card pwa-install" aria-labelledby="pwa-install-title">
      <h2 id="pwa-install-title">{t('install.title')}</h2>
      <p>{t('install.why')}</p>
      {prompt ? (
        <div className="row">
          <button type="button" className="btn primary" onClick={() => void promptInstall()}>
            {t('install.button')}
          </button>
          <button type="button" className="btn" onClick={dismiss}>
            {t('install.notNow')}
          </button>
        </div>
      ) : (
        <>
          <p>{t('install.ios')}</p>
          <div className="row">
            <button type="button" className="btn" onClick={dismiss}>
              {t('install.gotIt')}
            </button>
          </div>
        </>
      )}
    </section>
  );
}
