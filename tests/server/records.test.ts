/**
 * `recordJson` writes a record's canonical JSON in the schema's key order; it must give the very
 * text `canonicalJson` gives (stored rows are compared by it), for any record and any odd object.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { gateLogSchema, personSchema, returneeSchema, type GateLog } from '../../src/shared';
import { canonicalJson, recordJson, storedFormOf } from '../../src/server/records';
import { makeGateLog } from './factories';

/** Text with what JSON must escape: quotes, backslashes, controls, CJK, astral, lone surrogates. */
const text = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 30 }),
  fc.string({ unit: 'grapheme', maxLength: 10 }),
  fc.constantFrom(
    '',
    '"',
    '\\',
    '\n\t\u0000\u001f',
    '\u2028\u2029',
    '张师傅',
    '😷',
    '\ud800',
    '\udfff',
  ),
);

const scalar = fc.oneof(
  text,
  fc.double(),
  fc.integer(),
  fc.constantFrom(0, -0, 1e21, 1e-7, 36.5, NaN, Infinity, true, false, null, undefined),
);

/** Anything JSON can hold (and some it cannot), a little nested. */
const anything = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    scalar,
    fc.array(tie('value'), { maxLength: 3 }),
    fc.dictionary(text, tie('value'), { maxKeys: 3 }),
  ),
})).value;

/** An object with some of `keys` (any value, mostly a scalar), sometimes an extra key. */
function objectOf(keys: string[], nested: Record<string, fc.Arbitrary<unknown>> = {}) {
  const fields = Object.fromEntries(
    keys.map((k) => [k, nested[k] ?? fc.oneof({ weight: 5, arbitrary: scalar }, anything)]),
  );
  return fc
    .tuple(
      fc.record(fields, { requiredKeys: [] }),
      fc.option(fc.dictionary(fc.oneof(text, fc.constantFrom(...keys)), anything, { maxKeys: 2 })),
      fc.boolean(),
    )
    .map(([o, extra, shuffle]) => {
      const all = { ...o, ...extra } as Record<string, unknown>;
      // Key order must not matter.
      const entries = Object.entries(all);
      return Object.fromEntries(shuffle ? entries.reverse() : entries);
    });
}

const personLike = objectOf(Object.keys(personSchema.shape));
const returneeLike = objectOf(Object.keys(returneeSchema.shape));
const recordLike = objectOf(Object.keys(gateLogSchema.shape), {
  person: fc.oneof({ weight: 5, arbitrary: personLike }, anything),
  returnee: fc.oneof({ weight: 5, arbitrary: returneeLike }, anything),
});

describe('recordJson', () => {
  it('is canonicalJson of valid records, with and without the optional fields', () => {
    const records: GateLog[] = [
      makeGateLog(),
      makeGateLog({
        temperatureC: undefined,
        direction: 'out',
        note: 'a "quoted" \\ note\n第二行 😷',
        amends: '0190a4b8-7c5e-7d1a-9b2c-3d4e5f6a7b8c',
        person: { idType: undefined, idNumber: undefined, phone: undefined, address: undefined },
        returnee: {
          status: 'overseas',
          origin: 'Milano',
          arrivedOn: '2026-11-01',
          quarantineUntil: '2026-11-15',
          registered: false,
        },
      }),
    ];
    for (const r of records) {
      expect(recordJson(r)).toBe(canonicalJson(r));
      expect(JSON.parse(recordJson(r))).toEqual(JSON.parse(JSON.stringify(r)));
    }
  });

  it('is canonicalJson of any object shaped more or less like a record', () => {
    fc.assert(
      fc.property(recordLike, (o) => {
        expect(recordJson(o as GateLog)).toBe(canonicalJson(o));
      }),
      { numRuns: 5_000 },
    );
  });

  it('writes the stored form of what arrived only where it is that canonical JSON', () => {
    // A batch sent again is compared by it before any check: equal text must be equal content.
    fc.assert(
      fc.property(fc.oneof(recordLike, anything), (o) => {
        const form = storedFormOf(o);
        if (form !== null) expect(form).toBe(canonicalJson(o));
      }),
      { numRuns: 5_000 },
    );
    expect(storedFormOf(makeGateLog())).not.toBeNull();
    for (const odd of [null, 'x', 1, [makeGateLog()], { ...makeGateLog(), zzz: 1 }]) {
      expect(storedFormOf(odd)).toBeNull();
    }
  });

  it('falls back for what the schema order cannot place: extra keys, arrays, class instances', () => {
    const r = makeGateLog();
    const odd = [
      { ...r, zzz: 1, aaa: [2, { b: 1, a: 2 }] },
      { ...r, person: [r.person] },
      { ...r, returnee: new Date(0) },
      { ...r, person: { ...r.person, extra: { y: 1, x: 2 } } },
      { ...r, note: { toJSON: () => 'x' } },
      Object.assign(Object.create(null), r),
    ];
    for (const o of odd) expect(recordJson(o as GateLog)).toBe(canonicalJson(o));
  });
});
