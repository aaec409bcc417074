/**
 * The SQLite file's WAL checkpoints, on a thread of their own. A commit in WAL mode appends the
 * batch's pages to the WAL; a checkpoint copies them into the database file and syncs it. Left
 * to SQLite, the connection that commits past 1,000 pages of WAL does that copy itself, inside
 * its commit: with better-sqlite3 on the request loop, the sync request that happened to cross
 * the line waited for it, and so did every request behind it. Here a second connection on a
 * worker thread checkpoints a few times a second (PASSIVE: it never waits for, nor holds up, a
 * reader or the writer), and the writer's own checkpoint stays only as a backstop for a WAL that
 * grew past WRITER_CHECKPOINT_BYTES because the writer never paused long enough for the WAL to
 * be started over. Durability is unchanged: a commit is synced to the WAL before it returns.
 */
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/** How often the thread checkpoints when the last one found nothing left behind. */
const CHECKPOINT_EVERY_MS = 100;
/** The writer checkpoints itself only past this much WAL. */
export const WRITER_CHECKPOINT_BYTES = 64 * 1024 * 1024;
/** SQLite's own default, for the writer when the thread is gone. */
export const DEFAULT_CHECKPOINT_PAGES = 1_000;

// The thread is plain CommonJS: it needs nothing but the driver, and no TypeScript loader. It
// says why it stops in words (an error thrown out of a thread reaches the parent as its code
// alone: the warning read "failed: undefined"), once, and stops: the store then checkpoints in
// its commits.
const THREAD = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const words = (e) => {
  const message = e && typeof e.message === 'string' ? e.message : '';
  const code = e && typeof e.code === 'string' ? e.code : '';
  return message && code ? message + ' (' + code + ')' : message || code || String(e);
};
let db;
let timer;
const stop = (why) => {
  clearTimeout(timer);
  if (why) parentPort.postMessage(why);
  if (db && db.open) db.close();
  parentPort.close();
};
const tick = () => {
  let behind = false;
  try {
    // One row: busy, log (frames in the WAL), checkpointed (frames copied so far).
    const [r] = db.pragma('wal_checkpoint(PASSIVE)');
    behind = r.checkpointed < r.log;
  } catch (e) {
    return stop('a checkpoint failed: ' + words(e));
  }
  timer = setTimeout(tick, behind ? 5 : workerData.everyMs);
};
parentPort.once('message', () => stop());
try {
  db = new Database(workerData.file, { fileMustExist: true });
  db.pragma('synchronous = FULL');
  timer = setTimeout(tick, workerData.everyMs);
} catch (e) {
  stop('the checkpoint thread could not open ' + workerData.file + ': ' + words(e));
}
`;

/**
 * An error in words: its message and code. One thrown in a worker thread comes out of the
 * worker's `error` event as its code alone (better-sqlite3's SqliteError loses its message).
 */
export function errorInWords(e: unknown): string {
  const { message, code } = (e ?? {}) as { message?: unknown; code?: unknown };
  const m = typeof message === 'string' ? message : '';
  const c = typeof code === 'string' ? code : '';
  return m && c ? `${m} (${c})` : m || c || String(e);
}

export interface Checkpointer {
  /** Stops the thread and closes its connection. */
  stop(): Promise<void>;
}

/**
 * Starts checkpointing `file` (a WAL-mode database the caller holds open). `onGone` runs once if
 * a checkpoint fails or the thread stops on its own, so the caller can checkpoint in its commits
 * again.
 */
export function startCheckpointer(file: string, onGone: (why: string) => void): Checkpointer {
  const worker = new Worker(THREAD, {
    eval: true,
    workerData: {
      file,
      driver: createRequire(import.meta.url).resolve('better-sqlite3'),
      everyMs: CHECKPOINT_EVERY_MS,
    },
  });
  worker.unref();
  let stopping = false;
  let gone = false;
  const fail = (why: string) => {
    if (stopping || gone) return;
    gone = true;
    onGone(why);
  };
  const exited = new Promise<void>((done) => worker.once('exit', () => done()));
  worker.on('message', (why: string) => fail(why));
  worker.on('error', (e) => fail(`the checkpoint thread failed: ${errorInWords(e)}`));
  worker.once('exit', (code) => fail(`the checkpoint thread exited (${code})`));
  return {
    async stop() {
      if (stopping) return exited;
      stopping = true;
      // Unreferenced, the thread would not keep the process alive until it has closed.
      worker.ref();
      worker.postMessage('stop');
      await exited;
    },
  };
}
