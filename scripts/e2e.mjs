#!/usr/bin/env node
// `npm run test:e2e [-- <playwright args>]`: the browser suites (tests/e2e) in Debian's Chromium.
// - No Chromium (/usr/bin/chromium or $CHROMIUM_PATH): prints SKIPPED and exits 0, unless
//   GATELOG_REQUIRE_BROWSER=1 (CI), which makes it a failure. Browsers are never downloaded.
// - Otherwise builds a fresh dist/ (the suites test what ships), then runs `playwright test`
//   with the given arguments. GATELOG_E2E_JSON=<file> also writes Playwright's JSON report.
import { spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import process from 'node:process';

const chromium = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const args = process.argv.slice(2);

function run(cmd, cmdArgs, env = {}) {
  const r = spawnSync(cmd, cmdArgs, { stdio: 'inherit', env: { ...process.env, ...env } });
  return r.status ?? 1;
}

if (!existsSync(chromium)) {
  const required = process.env.GATELOG_REQUIRE_BROWSER === '1';
  process.stderr.write(
    `${required ? 'FAILED' : 'SKIPPED'}: browser suites need Chromium (apt-get install chromium); ` +
      `none at ${chromium}.\n`,
  );
  if (process.env.GATELOG_E2E_JSON) {
    // Say how many tests were skipped, for scripts/test.mjs's totals.
    const list = spawnSync('npx', ['playwright', 'test', '--list', ...args], { encoding: 'utf8' });
    const m = /Total: (\d+) tests?/.exec(list.stdout ?? '');
    const skipped = m ? Number(m[1]) : 0;
    writeFileSync(
      process.env.GATELOG_E2E_JSON,
      JSON.stringify({ stats: { expected: 0, unexpected: 0, flaky: 0, skipped } }),
    );
  }
  process.exit(required ? 1 : 0);
}

const built = run('npx', ['vite', 'build', '--logLevel', 'warn']);
if (built !== 0) {
  process.stderr.write('FAILED: vite build failed; the browser suites need dist/.\n');
  process.exit(built);
}
process.exit(run('npx', ['playwright', 'test', ...args], { CHROMIUM_PATH: chromium }));
