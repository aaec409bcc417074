/**
 * The committee's page (`/committee`): the logs of every gate, their CSV export, the enrolled
 * phones with what they still hold, new enrollment codes, the gates' rules, resident passes and
 * the home quarantine watchlist — the admin API for a clerk who will not type `curl`. Signed in
 * with the admin token, kept in this tab's sessionStorage only. Its own entry and build
 * (src/app/committee/): nothing of it is in the guard's app or precache.
 */
import { useCallback, useEffect, useMemo, useRef, useState, type FormEvent } from 'react';
import type { Gate } from '../../../shared';
import { LocaleContext, useLocale, useLocaleState } from '../../i18n/i18n';
import { adminApi, type AdminApi } from './admin-api';
import { gatesByName } from './admin-list';
import { GatesView } from './gates-view';
import { LogsView } from './logs-view';
import { PassesView } from './passes-view';
import { PhonesView } from './phones-view';
import { WatchlistView } from './watchlist-view';
import { isRefusal, signInErrorText, useCommitteeT } from './words';
import './committee.css';

const TOKEN_KEY = 'gatelog.adminToken';

const TABS = ['logs', 'phones', 'gates', 'passes', 'watchlist'] as const;
type Tab = (typeof TABS)[number];

function storedToken(): string | null {
  try {
    return sessionStorage.getItem(TOKEN_KEY);
  } catch {
    return null;
  }
}

function keepToken(token: string | null): void {
  try {
    if (token === null) sessionStorage.removeItem(TOKEN_KEY);
    else sessionStorage.setItem(TOKEN_KEY, token);
  } catch {
    // Not kept: a reload asks for the token again.
  }
}

interface Session {
  api: AdminApi;
  gates: Gate[];
}

/** The page in the clerk's language (`?lang=`, remembered, else the browser's). */
export function CommitteePage({ base = '' }: { base?: string }) {
  const localeApi = useLocaleState();
  return (
    <LocaleContext.Provider value={localeApi}>
      <CommitteeApp base={base} />
    </LocaleContext.Provider>
  );
}

