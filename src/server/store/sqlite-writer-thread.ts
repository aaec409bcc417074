/**
 * The writer thread's side of sqlite-writer.ts: a `SqliteStore` of its own on the same file,
 * answering the loop's calls one message at a time.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { SqliteStore } from './sqlite';
import { errorInWords } from './sqlite-checkpointer';
import type { WriterMethod } from './sqlite-writer';

const { file, walAutocheckpoint } = workerData as { file: string; walAutocheckpoint: number };
const store = (() => {
  try {
    return new SqliteStore(file, { role: 'writer' });
  } catch (e) {
    // Thrown as it is, it would reach the loop as its code alone.
    throw new Error(`could not open ${file}: ${errorInWords(e)}`);
  }
})();
// As the loop's connection has it now (its own default, or back in commits since).
store.db.pragma(`wal_autocheckpoint = ${walAutocheckpoint}`);

const run = (method: WriterMethod, args: unknown[]): unknown => {
  switch (method) {
    case 'insertRecords':
      return store.insertRecords(...(args as Parameters<SqliteStore['insertRecords']>));
    case 'touchDevice':
      return store.touchDevice(...(args as Parameters<SqliteStore['touchDevice']>));
    case 'walAutocheckpoint':
      // Sets it when given; answers it either way.
      if (args[0] !== undefined) store.db.pragma(`wal_autocheckpoint = ${Number(args[0])}`);
      return store.db.pragma('wal_autocheckpoint', { simple: true });
  }
};

parentPort!.on(
  'message',
  async ({ n, method, args }: { n: number; method: WriterMethod | 'close'; args: unknown[] }) => {
    if (method === 'close') {
      await store.close();
      parentPort!.postMessage({ n });
      parentPort!.close();
      return;
    }
    try {
      parentPort!.postMessage({ n, result: await run(method, args) });
    } catch (e) {
      const err = e as { message?: string; code?: string };
      parentPort!.postMessage({ n, error: { message: String(err.message), code: err.code } });
    }
  },
);
