#!/usr/bin/env node
// `npm run test:reliability [-- --server | --browser] [-- <playwright args>]`: the reliability
// suites, both halves, each on SQLite and (with DATABASE_URL) PostgreSQL.
//   1. server: `vitest run -c vitest.reliability.config.ts` (tests/reliability/server).
//   2. browser: builds the PWA into .tmp/reliability-dist (its own, so it never races the e2e
//      suites' dist/), then `playwright test -c playwright.reliability.config.ts`
//      (tests/reliability/browser) in Debian's Chromium. No Chromium (/usr/bin/chromium or
//      $CHROMIUM_PATH): prints SKIPPED and goes on, unless GATELOG_REQUIRE_BROWSER=1 (CI), which
//      makes it a failure. Browsers are never downloaded.
// Both halves run even when the first fails; the exit code is non-zero if either failed.
// GATELOG_FLAKY_SECONDS sets the flaky-network scenario's length (default 60).
// Ends with the failed tests, a line each (also in .tmp/reliability-failures.txt).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import process from 'node:process';
import { playwrightFailures, reportFailures, vitestFailures } from './failures.mjs';

const args = process.argv.slice(2);
const only = args.includes('--server') ? 'server' : args.includes('--browser') ? 'browser' : null;
const playwrightArgs = args.filter((a) => a !== '--server' && a !== '--browser');
const chromium = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const DIST = '.tmp/reliability-dist';

function run(cmd, cmdArgs, env = {}) {
  const started = Date.now();
  const r = spawnSync(cmd, cmdArgs, { stdio: 'inherit', env: { ...process.env, ...env } });
  return { ok: r.status === 0, seconds: Math.round((Date.now() - started) / 1000) };
}

const results = [];
const out = mkdtempSync(join(tmpdir(), 'gatelog-reliability-'));
const serverJson = join(out, 'server.json');
const browserJson = join(out, 'browser.json');

if (only !== 'browser') {
  const r = run('npx', [
    'vitest',
    'run',
    '-c',
    'vitest.reliability.config.ts',
    '--reporter=default',
    '--reporter=json',
    `--outputFile.json=${serverJson}`,
  ]);
  results.push(`server half (vitest): ${r.ok ? 'passed' : 'FAILED'} in ${r.seconds} s`);
  if (!r.ok) process.exitCode = 1;
}

if (only !== 'server') {
  if (!existsSync(chromium)) {
    const required = process.env.GATELOG_REQUIRE_BROWSER === '1';
    const line =
      `${required ? 'FAILED' : 'SKIPPED'}: the browser half of the reliability suites needs ` +
      `Chromium (apt-get install chromium); none at ${chromium}.`;
    process.stderr.write(`${line}\n`);
    results.push(`browser half (Playwright): ${line}`);
    if (required) process.exitCode = 1;
  } else {
    const built = run('npx', [
      'vite',
      'build',
      '--outDir',
      DIST,
      '--emptyOutDir',
      '--logLevel',
      'warn',
    ]);
    if (!built.ok) {
      results.push('browser half (Playwright): FAILED — vite build failed');
      process.exitCode = 1;
    } else {
      const r = run(
        'npx',
        ['playwright', 'test', '-c', 'playwright.reliability.config.ts', ...playwrightArgs],
        {
          CHROMIUM_PATH: chromium,
          GATELOG_RELIABILITY_DIST: DIST,
          GATELOG_RELIABILITY_JSON: browserJson,
        },
      );
      results.push(`browser half (Playwright): ${r.ok ? 'passed' : 'FAILED'} in ${r.seconds} s`);
      if (!r.ok) process.exitCode = 1;
    }
  }
}

reportFailures('reliability-failures.txt', [
  ...vitestFailures(serverJson, 'reliability server'),
  ...playwrightFailures(browserJson, 'reliability browser'),
]);
console.log('');
for (const line of results) console.log(line);
