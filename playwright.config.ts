/**
 * Browser suites (tests/e2e) in Debian's Chromium — never a downloaded browser. Each test starts
 * its own server on a free port (tests/e2e/support), so there is no webServer here. Run them with
 * `npm run test:e2e`, which builds dist/ first and skips cleanly when Chromium is missing.
 */
import { defineConfig, type ReporterDescription } from '@playwright/test';
import { LAN_HOST } from './tests/e2e/support/lan-host';

const CHROMIUM_PATH = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

const reporter: ReporterDescription[] = [['list']];
if (process.env.GATELOG_E2E_JSON) {
  reporter.push(['json', { outputFile: process.env.GATELOG_E2E_JSON }]);
}

export default defineConfig({
  testDir: 'tests/e2e',
  testMatch: '**/*.spec.ts',
  workers: 1,
  fullyParallel: false,
  forbidOnly: !!process.env.CI,
  retries: 0,
  timeout: 90_000,
  expect: { timeout: 10_000 },
  reporter,
  outputDir: 'test-results',
  use: {
    browserName: 'chromium',
    serviceWorkers: 'allow',
    actionTimeout: 10_000,
    navigationTimeout: 20_000,
    trace: 'retain-on-failure',
    viewport: { width: 390, height: 844 },
    locale: 'en-US',
    launchOptions: {
      executablePath: CHROMIUM_PATH,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        `--host-resolver-rules=MAP ${LAN_HOST} 127.0.0.1`,
      ],
    },
  },
});
