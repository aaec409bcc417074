// The bench's budgets and its verdict on a report: which figures meet theirs, which miss, and
// which are out of reach on the machine that ran them. Shared by `scripts/bench.mjs` (the report
// and `--check`) and its tests.

/**
 * Every budgeted figure: metric key (from the bench scripts), what, budget, direction, unit, and
 * optionally a floor: the key of a figure this one cannot pass on this machine (measured with
 * part of the system taken away) and what it is, which the report names beside a missed budget.
 */
const STORE_FLOOR = 'the store alone allows a mean of no less than';
const HTTP_FLOOR =
  "one phone's batches can go no faster than the bench's client, the body's decoding, the checks of its records and the store's own time allow:";
/** A one-phone HTTP figure (records/s), its floor the bench's `…FloorPerSec`. */
const overHttp = (key, what, budget) => [
  key,
  what,
  budget,
  '>=',
  'records/s',
  [key.replace(/PerSec$/, 'FloorPerSec'), HTTP_FLOOR],
];
/** The 20-phone p99, its floor the store alone's least mean latency. */
const underLoad = (key, what, floorKey) => [key, what, 150, '<=', 'ms', [floorKey, STORE_FLOOR]];

export const BUDGETS = [
  ['firstLoadJsGzipKB', 'First-load JS of the entry form, gzip', 130, '<=', 'KB'],
  ['precacheGzipKB', 'Precache total, gzip', 400, '<=', 'KB'],
  ['warmPaintedMs', 'Warm start offline → entry form usable (4× CPU)', 1000, '<=', 'ms'],
  ['coldPaintedMs', 'Cold first visit → first form usable (4× CPU, slow 4G)', 2500, '<=', 'ms'],
  ['save0CommittedP95Ms', 'Save → committed, p95, 0 records', 50, '<=', 'ms'],
  ['save0PaintedP95Ms', 'Save → confirmation shown, p95, 0 records', 100, '<=', 'ms'],
  ['save100kCommittedP95Ms', 'Save → committed, p95, 100,000 records', 50, '<=', 'ms'],
  ['save100kPaintedP95Ms', 'Save → confirmation shown, p95, 100,000 records', 100, '<=', 'ms'],
  ['startup100kDeltaMs', 'Start-up with 100,000 records vs empty', 150, '<=', 'ms'],
  ['logbookFirstPaintMs', 'Logbook, 10,000 entries today: first paint', 100, '<=', 'ms'],
  ['logbookFilterMs', 'Logbook, 10,000 entries today: filter', 50, '<=', 'ms'],
  [
    'sync10kEndToEndMs',
    '10,000 pending synced to a local server, marked synced',
    5000,
    '<=',
    'ms',
    [
      'sync10kIdbFloorMs',
      "the phone's IndexedDB alone takes, for the same reads and marks with its own API,",
    ],
  ],
  ['storeSqliteInsertPerSec', 'Ingest, store level, SQLite', 50000, '>=', 'records/s'],
  ['storePgInsertPerSec', 'Ingest, store level, PostgreSQL', 40000, '>=', 'records/s'],
  overHttp('httpSqliteInsertPerSec', 'Ingest, HTTP, SQLite', 50000),
  overHttp('httpPgInsertPerSec', 'Ingest, HTTP, PostgreSQL', 40000),
  ['storeSqliteDuplicatePerSec', 'Duplicate resend, store level, SQLite', 80000, '>=', 'records/s'],
  ['storePgDuplicatePerSec', 'Duplicate resend, store level, PostgreSQL', 80000, '>=', 'records/s'],
  overHttp('httpSqliteDuplicatePerSec', 'Duplicate resend, HTTP, SQLite', 80000),
  overHttp('httpPgDuplicatePerSec', 'Duplicate resend, HTTP, PostgreSQL', 80000),
  underLoad(
    'loadSqliteP99Ms',
    'Sync under load, 20 phones × 500-record batches, p99, SQLite',
    'storeLoadSqliteFloorMs',
  ),
  underLoad(
    'loadPgP99Ms',
    'Sync under load, 20 phones × 500-record batches, p99, PostgreSQL',
    'storeLoadPgFloorMs',
  ),
];

/** A figure as the report prints it. */
export const fmt = (n) =>
  typeof n !== 'number' || Number.isNaN(n)
    ? '—'
    : Math.abs(n) >= 1000
      ? Math.round(n).toLocaleString('en-US')
      : String(Math.round(n * 10) / 10);

/**
 * Whether figure `v` is within `budget` in the direction `op`. Only a number can be: a figure a
 * run could not measure is NaN, and null once the report is JSON.
 */
export const meets = (v, budget, op) =>
  typeof v === 'number' && Number.isFinite(v) && (op === '<=' ? v <= budget : v >= budget);

/** The budgets `report` misses (or has no figure for), one line each. */
export function check(report) {
  const missed = [];
  for (const [key, what, budget, op] of BUDGETS) {
    const v = report.figures[key]?.median;
    if (!meets(v, budget, op)) missed.push(`${what}: ${fmt(v)} (budget ${op} ${fmt(budget)})`);
  }
  return missed;
}

/**
 * The report's last column for a budget's row: met; missed and out of reach here (its floor is
 * past the budget too); missed with room in its floor (what lies between is request work); or
 * missed, with no floor measured.
 */
export function verdict(figures, [key, , budget, op, unit, [floorKey, floorWhat] = []]) {
  const v = figures[key]?.median;
  if (v === undefined) return '—';
  if (meets(v, budget, op)) return 'met';
  const floor = floorKey && figures[floorKey]?.median;
  if (typeof floor !== 'number') return '**missed**';
  return meets(floor, budget, op)
    ? `**missed**; room in its floor here: ${floorWhat} ${fmt(floor)} ${unit}`
    : `**missed**; out of reach here: ${floorWhat} ${fmt(floor)} ${unit}`;
}
