import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app';
import { registerServiceWorker } from './pwa/register';
import { startSync } from './sync/sync-engine';
import './ui/styles.css';

const root = document.getElementById('root')!;
// User Timing for the bench (tests/bench): the first screen's form is in the DOM, ready for input.
new MutationObserver((_changes, observer) => {
  if (!root.querySelector('form:not([aria-busy="true"])')) return;
  performance.mark('gatelog:form-usable');
  observer.disconnect();
}).observe(root, { childList: true, subtree: true, attributeFilter: ['aria-busy'] });

createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
registerServiceWorker();
startSync();
