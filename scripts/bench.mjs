#!/usr/bin/env node
// `npm run bench`: GateLog's performance figures against their budgets (docs/performance.md).
// Not part of `npm test`. Builds the app once (tests/bench/bundle.ts: sizes and the library
// baseline), then runs the browser bench (tests/bench/browser.ts) and the server bench
// (tests/bench/server.ts) --runs times each, every run in its own process. Writes Markdown and
// JSON to bench/results/<time>.{md,json} and bench/results/latest.{md,json}: per figure the
// median of the runs and their min–max, plus the machine (CPU, cores, memory, load, Node,
// Chromium) and a CPU calibration, since this machine is shared and its numbers are noisy.
//
//   node scripts/bench.mjs [--runs 3] [--only bundle,browser,server]
//   node scripts/bench.mjs --check [file]   exits 1 when a figure of the latest report (or
//                                           `file`) misses its budget, or is missing
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join, resolve } from 'node:path';
import process from 'node:process';
import { BUDGETS, check, fmt, verdict } from './bench-budgets.mjs';

const ROOT = resolve(import.meta.dirname, '..');
const RESULTS = join(ROOT, 'bench/results');
const TMP = join(RESULTS, 'tmp');
const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

/** Figures reported beside the budgets, for context. */
const CONTEXT = [
  ['baselineJsGzipKB', 'Library baseline (no app code), gzip', 'KB'],
  ['firstLoadOverBaselineKB', 'First-load JS over the baseline', 'KB'],
  ['appCodeInEntryGzipKB', 'App code in the entry chunk (gzip share)', 'KB'],
  ['firstLoadCssGzipKB', 'First-load CSS, gzip', 'KB'],
  ['swJsGzipKB', 'sw.js, gzip', 'KB'],
  ['warmScriptsEvaluatedMs', 'Warm start: scripts evaluated (DOMContentLoaded end)', 'ms'],
  ['warmUsableMs', 'Warm start: form in the DOM (before its frame)', 'ms'],
  ['warm100kPaintedMs', 'Warm start with 100,000 records', 'ms'],
  ['coldUsableMs', 'Cold: form in the DOM (before its frame)', 'ms'],
  ['coldSlow400PaintedMs', 'Cold on 400 kbps / 400 ms (no budget)', 'ms'],
  ['coldBytesUntilUsableKB', 'Cold: bytes sent until usable', 'KB'],
  ['coldUncompressedPaintedMs', 'Cold from a host that does not compress (no budget)', 'ms'],
  ['coldUncompressedBytesKB', 'Cold, uncompressed: bytes sent', 'KB'],
  ['save0ShownP95Ms', 'Save → toast in the DOM, p95, 0 records', 'ms'],
  ['save100kShownP95Ms', 'Save → toast in the DOM, p95, 100,000 records', 'ms'],
  [
    'save0PaintedQueuedP95Ms',
    'Save → shown, p95, 0 records, marked behind tasks queued before the frame (before 2026-12-08)',
    'ms',
  ],
  [
    'save100kPaintedQueuedP95Ms',
    'Save → shown, p95, 100,000 records, marked behind queued tasks (before 2026-12-08)',
    'ms',
  ],
  ['save0CommittedMedianMs', 'Save → committed, median, 0 records', 'ms'],
  ['save100kCommittedMedianMs', 'Save → committed, median, 100,000 records', 'ms'],
  ['logbookRows', 'Logbook rows in scope', ''],
  ['logbookCompleteMs', 'Logbook: every row in (the filter is timed after), from the tap', 'ms'],
  ['logbookBackToFormMs', 'Logbook → back to the entry form, shown (4× CPU)', 'ms'],
  [
    'logbookRawGetAllMs',
    'Logbook floor today: one raw getAll of the 10,000 records (4× CPU)',
    'ms',
  ],
  ['sync10kFirstToLastRequestMs', 'Sync 10k: first request to last answer (server clock)', 'ms'],
  ['sync10kServerBusyMs', 'Sync 10k: time the server spent answering', 'ms'],
  [
    'sync10kIdbFloorMs',
    "Sync 10k floor: the phone's IndexedDB alone, the same reads and marks (its own API)",
    'ms',
  ],
  ['sync10kRequests', 'Sync 10k: requests', ''],
  [
    'sync10kPhone4gMs',
    "Sync 10k over a phone's 4G (100 ms, 8 Mbps up; no budget), marked synced",
    'ms',
  ],
  ['loadSqliteP50Ms', 'Under load, p50, SQLite', 'ms'],
  ['loadPgP50Ms', 'Under load, p50, PostgreSQL', 'ms'],
  ['loadSqliteRecordsPerSec', 'Under load, throughput, SQLite', 'records/s'],
  ['loadPgRecordsPerSec', 'Under load, throughput, PostgreSQL', 'records/s'],
  ...['Sqlite', 'Pg'].flatMap((key) => {
    const store = key === 'Pg' ? 'PostgreSQL' : 'SQLite';
    return [
      [`load${key}LoopCpuMsPerBatch`, `Under load, ${store}: CPU a batch, the request loop`, 'ms'],
      [
        `load${key}ThreadsCpuMsPerBatch`,
        "… the server's other threads (writer, garbage collection, thread pool)",
        'ms',
      ],
      ...(key === 'Pg' ? [['loadPgDbCpuMsPerBatch', "… PostgreSQL's CPU", 'ms']] : []),
      [`load${key}ClientCpuMsPerBatch`, "… the bench's 20 phones", 'ms'],
      [
        `load${key}CpuFloorMs`,
        '… least mean latency that CPU allows (20 batches of it over every core)',
        'ms',
      ],
    ];
  }),
  [
    'storeLoadSqlitePerSec',
    'Under load, the store alone (no HTTP), throughput, SQLite',
    'records/s',
  ],
  [
    'storeLoadPgPerSec',
    'Under load, the store alone (no HTTP), throughput, PostgreSQL',
    'records/s',
  ],
  ['storeLoadSqliteP99Ms', 'Under load, the store alone (no HTTP), p99, SQLite', 'ms'],
  ['storeLoadPgP99Ms', 'Under load, the store alone (no HTTP), p99, PostgreSQL', 'ms'],
  [
    'storeLoadSqliteFloorMs',
    'Under load, least mean latency the store allows (20 batches over its throughput), SQLite',
    'ms',
  ],
  [
    'storeLoadPgFloorMs',
    'Under load, least mean latency the store allows (20 batches over its throughput), PostgreSQL',
    'ms',
  ],
  ...['Sqlite', 'Pg'].flatMap((key) => {
    const store = key === 'Pg' ? 'PostgreSQL' : 'SQLite';
    return [
      [
        `http${key}DecodeMsPerBatch`,
        `HTTP, ${store}: decoding one phone's batch (gunzip, UTF-8, JSON.parse), in a process of its own`,
        'ms',
      ],
    ].concat(
      [
        ['Insert', 'fresh'],
        ['Duplicate', 'resent'],
      ].flatMap(([what, how]) => [
        [
          `http${key}${what}MsPerBatch`,
          `HTTP, ${store}, ${how}: one batch, request to answer`,
          'ms',
        ],
        [`http${key}${what}ServerCpuMsPerBatch`, `… the server's CPU (all its threads)`, 'ms'],
        ...(key === 'Pg' ? [[`httpPg${what}DbCpuMsPerBatch`, "… PostgreSQL's CPU", 'ms']] : []),
        [`http${key}${what}ClientCpuMsPerBatch`, "… the bench client's CPU", 'ms'],
        [
          `http${key}${what}ChecksMsPerBatch`,
          "… the checks of its records (the route's sortRecords), in a process of its own",
          'ms',
        ],
        [
          `http${key}${what}FloorPerSec`,
          `… the floor here: client + decoding + checks + the store's own time`,
          'records/s',
        ],
      ]),
    );
  }),
  ['pacedSqliteP99Ms', 'Paced (a batch per phone per 5 s), p99, SQLite', 'ms'],
  ['pacedPgP99Ms', 'Paced (a batch per phone per 5 s), p99, PostgreSQL', 'ms'],
  ['calibrationMs', 'CPU calibration (fixed SHA-256 work, lower is faster)', 'ms'],
  ['loadAverage1m', 'Load average (1 min) when the run started', ''],
];

