/**
 * Who and where this phone is right now: device id, gate and its rules, enrollment, the shift
 * in progress. Loaded from the database at start; screens change it through `reload`, and the
 * stored gate and current shift are watched, so rules a pull brings from the committee apply
 * without a restart, and a shift ended or started in another tab of the phone shows here at once.
 */
import {
  createContext,
  useCallback,
  useContext,
  useEffect,
  useMemo,
  useRef,
  useState,
  type ReactNode,
} from 'react';
import type { GateRules } from '../../shared';
import type { Enrollment, GateSetting, Shift } from '../db';
import { loadDb } from '../db/load';
import { readStartupRaw, type StartupState } from '../db/startup-read';
import { takeEarlyStartupRows } from '../db/startup-rows';
import { useDbQuery } from '../db/use-db-query';
import { clockStatus, seedSyncStatus } from '../sync/sync-store';

export interface Session {
  deviceId: string;
  gate: GateSetting | undefined;
  rules: GateRules;
  enrollment: Enrollment | undefined;
  shift: Shift | undefined;
  /**
   * The shift this tab showed, ended in another tab while it did; kept until a shift is on again,
   * so the screens say why the shift is gone.
   */
  endedElsewhere?: Shift;
}

interface SessionApi {
  session: Session;
  /** Reads the session from the database again (after a shift starts, enrollment…). */
  reload: () => Promise<void>;
  /**
   * Notes the shift this tab is ending (End shift tapped here; undefined when that failed): its
   * end is not said to be another tab's.
   */
  endingHere: (shiftId: string | undefined) => void;
}

const SessionContext = createContext<SessionApi | null>(null);

const sessionOf = (s: StartupState): Session => ({
  deviceId: s.deviceId,
  gate: s.gate,
  rules: s.rules,
  enrollment: s.enrollment,
  shift: s.shift,
});

async function loadSession(): Promise<Session> {
  return sessionOf(await (await loadDb()).readStartup());
}

/** The app start's read, begun before the first render (main.tsx); taken by the first provider. */
let startupRead: Promise<StartupState> | undefined;
/**
 * What that read found, once it has, if no provider took the read before: the first provider
 * starts with it (no loading pass).
 */
let startupState: StartupState | undefined;
/** The entry form's draft as that read found it, until the first screen has mounted. */
let startupDraft: { value: StartupState['draft'] } | undefined;

/**
 * Starts reading the session, the draft and the sync line's stored state at once, so the database
 * opens while the scripts still run: with IndexedDB's own API (db/startup-read.ts; begun even
 * before the app's scripts run by early.ts, whose read this takes over), and through
 * Dexie only where that cannot answer (a new phone, an older database). Call once, before
 * rendering the app; resolves (never rejects) when the read is done. `dbName`: tests' databases.
 */
export function beginStartupRead(dbName?: string): Promise<void> {
  const early = dbName === undefined ? takeEarlyStartupRows() : undefined;
  const read = readStartupRaw(dbName, early).then(
    async (found) => found ?? (await loadDb()).readStartup(),
  );
  const pending: Promise<StartupState> = read.then((s) => {
    // Taken by a provider before it finished (it goes on from this read itself): no later
    // provider starts from it (a test's next start, on its own database).
    if (startupRead === pending) startupState = s;
    startupDraft = { value: s.draft };
    seedSyncStatus({
      enrolled: s.enrollment !== undefined,
      lastSyncAt: s.lastSync?.at,
      ...clockStatus(s.lastSync),
      authProblem: s.authProblem !== undefined,
      erased: s.erased?.dismissedAt === undefined ? s.erased : undefined,
      pending: s.pending,
      rejected: s.rejected,
    });
    return s;
  });
  startupRead = pending;
  return pending.then(
    () => undefined,
    () => undefined,
  );
}

/** Drops any start-up read and what it found, as at the app's start: for tests, each a start. */
export function forgetStartupRead(): void {
  startupRead = undefined;
  startupState = undefined;
  startupDraft = undefined;
}

/**
 * The draft the start-up read found (`{ value: undefined }`: none stored), for the entry form's
 * first mount; undefined when there was no start-up read or the first screen has mounted since.
 */
export function peekStartupDraft(): { value: StartupState['draft'] } | undefined {
  return startupDraft;
}

export function SessionProvider({
  children,
  fallback,
}: {
  children: ReactNode;
  fallback: ReactNode;
}) {
  const [initial] = useState(() => startupState);
  const [session, setSession] = useState<Session | null>(() =>
    initial ? sessionOf(initial) : null,
  );
  const reload = useCallback(async () => {
    const next = await loadSession();
    setSession((prev) => (next.shift ? next : { ...next, endedElsewhere: prev?.endedElsewhere }));
  }, []);
  const endingId = useRef<string | undefined>(undefined);
  const endingHere = useCallback((shiftId: string | undefined) => {
    endingId.current = shiftId;
  }, []);
  useEffect(() => {
    const first = startupRead;
    startupRead = undefined;
    startupState = undefined;
    if (initial) return;
    if (first) void first.then((s) => setSession(sessionOf(s)), reload);
    else void reload();
  }, [initial, reload]);
  // The screens of the first commit have taken the start-up draft (child effects run first);
  // later mounts read the draft as it is then.
  const mounted = session !== null;
  useEffect(() => {
    if (mounted) startupDraft = undefined;
  }, [mounted]);

  // The pull stores the gate as the server has it now (db/passes-repo), and another tab of the
  // phone may end the shift or start one (either changes the current shift's id): when the
  // stored gate or current shift is not the one the session holds, read the session again —
  // once for each stored value.
  const stored = useDbQuery(async (db) => {
    const { gate, currentShiftId } = await db.getSettings(['gate', 'currentShiftId']);
    return storedKey(gate, currentShiftId);
  }, []);
  const reloadedFor = useRef<string | undefined>(undefined);
  useEffect(() => {
    if (!session || stored === undefined || reloadedFor.current === stored) return;
    if (stored === storedKey(session.gate, session.shift?.id)) return;
    reloadedFor.current = stored;
    // Gone without this tab's End shift: it was ended in another tab (this tab may show its end
    // of shift screen too).
    const gone = session.shift && session.shift.id !== endingId.current ? session.shift : undefined;
    void loadSession().then(
      (next) =>
        setSession((prev) =>
          next.shift ? next : { ...next, endedElsewhere: gone ?? prev?.endedElsewhere },
        ),
      // Not read (the database closed under it): the session stays, and is read again at the
      // next change.
      () => (reloadedFor.current = undefined),
    );
  }, [session, stored]);
  // A new value only with a new session: the stored gate's first answer, just after the first
  // paint, must not re-render the entry form.
  const api = useMemo(
    () => (session ? { session, reload, endingHere } : null),
    [session, reload, endingHere],
  );
  if (!api) return <>{fallback}</>;
  return <SessionContext.Provider value={api}>{children}</SessionContext.Provider>;
}

/** What the session is read again for when it changes: the stored gate and current shift. */
const storedKey = (gate: GateSetting | undefined, shiftId: string | undefined) =>
  JSON.stringify([gate ?? null, shiftId ?? null]);

export function useSession(): SessionApi {
  const api = useContext(SessionContext);
  if (!api) throw new Error('useSession outside SessionProvider');
  return api;
}
