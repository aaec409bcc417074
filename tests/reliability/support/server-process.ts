/**
 * A real GateLog server process (`src/server/main.ts` through tsx, as `npm start` runs it) on a
 * scratch database, listening on 127.0.0.1. It can be killed and started again on the same data
 * and port, and it can be given test-only crash points (GATELOG_FAULTS, src/server/faults.ts).
 * Its stdout and stderr are kept, so a test can read them (the planned crash says so; no PII may
 * appear).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { freePort } from '../../support/free-port';
import type { ScratchDb } from './stores';

export const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
export const PROCESS_ADMIN_TOKEN = 'reliability-admin-token-0123456789';
const START_TIMEOUT_MS = 30_000;

export interface ExitInfo {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface ServerProcess {
  base: string;
  port: number;
  child: ChildProcess;
  /** Everything it printed so far (stdout and stderr). */
  output(): string;
  /** The end of it, for error messages. */
  outputTail(chars?: number): string;
  /** Settles when the process has exited, however it ended. */
  exited: Promise<ExitInfo>;
  /** SIGTERM (graceful), SIGKILL after a while; resolves with how it ended. */
  stop(): Promise<ExitInfo>;
}

export interface ServerProcessOptions {
  /** Reuse a port (a restart: the phone keeps the same server URL). */
  port?: number;
  /** GATELOG_FAULTS, e.g. `kill-after-commit@2`. */
  faults?: string;
  logLevel?: string;
  env?: Record<string, string>;
}

/** Starts a server on the scratch database and waits until /healthz answers 200. */
export async function startServerProcess(
  db: ScratchDb,
  opts: ServerProcessOptions = {},
): Promise<ServerProcess> {
  const port = opts.port ?? (await freePort());
  const env: NodeJS.ProcessEnv = { ...process.env };
  // Only what this database says: an inherited DATABASE_URL would turn SQLite into PostgreSQL.
  for (const name of ['DATABASE_URL', 'GATELOG_FAULTS', 'GATELOG_PUBLIC_URL']) delete env[name];
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server/main.ts'], {
    cwd: ROOT,
    env: {
      ...env,
      ...db.env,
      GATELOG_ADMIN_TOKEN: PROCESS_ADMIN_TOKEN,
      PORT: String(port),
      HOST: '127.0.0.1',
      LOG_LEVEL: opts.logLevel ?? 'info',
      ...(opts.faults && { GATELOG_FAULTS: opts.faults }),
      ...opts.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const chunks: string[] = [];
  child.stdout!.on('data', (d: Buffer) => chunks.push(d.toString()));
  child.stderr!.on('data', (d: Buffer) => chunks.push(d.toString()));
  const exited = new Promise<ExitInfo>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  const base = `http://127.0.0.1:${port}`;
  const server: ServerProcess = {
    base,
    port,
    child,
    output: () => chunks.join(''),
    outputTail: (chars = 3_000) => chunks.join('').slice(-chars),
    exited,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
        const info = await exited;
        clearTimeout(timer);
        return info;
      }
      return exited;
    },
  };

  const deadline = Date.now() + START_TIMEOUT_MS;
  while (Date.now() < deadline && child.exitCode === null && child.signalCode === null) {
    try {
      if ((await fetch(`${base}/healthz`)).ok) return server;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  await server.stop();
  throw new Error(`server at ${base} did not start:\n${server.outputTail()}`);
}

/** Waits for a process to end, failing after `ms`. */
export async function exitWithin(server: ServerProcess, ms: number): Promise<ExitInfo> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`server did not exit within ${ms} ms:\n${server.outputTail()}`)),
      ms,
    );
  });
  try {
    return await Promise.race([server.exited, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