const args = process.argv.slice(2);
const flag = (name) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length === 0 ? NaN : s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

if (args.includes('--check')) {
  const file = args[args.indexOf('--check') + 1]?.startsWith('--')
    ? undefined
    : args[args.indexOf('--check') + 1];
  const path = file ?? join(RESULTS, 'latest.json');
  if (!existsSync(path)) {
    console.error(`bench:check: no report at ${path}; run \`npm run bench\` first.`);
    process.exit(2);
  }
  const missed = check(JSON.parse(readFileSync(path, 'utf8')));
  if (missed.length) {
    console.error(`bench:check: ${missed.length} of ${BUDGETS.length} budgets missed (${path}):`);
    for (const m of missed) console.error(`  - ${m}`);
    process.exit(1);
  }
  console.log(`bench:check: all ${BUDGETS.length} budgets met (${path}).`);
  process.exit(0);
}

const RUNS = Number(flag('--runs') ?? 3);
const ONLY = new Set((flag('--only') ?? 'bundle,browser,server').split(','));
mkdirSync(TMP, { recursive: true });

function calibrate() {
  const start = process.hrtime.bigint();
  let data = Buffer.alloc(1 << 20, 7);
  for (let i = 0; i < 100; i++)
    data = Buffer.concat([createHash('sha256').update(data).digest(), data.subarray(32)]);
  return Number(process.hrtime.bigint() - start) / 1e6;
}

