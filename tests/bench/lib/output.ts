/**
 * How a bench script hands its figures to scripts/bench.mjs: one JSON object written to the
 * file named by `--out <file>` (or printed), with flat metric names. Progress goes to stderr.
 */
import { writeFileSync } from 'node:fs';

export type Metrics = Record<string, number>;

export interface BenchOutput {
  metrics: Metrics;
  /** Anything else worth keeping in the JSON report (settings, breakdowns). */
  details?: Record<string, unknown>;
}

export function argValue(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

export function writeOutput(out: BenchOutput): void {
  const file = argValue('--out');
  const text = JSON.stringify(out, null, 2);
  if (file) writeFileSync(file, text);
  else process.stdout.write(text + '\n');
}

export function log(...parts: unknown[]): void {
  process.stderr.write(parts.map(String).join(' ') + '\n');
}
