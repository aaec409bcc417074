/**
 * The lean parser of the record schema against zod itself: whatever it answers (anything but
 * NOT_SURE) must be exactly what `safeParse` answers, on valid records, on records that need
 * normalising, and on records with any field broken in any way.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import { makeGateLogSchema, type GateLog } from '../../src/shared';
import { leanParser, NOT_SURE } from '../../src/server/lean-parse';
import { canonicalJson } from '../../src/server/records';
import { makeGateLog, residentId, uuidv7 } from './factories';

const RULE_SETS = [{ feverThresholdC: 37.3 }, { feverThresholdC: 38.5 }, { feverThresholdC: 36 }];

/**
 * Zod's verdict and the lean one agree wherever the lean parser answers, and the lean result's
 * plain JSON is the canonical JSON the route stores (its keys come out sorted).
 */
function agree(schema: ReturnType<typeof makeGateLogSchema>, input: unknown): boolean {
  const lean = leanParser(schema)!(input);
  if (lean === NOT_SURE) return false;
  const zod = schema.safeParse(input);
  expect(zod.success).toBe(true);
  expect(lean).toStrictEqual(zod.data);
  expect(JSON.stringify(lean)).toBe(canonicalJson(zod.data));
  return true;
}

const pad = (s: string) => `  ${s}\t`;
const str = (n: number, c = 'x') => c.repeat(n);

/** Values that sit on or just past an edge of some field's rules, and plain wrong ones. */
const edgeValue = fc.oneof(
  fc.constantFrom<unknown>(
    '',
    ' ',
    '\u3000',
    'x',
    str(39),
    str(40),
    str(41),
    str(59),
    str(60),
    str(61),
    str(64),
    str(65),
    str(80),
    str(81),
    str(500),
    str(501),
    pad('王小明'),
    '😷'.repeat(30),
    '😷'.repeat(31),
    'in',
    'out',
    'IN',
    'resident',
    'visitor',
    'cn_resident_id',
    'passport',
    'none',
    'domestic',
    'overseas',
    'admitted',
    'refused',
    'referred',
    residentId(7),
    residentId(7).toLowerCase(),
    pad(residentId(8)),
    residentId(9).slice(0, 17) + '0',
    '13800138000',
    pad('13800138000'),
    '+8613800138000',
    '12345',
    '2026-11-28',
    '2026-02-29',
    '2028-02-29',
    '2026-13-01',
    '2999-01-01',
    '2026-11-28T08:00:00+08:00',
    '2026-11-28T08:00:00.123456+08:00',
    '2026-11-28T00:00:00Z',
    '2026-11-28T08:00+08:00',
    '2026-11-28T08:00:00',
    '2026-11-28 08:00:00+08:00',
    '2026-11-28T08:00:00+0800',
    uuidv7(),
    uuidv7().toUpperCase(),
    '00000000-0000-0000-0000-000000000000',
    'ffffffff-ffff-ffff-ffff-ffffffffffff',
    '3b241101-e2bb-4255-8caf-4136c566a962',
    '3b241101-e2bb-9255-8caf-4136c566a962',
    1,
    2,
    0,
    -0,
    34.9,
    35,
    36.5,
    36.55,
    37.3,
    37.4,
    38.5,
    42,
    42.1,
    1e300,
    true,
    false,
    null,
    undefined,
    [],
    {},
    { category: 'resident', name: 'x' },
    { status: 'none' },
  ),
  fc.string({ unit: 'binary', maxLength: 70 }),
  fc.double(),
);

const TOP = Object.keys(makeGateLog()) as (keyof GateLog)[];
const PERSON = ['category', 'name', 'idType', 'idNumber', 'phone', 'address', 'passId'];
const RETURNEE = ['status', 'origin', 'arrivedOn', 'quarantineUntil', 'registered'];

/** One change to a record: a field set (or removed, or added), at the top or inside. */
const mutation = fc.oneof(
  fc.record({
    at: fc.constantFrom<'top' | 'person' | 'returnee'>('top', 'person', 'returnee'),
    key: fc.oneof(
      fc.constantFrom(...TOP, ...PERSON, ...RETURNEE, 'temperatureC', 'note', 'amends', 'extra'),
    ),
    value: edgeValue,
    remove: fc.boolean(),
  }),
);

function mutate(
  base: GateLog,
  changes: { at: string; key: string; value: unknown; remove: boolean }[],
) {
  const r = structuredClone(base) as unknown as Record<string, unknown>;
  for (const { at, key, value, remove } of changes) {
    const o = (at === 'top' ? r : r[at]) as Record<string, unknown> | undefined;
    if (!o || typeof o !== 'object') continue;
    if (remove) delete o[key];
    else o[key] = value;
  }
  return r;
}

