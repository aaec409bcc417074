/**
 * What a sync batch's body costs the server before the store, in a process of its own: decoding
 * one phone's bodies (gunzip, UTF-8, `JSON.parse`) and the sync route's own checks of their
 * records (`sortRecords`), fresh (nothing stored: every record checked, its canonical JSON made,
 * its row built) and resent (every record found stored: each compared with its stored JSON).
 * The bodies come in the file `--bodies`: a JSON array of each body as sent, base64 when
 * gzip-compressed, else its text. Prints one JSON line `{decode, fresh, resent}`, ms a batch,
 * each the fastest of several passes (the first ones compile the code, as the server's warm-up
 * batches do). Its own process, so that its heap is about the size of the server's: in the
 * bench's, full of other runs' records, garbage collection made these up to a third slower.
 */
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { DEFAULT_GATE_RULES } from '../../../src/shared';
import { sortRecords } from '../../../src/server/sync-batch';
import { argValue } from '../lib/output';

const PASSES = 6;
const gateId = argValue('--gate-id')!;
const bodies = (
  JSON.parse(readFileSync(argValue('--bodies')!, 'utf8')) as ({ gzip: string } | { text: string })[]
).map((b) => ('gzip' in b ? Buffer.from(b.gzip, 'base64') : b.text));

type Batch = { batchId: string; records: unknown[] };
const decode = (body: Buffer | string): Batch =>
  JSON.parse(typeof body === 'string' ? body : gunzipSync(body).toString('utf8')) as Batch;
const batches = bodies.map(decode);
// One phone's bodies: the device its records name is the sender.
const { deviceId } = batches[0]!.records[0] as { deviceId: string };

const source = (stored: ReadonlyMap<string, string>, batchId: string) => ({
  deviceId,
  gateId,
  rules: DEFAULT_GATE_RULES,
  highestFeverThresholdC: DEFAULT_GATE_RULES.feverThresholdC,
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

/** ms a batch of one pass of `each` over every batch. */
function pass(each: (i: number) => void): number {
  const start = performance.now();
  for (let i = 0; i < batches.length; i++) each(i);
  return (performance.now() - start) / batches.length;
}

const fastest = (each: (i: number) => void) =>
  Math.min(...Array.from({ length: PASSES }, () => pass(each)));

const checks = (resent: boolean) => (i: number) => {
  const { records, batchId } = batches[i]!;
  const sorted = sortRecords(records, source(resent ? storedOf[i]! : none, batchId));
  const answered = resent ? sorted.duplicates.length : sorted.rows.length;
  if (answered !== records.length) throw new Error('bench checks: not every record answered');
};

const out = {
  decode: fastest((i) => {
    if (!Array.isArray(decode(bodies[i]!).records)) throw new Error('bench decode: no records');
  }),
  fresh: fastest(checks(false)),
  resent: fastest(checks(true)),
};
process.stdout.write(JSON.stringify(out) + '\n');
