/**
 * The server's time zone for each test of the block it is called in: the app server runs in the
 * test's own process, which reads TZ again on a change. The phone's zone is the context's
 * `timezoneId`.
 */
import { test } from './fixtures';

/** Sets TZ to `zone` before each test of the calling block, and puts it back after. */
export function serverInZone(zone: string): void {
  let saved: string | undefined;
  test.beforeEach(() => {
    saved = process.env.TZ;
    process.env.TZ = zone;
  });
  test.afterEach(() => {
    if (saved === undefined) delete process.env.TZ;
    else process.env.TZ = saved;
  });
}
