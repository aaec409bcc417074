/**
 * What the checks of one phone's batches cost, in a process of their own: the sync route's own
 * `sortRecords` on the bodies in the file `--bodies` (a JSON array of their texts, decoded
 * beforehand), fresh (nothing stored: every record checked, its canonical JSON made, its row
 * built) and resent (every record found stored: each compared with its stored JSON). Prints one
 * JSON line `{fresh, resent}`, ms a batch, each the fastest of several passes (the first ones
 * compile the route's code, as the server's warm-up batches do). Its own process, so that its
 * heap is about the size of the server's: in the bench's, full of other runs' records, garbage
 * collection took up to a third more.
 */
import { readFileSync } from 'node:fs';
import { DEFAULT_GATE_RULES } from '../../../src/shared';
import { sortRecords } from '../../../src/server/sync-batch';
import { argValue } from '../lib/output';

const PASSES = 6;
const gateId = argValue('--gate-id')!;
const batches = (JSON.parse(readFileSync(argValue('--bodies')!, 'utf8')) as string[]).map(
  (text) => JSON.parse(text) as { batchId: string; records: unknown[] },
);
const source = (stored: ReadonlyMap<string, string>, batchId: string) => ({
  gateId,
  rules: DEFAULT_GATE_RULES,
  receivedAt: Date.now(),
  batchId,
  stored,
});
const none = new Map<string, string>();
const storedOf = batches.map(({ records, batchId }) => {
  const { rows } = sortRecords(records, source(none, batchId));
  if (rows.length !== records.length) throw new Error('bench checks: a record did not pass');
  return new Map(rows.map((r) => [r.id, r.json]));
});

function pass(resent: boolean): number {
  const start = performance.now();
  batches.forEach(({ records, batchId }, i) => {
    const sorted = sortRecords(records, source(resent ? storedOf[i]! : none, batchId));
    const answered = resent ? sorted.duplicates.length : sorted.rows.length;
    if (answered !== records.length) throw new Error('bench checks: not every record answered');
  });
  return (performance.now() - start) / batches.length;
}

const fastest = (resent: boolean) =>
  Math.min(...Array.from({ length: PASSES }, () => pass(resent)));
process.stdout.write(JSON.stringify({ fresh: fastest(false), resent: fastest(true) }) + '\n');
