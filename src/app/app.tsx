/**
 * The shell: language, session, header with the sync status, the screens, bottom navigation.
 * Composes features; imported by nobody but main.tsx. Everything but the entry form is
 * lazy-loaded so the first screen at the gate stays small; the update and install offers load
 * once the first screen has painted.
 */
import {
  lazy,
  Suspense,
  useEffect,
  useLayoutEffect,
  useRef,
  useState,
  type ReactNode,
} from 'react';
import { CheckpointScreen } from './features/checkpoint/checkpoint-screen';
import { ShiftStart } from './features/shift/shift-start';
import { SyncStatusBar } from './features/sync-status/sync-status-bar';
import { common } from './i18n/common';
import { LocaleContext, useGateName, useLocaleState, useT } from './i18n/i18n';
import { hrefOf, useRoute, type Route } from './session/route';
import { SessionProvider, useSession } from './session/session';
import { afterPaint } from './ui/after-paint';
import { useHeightVar } from './ui/use-height-var';
import { KeptLogbook, loadLogbook } from './kept-logbook';

const SettingsScreen = lazy(() => import('./features/settings/settings-screen'));
const ShiftEnd = lazy(() => import('./features/shift/shift-end'));
const EnrollScreen = lazy(() => import('./features/enroll/enroll-screen'));
/** The pass scanner, handed to the checkpoint (features never import each other). */
const ScanDialog = lazy(() => import('./features/scan/scan-dialog'));
const InstallHint = lazy(() =>
  import('./pwa/install-hint').then((m) => ({ default: m.InstallHint })),
);
const UpdatePrompt = lazy(() =>
  import('./pwa/update-prompt').then((m) => ({ default: m.UpdatePrompt })),
);

/** Its children, rendered (and their code loaded) once the first screen has painted. */
function AfterFirstPaint({ children }: { children: ReactNode }) {
  const [painted, setPainted] = useState(false);
  useEffect(() => afterPaint(() => setPainted(true)), []);
  return painted ? <Suspense fallback={null}>{children}</Suspense> : null;
}

/** `onPainted`: called once the first screen has painted (main.tsx starts the rest then). */
export function App({ onPainted }: { onPainted?: () => void } = {}) {
  const localeApi = useLocaleState();
  return (
    <LocaleContext.Provider value={localeApi}>
      <SessionProvider fallback={<Loading />}>
        <Shell onPainted={onPainted} />
      </SessionProvider>
    </LocaleContext.Provider>
  );
}

function Loading() {
  const t = useT(common);
  return <p className="app-main">{t('loading')}</p>;
}

function Shell({ onPainted }: { onPainted: (() => void) | undefined }) {
  const t = useT(common);
  const route = useRoute();
  const { session } = useSession();
  const showGate = useGateName();
  useEffect(() => (onPainted ? afterPaint(onPainted) : undefined), [onPainted]);
  const header = useRef<HTMLElement>(null);
  const nav = useRef<HTMLElement>(null);
  useHeightVar(header, '--header-height');
  useHeightVar(nav, '--nav-height');
  // The sync line's notices, under the sticky header in the page's flow (SyncStatusBar).
  const [notices, setNotices] = useState<HTMLDivElement | null>(null);
  const wantsEnroll = route === 'enroll' || new URLSearchParams(location.search).has('enroll');
  // The logbook too opens without a shift (today's entries at this gate): after a shift ended,
  // the guard could not look back at it.
  const needsShift =
    !session.shift &&
    !wantsEnroll &&
    route !== 'settings' &&
    route !== 'shift-end' &&
    route !== 'logbook';

  // A screen that replaced another under the focused control (Start shift, End shift, Enroll:
  // their buttons are disabled while busy, then gone) leaves focus nowhere; the next Tab or a
  // screen reader then starts from the page's top. Focus goes to the new screen instead.
  const screenKey = wantsEnroll ? 'enroll' : needsShift ? 'shift-start' : route;
  const main = useRef<HTMLElement>(null);
  const shownKey = useRef(screenKey);
  // Another screen starts at its top, before it is painted. The page scrolls as one, so it
  // opened where the last screen was scrolled to: Settings, from a receipt read to its end,
  // showed its third card first with its heading out of sight.
  // Whether the page is scrolled is kept from its scroll events: reading `scrollY` as the new
  // screen commits would lay it out there and then, before its own frame (the logbook's tap).
  const scrolledKey = useRef(screenKey);
  const scrolled = useRef(false);
  useEffect(() => {
    const onScroll = () => (scrolled.current = window.scrollY > 0);
    window.addEventListener('scroll', onScroll, { passive: true });
    return () => window.removeEventListener('scroll', onScroll);
  }, []);
  useLayoutEffect(() => {
    if (scrolledKey.current === screenKey) return;
    scrolledKey.current = screenKey;
    if (scrolled.current) window.scrollTo({ top: 0, behavior: 'instant' });
  }, [screenKey]);
  useEffect(() => {
    if (shownKey.current === screenKey) return;
    shownKey.current = screenKey;
    const active = document.activeElement;
    if (!active || active === document.body || !active.isConnected) {
      main.current?.focus({ preventScroll: true });
    }
  }, [screenKey]);

  let screen;
  if (wantsEnroll) screen = <EnrollScreen />;
  else if (needsShift) screen = <ShiftStart />;
  // The logbook is KeptLogbook's, below.
  else if (route === 'logbook') screen = null;
  else if (route === 'settings') screen = <SettingsScreen />;
  else if (route === 'shift-end') screen = <ShiftEnd />;
  else screen = <CheckpointScreen Scanner={ScanDialog} />;

  return (
    <div className="app">
      <header ref={header} className="app-header">
        <strong>{session.gate ? showGate(session.gate.name) : t('appName')}</strong>
        {session.shift && <span>{session.shift.guard}</span>}
        <SyncStatusBar noticesIn={notices} />
      </header>
      <div ref={setNotices} className="app-notices" />
      <main ref={main} className="app-main" tabIndex={-1}>
        {(wantsEnroll || needsShift || route === 'settings') && (
          <AfterFirstPaint>
            <InstallHint />
          </AfterFirstPaint>
        )}
        <Suspense fallback={<p>{t('loading')}</p>}>
          {screen}
          {!wantsEnroll && !needsShift && <KeptLogbook visible={route === 'logbook'} />}
        </Suspense>
      </main>
      <nav ref={nav} className="app-nav" aria-label={t('nav.main')}>
        <NavLink route="checkpoint" current={route} label={t('nav.checkpoint')} />
        <NavLink
          route="logbook"
          current={route}
          label={t('nav.logbook')}
          onPress={() => void loadLogbook().then((m) => m.prefetchLogbook(session))}
        />
        <NavLink route="settings" current={route} label={t('nav.settings')} />
        <NavLink route="shift-end" current={route} label={t('nav.endShift')} />
      </nav>
      <AfterFirstPaint>
        <UpdatePrompt />
      </AfterFirstPaint>
    </div>
  );
}

function NavLink({
  route,
  current,
  label,
  onPress,
}: {
  route: Route;
  current: Route;
  label: string;
  /** From the finger's touch on: a tap's press comes well before its click. */
  onPress?: () => void;
}) {
  return (
    <a
      href={hrefOf(route)}
      aria-current={route === current ? 'page' : undefined}
      onPointerDown={onPress}
      onClick={onPress}
    >
      {label}
    </a>
  );
}
