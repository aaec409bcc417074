/**
 * The browser half of the reliability suites (tests/reliability/browser): real Chromium against
 * the real server (SQLite, and PostgreSQL when DATABASE_URL is set), with the network, the tab,
 * the browser process and the phone's storage misbehaving on purpose. Same Chromium and launch
 * options as playwright.config.ts (Debian's, never a download); one worker, because several
 * scenarios time the sync engine and kill browser processes. Run it with
 * `npm run test:reliability` (scripts/reliability.mjs), which builds the PWA into
 * .tmp/reliability-dist first (GATELOG_RELIABILITY_DIST) so it never races the e2e suites' dist/.
 */
import { defineConfig, type ReporterDescription } from '@playwright/test';
import e2e from './playwright.config';

const reporter: ReporterDescription[] = [['list']];
if (process.env.GATELOG_RELIABILITY_JSON) {
  reporter.push(['json', { outputFile: process.env.GATELOG_RELIABILITY_JSON }]);
}

export default defineConfig({
  testDir: 'tests/reliability/browser',
  testMatch: '**/*.spec.ts',
  workers: 1,
  fullyParallel: false,
  forbidOnly: !!process.env.CI,
  retries: 0,
  // The flaky-network scenario runs GATELOG_FLAKY_SECONDS (default 60) plus its drain.
  timeout: 240_000,
  expect: { timeout: 15_000 },
  reporter,
  // Not under test-results/: the e2e run empties that folder when it starts.
  outputDir: '.tmp/reliability/test-results',
  use: { ...e2e.use, trace: 'retain-on-failure' },
});