function CommitteeApp({ base }: { base: string }) {
  const t = useCommitteeT();
  const { locale, setLocale } = useLocale();
  const [session, setSession] = useState<Session | null>(null);
  /** Why the clerk is asked to sign in (again): the failure of the token last tried. */
  const [notice, setNotice] = useState<unknown>(null);
  const [tab, setTab] = useState<Tab>('logs');

  const signIn = useCallback(
    /** Null when signed in; else why not. */
    async (token: string): Promise<unknown> => {
      const api = adminApi(token, base);
      try {
        const gates = await api.gates();
        keepToken(token);
        setNotice(null);
        setSession({ api, gates });
        return null;
      } catch (e) {
        if (isRefusal(e)) keepToken(null);
        return e;
      }
    },
    [base],
  );
  const signOut = useCallback(() => {
    keepToken(null);
    setSession(null);
  }, []);
  /** A request refused mid-session (the token was changed on the server): sign in again. */
  const onRefused = useCallback((e: unknown) => {
    keepToken(null);
    setNotice(e);
    setSession(null);
  }, []);
  /** The gates as the Gates tab last read them, or as a change there left them. */
  const onGates = useCallback((gates: Gate[]) => setSession((s) => (s ? { ...s, gates } : s)), []);
  /** A gate removed while the page was open: the gates as the server has them now. */
  const api = session?.api;
  const onGateGone = useCallback(() => {
    if (!api) return;
    api.gates().then(
      (gates) => setSession((s) => (s && s.api === api ? { ...s, gates } : s)),
      // Not read: the view's own failure notice already says what went wrong.
      (e: unknown) => isRefusal(e) && onRefused(e),
    );
  }, [api, onRefused]);
  // A token kept in this tab signs in again after a reload, once.
  const [restoring, setRestoring] = useState(() => storedToken() !== null);
  const read = session?.gates;
  const gates = useMemo(() => (read ? gatesByName(read, locale) : []), [read, locale]);
  const restored = useRef(false);
  useEffect(() => {
    const token = storedToken();
    if (restored.current || token === null) return;
    restored.current = true;
    void signIn(token).then((failed) => {
      setNotice(failed);
      setRestoring(false);
    });
  }, [signIn]);

  return (
    <div className="app committee">
      <header className="app-header">
        <h1 className="committee-title">{t('title')}</h1>
        <button
          type="button"
          className="btn committee-header-btn"
          lang={locale === 'en' ? 'zh-CN' : 'en'}
          aria-label={t('language.label')}
          onClick={() => setLocale(locale === 'en' ? 'zh-CN' : 'en')}
        >
          {t('language')}
        </button>
        {session && (
          <button type="button" className="btn committee-header-btn" onClick={signOut}>
            {t('signOut')}
          </button>
        )}
      </header>
      <main className="committee-main">
        {session ? (
          <>
            <nav className="committee-tabs" aria-label={t('tabs.label')}>
              {TABS.map((name) => (
                <button
                  key={name}
                  type="button"
                  className={tab === name ? 'btn primary' : 'btn'}
                  aria-pressed={tab === name}
                  onClick={() => setTab(name)}
                >
                  {t(`tab.${name}`)}
                </button>
              ))}
            </nav>
            {tab === 'logs' ? (
              <LogsView
                api={session.api}
                gates={gates}
                onRefused={onRefused}
                onGateGone={onGateGone}
              />
            ) : tab === 'phones' ? (
              <PhonesView
                api={session.api}
                gates={gates}
                onRefused={onRefused}
                onGateGone={onGateGone}
              />
            ) : tab === 'gates' ? (
              <GatesView
                api={session.api}
                gates={gates}
                onGates={onGates}
                onRefused={onRefused}
                onGateGone={onGateGone}
              />
            ) : tab === 'passes' ? (
              <PassesView
                api={session.api}
                gates={gates}
                onRefused={onRefused}
                onGateGone={onGateGone}
              />
            ) : (
              <WatchlistView api={session.api} onRefused={onRefused} onGateGone={onGateGone} />
            )}
          </>
        ) : restoring ? (
          <p className="muted">{t('signIn.checking')}</p>
        ) : (
          <SignIn onSignIn={signIn} notice={notice} address={base || location.origin} />
        )}
      </main>
    </div>
  );
}

/** The sign-in's error for a token left empty. */
const EMPTY = Symbol('empty');

function SignIn({
  onSignIn,
  notice,
  address,
}: {
  onSignIn: (token: string) => Promise<unknown>;
  notice: unknown;
  /** The server's the page asks (its own unless told), as a failure names it. */
  address: string;
}) {
  const t = useCommitteeT();
  const [token, setToken] = useState('');
  const [error, setError] = useState(notice);
  const [busy, setBusy] = useState(false);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const value = token.trim();
    if (busy) return;
    if (!value) return setError(EMPTY);
    setBusy(true);
    const failed = await onSignIn(value);
    setBusy(false);
    setError(failed);
  };
  return (
    <form className="card committee-sign-in" onSubmit={submit} noValidate>
      <h2>{t('signIn.heading')}</h2>
      <p className="muted">{t('signIn.intro')}</p>
      <div className="field">
        <label htmlFor="admin-token">{t('signIn.token')}</label>
        <input
          id="admin-token"
          type="password"
          autoComplete="current-password"
          value={token}
          aria-invalid={error !== null || undefined}
          aria-describedby={error !== null ? 'admin-token-error' : undefined}
          onChange={(e) => setToken(e.target.value)}
        />
        {error !== null && (
          <span id="admin-token-error" className="field-error" role="alert">
            {error === EMPTY ? t('error.required') : signInErrorText(t, error, address)}
          </span>
        )}
      </div>
      <button type="submit" className="btn primary block" disabled={busy}>
        {busy ? t('signIn.checking') : t('signIn.submit')}
      </button>
    </form>
  );
}
