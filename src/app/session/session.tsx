/**
 * Who and where this phone is right now: device id, gate and its rules, enrollment, the shift
 * in progress. Loaded from the database at start; screens change it through `reload`, and the
 * stored gate is watched, so rules a pull brings from the committee apply without a restart.
 */
import { useLiveQuery } from 'dexie-react-hooks';
import {
  createContext,
  useCallback,
  useContext,
  useEffect,
  useRef,
  useState,
  type ReactNode,
} from 'react';
import type { GateRules } from '../../shared';
import {
  getCurrentShift,
  getDeviceId,
  getGateRules,
  getSetting,
  type Enrollment,
  type GateSetting,
  type Shift,
} from '../db';

export interface Session {
  deviceId: string;
  gate: GateSetting | undefined;
  rules: GateRules;
  enrollment: Enrollment | undefined;
  shift: Shift | undefined;
}

interface SessionApi {
  session: Session;
  /** Reads the session from the database again (after a shift starts, enrollment…). */
  reload: () => Promise<void>;
}

const SessionContext = createContext<SessionApi | null>(null);

async function loadSession(): Promise<Session> {
  const [deviceId, gate, rules, enrollment, shift] = await Promise.all([
    getDeviceId(),
    getSetting('gate'),
    getGateRules(),
    getSetting('enrollment'),
    getCurrentShift(),
  ]);
  return { deviceId, gate, rules, enrollment, shift };
}

export function SessionProvider({
  children,
  fallback,
}: {
  children: ReactNode;
  fallback: ReactNode;
}) {
  const [session, setSession] = useState<Session | null>(null);
  const reload = useCallback(async () => setSession(await loadSession()), []);
  useEffect(() => {
    void reload();
  }, [reload]);

  // The pull stores the gate as the server has it now (db/passes-repo): when the stored gate is
  // not the one the session holds, read the session again — once for each stored value.
  const storedGate = useLiveQuery(
    async () => JSON.stringify((await getSetting('gate')) ?? null),
    [],
  );
  const reloadedFor = useRef<string | undefined>(undefined);
  useEffect(() => {
    if (!session || storedGate === undefined || reloadedFor.current === storedGate) return;
    if (storedGate === JSON.stringify(session.gate ?? null)) return;
    reloadedFor.current = storedGate;
    void reload();
  }, [session, storedGate, reload]);
  if (!session) return <>{fallback}</>;
  return <SessionContext.Provider value={{ session, reload }}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionApi {
  const api = useContext(SessionContext);
  if (!api) throw new Error('useSession outside SessionProvider');
  return api;
}
