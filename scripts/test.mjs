#!/usr/bin/env node
// `npm test`: every suite the project has, in one command.
//   1. vitest: unit, component, server (SQLite; PostgreSQL when DATABASE_URL is set), build.
//   2. Playwright in Debian's Chromium: offline, install, update and sync e2e.
// Without Chromium or PostgreSQL the browser and PostgreSQL suites say they were skipped;
// `.ci/run` sets GATELOG_REQUIRE_BROWSER=1 and GATELOG_REQUIRE_POSTGRES=1 to make them required.
// Ends with the failed tests, a line each (also in .tmp/test-failures.txt, which `.ci/run` prints
// again last), then one plain line "N passed, N failed, N skipped" over all suites.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { playwrightFailures, reportFailures, vitestFailures } from './failures.mjs';

const out = mkdtempSync(join(tmpdir(), 'gatelog-test-'));
const totals = { passed: 0, failed: 0, skipped: 0 };
let ok = true;

function run(cmd, args, env = {}) {
  const r = spawnSync(cmd, args, { stdio: 'inherit', env: { ...process.env, ...env } });
  return r.status === 0;
}

// 1. vitest
const vitestJson = join(out, 'vitest.json');
ok =
  run('npx', [
    'vitest',
    'run',
    '--reporter=default',
    '--reporter=json',
    `--outputFile.json=${vitestJson}`,
  ]) && ok;
if (existsSync(vitestJson)) {
  const r = JSON.parse(readFileSync(vitestJson, 'utf8'));
  totals.passed += r.numPassedTests;
  totals.failed += r.numFailedTests;
  totals.skipped += r.numPendingTests + r.numTodoTests;
} else {
  ok = false;
}

// 2. browser suites
const e2eJson = join(out, 'e2e.json');
ok = run('node', ['scripts/e2e.mjs'], { GATELOG_E2E_JSON: e2eJson }) && ok;
if (existsSync(e2eJson)) {
  const r = JSON.parse(readFileSync(e2eJson, 'utf8'));
  totals.passed += r.stats?.expected ?? 0;
  totals.failed += (r.stats?.unexpected ?? 0) + (r.stats?.flaky ?? 0);
  totals.skipped += r.stats?.skipped ?? 0;
}

reportFailures('test-failures.txt', [
  ...vitestFailures(vitestJson, 'vitest'),
  ...playwrightFailures(e2eJson, 'e2e'),
]);
console.log('');
console.log(`${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
process.exit(ok && totals.failed === 0 ? 0 : 1);
