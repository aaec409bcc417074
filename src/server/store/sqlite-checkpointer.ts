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

// The thread is plain CommonJS: it needs nothing but the driver, and no TypeScript loader.
const THREAD = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file, { fileMustExist: true });
db.pragma('synchronous = FULL');
let timer;
const tick = () => {
  let behind = false;
  try {
    // One row: busy, log (frames in the WAL), checkpointed (frames copied so far).
    const [r] = db.pragma('wal_checkpoint(PASSIVE)');
    behind = r.checkpointed < r.log;
  } catch (e) {
    parentPort.postMessage(String(e && e.message));
  }
  timer = setTimeout(tick, behind ? 5 : workerData.everyMs);
};
timer = setTimeout(tick, workerData.everyMs);
parentPort.once('message', () => {
  clearTimeout(timer);
  db.close();
  parentPort.close();
});
`;

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
  worker.on('message', (why: string) => fail(`a checkpoint failed: ${why}`));
  worker.on('error', (e) => fail(`the checkpoint thread failed: ${e.message}`));
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