function machine() {
  const sh = (cmd, a) => {
    try {
      return execFileSync(cmd, a, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    } catch {
      return undefined;
    }
  };
  return {
    cpu: os.cpus()[0]?.model ?? 'unknown',
    cores: os.cpus().length,
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    os: `${os.type()} ${os.release()}`,
    node: process.version,
    chromium: existsSync(CHROMIUM) ? sh(CHROMIUM, ['--version']) : 'missing',
    postgres: sh('psql', ['--version']),
    // Chinese names are laid out in a CJK font where one is installed (a phone has one), else
    // as missing glyphs: the logbook's figures depend on it.
    cjkFont: sh('fc-match', [':lang=zh-cn', 'family']) ?? 'unknown',
    commit: sh('git', ['rev-parse', '--short', 'HEAD']),
    uncommittedFiles: (sh('git', ['status', '--porcelain', '--untracked-files=no']) ?? '')
      .split('\n')
      .filter(Boolean).length,
  };
}

/** Runs one bench script in its own process; returns its metrics (or undefined on failure). */
function runScript(script, extra = []) {
  const out = join(TMP, `${script.replace(/\W/g, '_')}-${process.pid}.json`);
  const r = spawnSync(
    process.execPath,
    ['--import', 'tsx', join(ROOT, 'tests/bench', script), '--out', out, ...extra],
    {
      cwd: ROOT,
      stdio: ['ignore', 'ignore', 'inherit'],
      env: process.env,
    },
  );
  if (r.status !== 0 || !existsSync(out)) {
    console.error(`bench: ${script} failed (exit ${r.status})`);
    return undefined;
  }
  const parsed = JSON.parse(readFileSync(out, 'utf8'));
  return parsed;
}

const started = new Date();
// The tree as the runs found it: the build and the server's sources are read from it as they go.
const facts = machine();
const runs = [];
const details = {};
const failures = [];
const dist = join(TMP, 'dist');

if (ONLY.has('bundle') || ONLY.has('browser')) {
  console.error('bench: bundle (build, sizes, library baseline)');
  const b = runScript('bundle.ts', ['--dist', dist]);
  if (b) {
    runs.push({ suite: 'bundle', run: 1, metrics: b.metrics });
    details.bundle = b.details;
  } else failures.push('bundle');
}
for (let run = 1; run <= RUNS; run++) {
  const calibrationMs = calibrate();
  const loadAverage1m = os.loadavg()[0];
  runs.push({ suite: 'machine', run, metrics: { calibrationMs, loadAverage1m } });
  if (ONLY.has('browser')) {
    if (!existsSync(CHROMIUM)) {
      if (run === 1) failures.push(`browser (no Chromium at ${CHROMIUM})`);
    } else {
      console.error(`bench: browser, run ${run} of ${RUNS}`);
      const r = runScript('browser.ts', ['--dist', dist]);
      if (r) {
        runs.push({ suite: 'browser', run, metrics: r.metrics });
        details[`browser-${run}`] = r.details;
      } else failures.push(`browser run ${run}`);
    }
  }
  if (ONLY.has('server')) {
    console.error(`bench: server, run ${run} of ${RUNS}`);
    const r = runScript('server.ts');
    if (r) {
      runs.push({ suite: 'server', run, metrics: r.metrics });
      details[`server-${run}`] = r.details;
    } else failures.push(`server run ${run}`);
  }
}

const samples = {};
for (const r of runs) for (const [k, v] of Object.entries(r.metrics)) (samples[k] ??= []).push(v);
const figures = Object.fromEntries(
  Object.entries(samples).map(([k, xs]) => [
    k,
    { median: median(xs), min: Math.min(...xs), max: Math.max(...xs), runs: xs },
  ]),
);
const report = {
  startedAt: started.toISOString(),
  minutes: Math.round((Date.now() - started.getTime()) / 6000) / 10,
  runs: RUNS,
  machine: facts,
  failures,
  figures,
  details,
};
report.missed = check(report);

const cell = (key) => {
  const f = figures[key];
  if (!f) return ['—', '—'];
  return [fmt(f.median), f.runs.length > 1 ? `${fmt(f.min)}–${fmt(f.max)}` : ''];
};
const md = [];
md.push(`# GateLog bench — ${started.toISOString().slice(0, 16).replace('T', ' ')} UTC`, '');
const m = report.machine;
md.push(
  `Machine: ${m.cpu}, ${m.cores} cores, ${m.memoryGiB} GiB, ${m.os}; Node ${m.node}; ${m.chromium}; ${m.postgres ?? 'no psql'}; CJK font: ${m.cjkFont}.`,
  `Commit ${m.commit}${m.uncommittedFiles ? ` with ${m.uncommittedFiles} uncommitted file(s) in the tree` : ''}. ${RUNS} run(s), ${report.minutes} min. ` +
    `Load average at the start of each run: ${(samples.loadAverage1m ?? []).map((x) => x.toFixed(1)).join(', ')} (on ${m.cores} cores: ` +
    `above ${m.cores} means other work competed for the CPU and every time below is inflated).`,
  '',
  'Median of the runs, then min–max. Sizes: 1 KB = 1000 bytes, gzip level 9.',
  '',
  '| what | median | min–max | budget | |',
  '|---|---:|---:|---:|---|',
);
for (const row of BUDGETS) {
  const [key, what, budget, op, unit] = row;
  const [med, range] = cell(key);
  md.push(
    `| ${what} | ${med} ${unit} | ${range} | ${op} ${fmt(budget)} ${unit} | ${verdict(figures, row)} |`,
  );
}
md.push('', '## Context', '', '| what | median | min–max |', '|---|---:|---:|');
for (const [key, what, unit] of CONTEXT) {
  if (!figures[key]) continue;
  const [med, range] = cell(key);
  md.push(`| ${what} | ${med} ${unit} | ${range} |`);
}
const breakdown = details.bundle?.entryBreakdown;
if (breakdown) {
  md.push(
    '',
    '## What the entry chunk is made of',
    '',
    'Gzip bytes the chunk would lose without each part (source-map attribution), against the library baseline.',
    '',
    '| part | bytes (min) | gzip share | in the baseline |',
    '|---|---:|---:|---:|',
  );
  const base = new Map((details.bundle.baselineBreakdown ?? []).map((s) => [s.group, s.gzipBytes]));
  for (const s of breakdown.slice(0, 30)) {
    md.push(
      `| ${s.group} | ${fmt(s.bytes)} | ${fmt(s.gzipBytes)} | ${base.has(s.group) ? fmt(base.get(s.group)) : ''} |`,
    );
  }
}
if (failures.length) md.push('', `Failed or skipped: ${failures.join('; ')}.`);
md.push(
  '',
  report.missed.length
    ? `Budgets missed: ${report.missed.length} of ${BUDGETS.length}.`
    : `All ${BUDGETS.length} budgets met.`,
  '',
);

const stamp = started.toISOString().replace(/[:.]/g, '-').slice(0, 19);
const text = md.join('\n');
for (const name of [stamp, 'latest']) {
  writeFileSync(join(RESULTS, `${name}.json`), JSON.stringify(report, null, 2) + '\n');
  writeFileSync(join(RESULTS, `${name}.md`), text);
}
console.log(text);
console.error(`bench: wrote bench/results/${stamp}.{md,json} and bench/results/latest.{md,json}`);
process.exit(failures.length ? 1 : 0);
