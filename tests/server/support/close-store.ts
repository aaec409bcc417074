/**
 * Opens a SQLite store on the file named by the first argument, with its threads, closes it, and
 * prints `closed` after the close: a child process for the store tests, which see whether the
 * process lives until its store has closed (an event loop left empty while the close waits
 * exits the process early).
 */
import { SqliteStore } from '../../../src/server/store/sqlite';

const store = new SqliteStore(process.argv[2]!);
await store.migrate();
// Its writer thread too, as a server's.
store.serving();
await store.close();
process.stdout.write(`closed ${store.db.open ? 'open' : 'shut'}\n`);
