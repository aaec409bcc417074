import '@testing-library/jest-dom/vitest';
import 'fake-indexeddb/auto';
import { cleanup, configure } from '@testing-library/react';
import { afterAll, afterEach } from 'vitest';
import { afterPaint } from '../../src/app/ui/after-paint';

// findBy/waitFor give an effect up to 5 s (the library's default is 1 s): CI machines are shared
// and a busy one can take longer than a second to run a few effects and IndexedDB transactions.
// A test that waits for something that never happens still fails; it just fails later.
configure({ asyncUtilTimeout: 5_000 });

// jsdom lays nothing out and scrolls nothing: its scrollTo only prints "Not implemented" (the
// logbook's virtualised list calls it). A window that cannot scroll stays where it is.
window.scrollTo = (() => {}) as typeof window.scrollTo;

// The entry form keeps a copy of its draft in the tab's sessionStorage (db/draft-copy.ts); each
// test is a new tab.
afterEach(() => {
  cleanup();
  sessionStorage.clear();
});

// A save tells Dexie's live queries of its write once its frame is painted (after-paint.ts). The
// last test's must run before this file's window is taken down: fired later, with no window,
// Dexie's cross-tab event fails ("dispatchEvent is not defined"; once in CI). Frames run in
// order, so one more wait for a painted frame comes after them.
afterAll(() => new Promise<void>((done) => afterPaint(done)));
