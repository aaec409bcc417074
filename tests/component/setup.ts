import '@testing-library/jest-dom/vitest';
import 'fake-indexeddb/auto';
import { cleanup, configure } from '@testing-library/react';
import { afterEach } from 'vitest';

// findBy/waitFor give an effect up to 5 s (the library's default is 1 s): CI machines are shared
// and a busy one can take longer than a second to run a few effects and IndexedDB transactions.
// A test that waits for something that never happens still fails; it just fails later.
configure({ asyncUtilTimeout: 5_000 });

// jsdom lays nothing out and scrolls nothing: its scrollTo only prints "Not implemented" (the
// logbook's virtualised list calls it). A window that cannot scroll stays where it is.
window.scrollTo = (() => {}) as typeof window.scrollTo;

afterEach(() => cleanup());
