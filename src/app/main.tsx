import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app';
import { loadDb } from './db/load';
import { listenForInstallPrompt } from './pwa/install-prompt';
import { beginStartupRead } from './session/session';
import { startSync } from './sync/sync-store';
import './ui/styles.css';

// The database opens and the session, draft and sync line are read while the scripts still run
// (with IndexedDB's own API: Dexie is not among the first screen's scripts).
const startupRead = beginStartupRead();
// Chromium offers installing once, early: keep the offer until the install hint shows it.
listenForInstallPrompt();

const root = document.getElementById('root')!;
// User Timing for the bench (tests/bench): the first screen's form is in the DOM, ready for input.
new MutationObserver((_changes, observer) => {
  if (!root.querySelector('form:not([aria-busy="true"])')) return;
  performance.mark('gatelog:form-usable');
  observer.disconnect();
}).observe(root, { childList: true, subtree: true, attributeFilter: ['aria-busy'] });

let started = false;

/**
 * What the first screen does not need, started once it has painted: the database layer (Dexie:
 * the start-up read did without it, a Save needs it), the service worker (updates, Background
 * Sync) and the sync engine, which syncs at once when online (DESIGN §5: app start).
 */
function startInBackground(): void {
  if (started) return;
  started = true;
  void loadDb();
  void import('./pwa/register').then((m) => m.registerServiceWorker());
  void startSync();
}

// The first render waits for that read (a second at most, should the database hang), so React
// renders the first screen once instead of a "Loading…" pass before it.
const readOrTimeout = new Promise<void>((resolve) => {
  void startupRead.then(resolve);
  setTimeout(resolve, 1000);
});
void readOrTimeout.then(() =>
  createRoot(root).render(
    <StrictMode>
      <App onPainted={startInBackground} />
    </StrictMode>,
  ),
);
