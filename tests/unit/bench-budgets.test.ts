/**
 * The bench's verdict on a report (scripts/bench-budgets.mjs) and `npm run bench:check`'s exit
 * status: a budget is met only by a measured figure on its side of the line.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  BUDGETS,
  check,
  verdict,
  type Budget,
  type Figures,
} from '../../scripts/bench-budgets.mjs';

/** A report whose every budgeted figure is exactly at its budget. */
function atTheLine(): { figures: Record<string, { median: unknown }> } {
  return {
    figures: Object.fromEntries(BUDGETS.map(([key, , budget]) => [key, { median: budget }])),
  };
}

const row = (key: string): Budget => BUDGETS.find(([k]) => k === key)!;

describe('the bench budgets', () => {
  it('takes a figure at its budget as met, and one past it as missed, either way round', () => {
    expect(check(atTheLine())).toEqual([]);
    const report = atTheLine();
    report.figures.save0CommittedP95Ms = { median: 50.1 }; // ≤ 50 ms
    report.figures.storePgInsertPerSec = { median: 39_999 }; // ≥ 40,000 records/s
    expect(check(report)).toEqual([
      'Save → committed, p95, 0 records: 50.1 (budget <= 50)',
      'Ingest, store level, PostgreSQL: 39,999 (budget >= 40,000)',
    ]);
  });

  it('counts a figure that is missing, or was not measured, as missed', () => {
    const report = atTheLine();
    delete report.figures.warmPaintedMs;
    // A run that could not measure gives NaN, which the JSON report holds as null.
    report.figures.logbookFilterMs = { median: null };
    report.figures.coldPaintedMs = { median: NaN };
    expect(check(report)).toEqual([
      'Warm start offline → entry form usable (4× CPU): — (budget <= 1,000)',
      'Cold first visit → first form usable (4× CPU, slow 4G): — (budget <= 2,500)',
      'Logbook, 10,000 entries today: filter: — (budget <= 50)',
    ]);
  });

  it('names the floor beside a missed budget: out of reach when it is past the budget too, else room', () => {
    const http = row('httpSqliteInsertPerSec');
    const figures: Figures = { httpSqliteInsertPerSec: { median: 31_000 } };
    expect(verdict(figures, http)).toBe('**missed**');
    figures.httpSqliteInsertFloorPerSec = { median: 60_000 };
    expect(verdict(figures, http)).toMatch(
      /^\*\*missed\*\*; room in its floor here: .* 60,000 records\/s$/,
    );
    figures.httpSqliteInsertFloorPerSec = { median: 49_864 };
    expect(verdict(figures, http)).toMatch(
      /^\*\*missed\*\*; out of reach here: .* 49,864 records\/s$/,
    );
    figures.httpSqliteInsertPerSec = { median: 50_000 };
    expect(verdict(figures, http)).toBe('met');
    expect(verdict({}, http)).toBe('—');
    // A "≤" budget's floor: the store alone's least mean latency.
    const load = row('loadPgP99Ms');
    expect(
      verdict({ loadPgP99Ms: { median: 438 }, storeLoadPgFloorMs: { median: 156.6 } }, load),
    ).toMatch(/out of reach here: .* 156\.6 ms$/);
    expect(
      verdict({ loadPgP99Ms: { median: 438 }, storeLoadPgFloorMs: { median: 120 } }, load),
    ).toMatch(/^\*\*missed\*\*; room in its floor here: .* 120 ms$/);
  });

  describe('npm run bench:check', () => {
    const dir = mkdtempSync(join(tmpdir(), 'gatelog-bench-check-'));
    const script = resolve(import.meta.dirname, '../../scripts/bench.mjs');
    const run = (file: string) =>
      spawnSync(process.execPath, [script, '--check', file], { encoding: 'utf8' });

    it('exits 0 when every budget is met', () => {
      const file = join(dir, 'met.json');
      writeFileSync(file, JSON.stringify(atTheLine()));
      expect(
        execFileSync(process.execPath, [script, '--check', file], { encoding: 'utf8' }),
      ).toMatch(/all \d+ budgets met/);
    });

    it('exits 1 and lists what is missed, and 2 without a report', () => {
      const report = atTheLine();
      report.figures.loadSqliteP99Ms = { median: 333.2 };
      const file = join(dir, 'missed.json');
      writeFileSync(file, JSON.stringify(report));
      const missed = run(file);
      expect(missed.status).toBe(1);
      expect(missed.stderr).toContain('1 of');
      expect(missed.stderr).toContain('p99, SQLite: 333.2 (budget <= 150)');
      expect(run(join(dir, 'none.json')).status).toBe(2);
    });
  });
});
