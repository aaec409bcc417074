/**
 * The SQLite store's sync batches, written on a thread of their own. Storing a 500-record batch
 * is a few ms of better-sqlite3's synchronous work; on the request loop, the next request's JSON
 * and checks waited for it. Here a second connection on a worker thread runs the batch (its
 * inserts, the look-up of stored ids and the phone's touch, in one IMMEDIATE transaction, the
 * same `SqliteStore` code), while the loop goes on with the requests behind it. Everything else
 * stays on the loop's connection, which sees each batch once its promise resolves (committed).
 *
 * Calls are answered in the order they are made: the thread takes one message at a time, and a
 * batch's transaction is synchronous.
 */
import { Worker } from 'node:worker_threads';
import { errorInWords } from './sqlite-checkpointer';

/** What the thread does for the store (see sqlite-writer-thread.ts). */
export type WriterMethod = 'insertRecords' | 'touchDevice' | 'walAutocheckpoint';

export interface SqliteWriter {
  call<T>(method: WriterMethod, args: unknown[]): Promise<T>;
  /** A call is in the thread or waiting for it: another write now would wait for its lock. */
  busy(): boolean;
  /** Why the thread is gone (it failed, or was closed); undefined while it runs. */
  gone(): Error | undefined;
  /** Closes the thread's connection and ends the thread; calls made after it fail. */
  close(): Promise<void>;
}

interface Answer {
  n: number;
  result?: unknown;
  error?: { message: string; code?: string };
}

// The thread's code is TypeScript: it registers tsx's loader, then loads its entry.
const BOOT = `
const { workerData } = require('node:worker_threads');
import(workerData.tsx).then(({ register }) => {
  register();
  return import(workerData.entry);
});
`;

/** The thread on `file`; its connection checkpoints past `walAutocheckpoint` pages of WAL. */
export function startWriter(file: string, walAutocheckpoint: number): SqliteWriter {
  const worker = new Worker(BOOT, {
    eval: true,
    workerData: {
      file,
      walAutocheckpoint,
      tsx: import.meta.resolve('tsx/esm/api'),
      entry: new URL('./sqlite-writer-thread.ts', import.meta.url).href,
    },
  });
  const waiting = new Map<number, { ok: (v: unknown) => void; fail: (e: Error) => void }>();
  let next = 0;
  let gone: Error | undefined;
  const failAll = (err: Error) => {
    gone ??= err;
    for (const w of waiting.values()) w.fail(err);
    waiting.clear();
  };
  worker.on('message', ({ n, result, error }: Answer) => {
    const w = waiting.get(n);
    waiting.delete(n);
    if (!w) return;
    if (error) w.fail(Object.assign(new Error(error.message), error.code && { code: error.code }));
    else w.ok(result);
  });
  worker.on('error', (err) =>
    failAll(new Error(`SQLite writer thread failed: ${errorInWords(err)}`)),
  );
  worker.on('exit', () => failAll(new Error('SQLite writer thread is closed')));
  // Waiting for an answer keeps the process alive; an idle thread does not.
  worker.unref();
  const call = <T>(method: WriterMethod | 'close', args: unknown[]): Promise<T> => {
    if (gone) return Promise.reject(gone);
    const n = next++;
    if (waiting.size === 0) worker.ref();
    return new Promise<T>((ok, fail) => {
      waiting.set(n, { ok: ok as (v: unknown) => void, fail });
      worker.postMessage({ n, method, args });
    }).finally(() => {
      if (waiting.size === 0) worker.unref();
    });
  };
  return {
    call,
    busy: () => waiting.size > 0,
    gone: () => gone,
    async close() {
      if (!gone) await call('close', []);
      await worker.terminate();
    },
  };
}
