// The failed tests of a run, one line each (where, name, first line of the error), read from
// vitest's and Playwright's JSON reports. scripts/test.mjs and scripts/reliability.mjs print them
// at the end and write them under .tmp/, where `.ci/run` prints them again last, so the tail of
// a CI log names what failed.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';

function firstLine(text) {
  const lines = String(text ?? '')
    .replace(/\x1b\[[0-9;]*m/g, '') // eslint-disable-line no-control-regex
    .split('\n');
  return (lines.find((l) => l.trim()) ?? '').trim().slice(0, 300);
}

function readJson(file) {
  return existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : null;
}

/** From vitest's JSON reporter. */
export function vitestFailures(file, label) {
  const report = readJson(file);
  const out = [];
  for (const suite of report?.testResults ?? []) {
    for (const t of suite.assertionResults ?? []) {
      if (t.status !== 'failed') continue;
      const where = suite.name.replace(`${process.cwd()}/`, '');
      out.push(`${label} ${where} › ${t.fullName}: ${firstLine(t.failureMessages?.join('\n'))}`);
    }
  }
  return out;
}

/** From Playwright's JSON reporter; flaky (passed on retry) counts as failed too. */
export function playwrightFailures(file, label) {
  const report = readJson(file);
  const out = [];
  const walk = (suite, titles) => {
    for (const spec of suite.specs ?? []) {
      for (const test of spec.tests ?? []) {
        if (test.status !== 'unexpected' && test.status !== 'flaky') continue;
        const error = test.results?.find((r) => r.error)?.error?.message;
        const name = [...titles, spec.title].filter(Boolean).join(' › ');
        out.push(
          `${label} ${spec.file}:${spec.line} › ${name} (${test.status}): ${firstLine(error)}`,
        );
      }
    }
    for (const child of suite.suites ?? []) walk(child, [...titles, child.title]);
  };
  for (const suite of report?.suites ?? []) walk(suite, []);
  return out;
}

/** Prints the list (if any) and writes it to .tmp/<name>, empty when nothing failed. */
export function reportFailures(name, failures) {
  mkdirSync('.tmp', { recursive: true });
  writeFileSync(`.tmp/${name}`, failures.map((f) => `${f}\n`).join(''));
  if (failures.length === 0) return;
  console.log('');
  console.log('Failed:');
  for (const f of failures) console.log(`  ${f}`);
}
