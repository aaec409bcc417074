/** Renders screens the way the app does: a language, a session loaded from a fresh database. */
import { render } from '@testing-library/react';
import type { ReactNode } from 'react';
import { GateLogDb, setDb } from '../../src/app/db';
import { LocaleContext, type Locale } from '../../src/app/i18n/i18n';
import { SessionProvider } from '../../src/app/session/session';

let n = 0;

/** A new empty database for this test. */
export function freshDb(): GateLogDb {
  const next = new GateLogDb(`component-${Date.now()}-${n++}`);
  setDb(next);
  return next;
}

export function renderWithSession(ui: ReactNode, locale: Locale = 'en') {
  return render(
    <LocaleContext.Provider value={{ locale, setLocale: () => {} }}>
      <SessionProvider fallback={<p>loading</p>}>{ui}</SessionProvider>
    </LocaleContext.Provider>,
    { container: appRoot() },
  );
}

/** A fresh #root, as index.html has it: modal layers make it inert and render beside it. */
export function appRoot(): HTMLElement {
  document.getElementById('root')?.remove();
  const root = document.createElement('div');
  root.id = 'root';
  return document.body.appendChild(root);
}
