/**
 * The first script index.html names: it only begins the start-up read (db/startup-rows.ts), so
 * IndexedDB opens and reads while the rest of the app's scripts (React first) are evaluated. The
 * build keeps it first in the entry chunk; main.tsx takes the read over (session/session.tsx).
 */
import { beginEarlyStartupRead } from './db/startup-rows';

beginEarlyStartupRead();
