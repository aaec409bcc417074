/**
 * The logbook's reads of older rows, held back while a test wants to see what it shows before
 * they arrive (its first read, `readLogHead`, is never held). In a test file:
 *
 *   vi.mock('../../src/app/db/logbook-repo', async (original) =>
 *     (await import('../support/held-log-reads')).withHeldReads(original),
 *   );
 */
import type * as LogbookRepo from '../../src/app/db/logbook-repo';

let held: Promise<void> | undefined;

export async function withHeldReads(
  importOriginal: <T>() => Promise<T>,
): Promise<typeof LogbookRepo> {
  const repo = await importOriginal<typeof LogbookRepo>();
  return {
    ...repo,
    readLogRows: async (...args) => {
      await held;
      return repo.readLogRows(...args);
    },
  };
}

/** Holds the older rows back until the returned function is called. */
export function holdOlderRows(): () => void {
  let release!: () => void;
  held = new Promise((ok) => (release = ok));
  return () => {
    held = undefined;
    release();
  };
}

/** Lets every read through (between tests). */
export function releaseOlderRows(): void {
  held = undefined;
}