const baseRecord = fc.constantFrom(
  makeGateLog(),
  makeGateLog({ direction: 'out', temperatureC: undefined }),
  makeGateLog({ temperatureC: 38.9, decision: 'refused' }),
  makeGateLog({
    returnee: { status: 'domestic', origin: '湖北武汉', arrivedOn: '2026-11-20', registered: true },
  }),
  makeGateLog({ person: { idType: 'passport', idNumber: 'e1234567', passId: 'ABCD2345' } }),
  makeGateLog({ note: 'corrects the name', amends: uuidv7() }),
);

describe('leanParser (record schema)', () => {
  it('answers for valid records, exactly as zod does, under several rule sets', () => {
    // The factory's 36.5 °C admitted is a fever under the third set.
    for (const rules of RULE_SETS.slice(0, 2)) {
      const schema = makeGateLogSchema(rules);
      expect(leanParser(schema)).toBeDefined();
      for (let i = 0; i < 20; i++) expect(agree(schema, makeGateLog())).toBe(true);
    }
  });

  it('normalises as zod does: trimmed text, an upper-case ID number', () => {
    const schema = makeGateLogSchema(RULE_SETS[0]!);
    const r = makeGateLog();
    const raw = {
      ...r,
      guard: pad(r.guard),
      person: { ...r.person, name: pad('王小明'), idNumber: r.person.idNumber!.toLowerCase() },
    };
    expect(agree(schema, raw)).toBe(true);
    expect((leanParser(schema)!(raw) as GateLog).person.name).toBe('王小明');
  });

  it('leaves every invalid record, and any it is unsure of, to zod', () => {
    const schema = makeGateLogSchema(RULE_SETS[0]!);
    const lean = leanParser(schema)!;
    const r = makeGateLog();
    for (const bad of [
      null,
      [],
      'x',
      { ...r, extra: 1 },
      { ...r, note: undefined },
      { ...r, temperatureC: 39, decision: 'admitted' },
      { ...r, person: { ...r.person, name: '   ' } },
      Object.assign(Object.create(null), r),
    ]) {
      expect(lean(bad)).toBe(NOT_SURE);
    }
  });

  it('never answers otherwise than zod, whatever is changed in a record (fuzz)', () => {
    let sure = 0;
    fc.assert(
      fc.property(
        baseRecord,
        fc.constantFrom(...RULE_SETS),
        fc.array(mutation, { minLength: 0, maxLength: 3 }),
        (base, rules, changes) => {
          if (agree(makeGateLogSchemaCached(rules), mutate(base, changes))) sure++;
        },
      ),
      { numRuns: 4_000 },
    );
    // The fuzz has to reach the answering side often enough to mean something.
    expect(sure).toBeGreaterThan(400);
  });

  it("never takes a field's value from Object.prototype", () => {
    const schema = z.strictObject({
      constructor: z.optional(z.string()),
      toString: z.string(),
    });
    const lean = leanParser(schema)!;
    // Absent, `constructor` and `toString` still read functions from Object.prototype: zod's
    // verdict then.
    expect(lean({})).toBe(NOT_SURE);
    // An unknown key of its own would make up the count of keys read for an inherited one.
    expect(lean({ toString: 'x', other: 'z' })).toBe(NOT_SURE);
    const own = { toString: 'x', constructor: 'y' };
    expect(lean(own)).toStrictEqual(schema.parse(own));
  });

  it('is not built for a schema it does not cover (zod alone then)', () => {
    expect(leanParser(z.object({ a: z.string() }))).toBeUndefined();
    expect(leanParser(z.strictObject({ a: z.array(z.string()) }))).toBeUndefined();
    expect(leanParser(z.strictObject({ a: z.nullable(z.string()) }))).toBeUndefined();
    expect(leanParser(z.strictObject({ a: z._default(z.string(), 'x') }))).toBeUndefined();
    // JSON.stringify would put an array-index key first, out of canonical order.
    expect(leanParser(z.strictObject({ b: z.string(), 10: z.string() }))).toBeUndefined();
  });
});

const cache = new Map<number, ReturnType<typeof makeGateLogSchema>>();
function makeGateLogSchemaCached(rules: { feverThresholdC: number }) {
  let s = cache.get(rules.feverThresholdC);
  if (!s) cache.set(rules.feverThresholdC, (s = makeGateLogSchema(rules)));
  return s;
}
