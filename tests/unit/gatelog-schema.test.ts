import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import {
  fieldsCheckedWith,
  gateLogSchema,
  isFever,
  isValidResidentId,
  localDateOf,
  makeEntrySchema,
  makeGateLogSchema,
} from '../../src/shared';
import { makeEntry, makeGateLog, makeResidentId } from '../support/factories';

const issues = (r: {
  success: boolean;
  error?: { issues: { path: PropertyKey[]; message: string }[] };
}) => (r.error?.issues ?? []).map((i) => `${i.path.join('.')}:${i.message}`);

describe('GateLog v1 schema', () => {
  it('accepts a valid record', () => {
    expect(gateLogSchema.safeParse(makeGateLog()).success).toBe(true);
  });

  it('rejects unknown fields at every level', () => {
    const r = gateLogSchema.safeParse({ ...makeGateLog(), extra: 1 });
    expect(r.success).toBe(false);
    const p = makeGateLog();
    expect(gateLogSchema.safeParse({ ...p, person: { ...p.person, age: 3 } }).success).toBe(false);
  });

  it('rejects a resident ID with a wrong check digit', () => {
    const p = makeGateLog();
    const r = gateLogSchema.safeParse({
      ...p,
      person: { ...p.person, idNumber: '110105194912310021' },
    });
    expect(issues(r)).toContain('person.idNumber:idChecksum');
  });

  it('upper-cases a trailing x before checking', () => {
    const p = makeGateLog();
    const r = gateLogSchema.safeParse({
      ...p,
      person: { ...p.person, idNumber: '11010519491231002x' },
    });
    expect(r.success && r.data.person.idNumber).toBe('11010519491231002X');
  });

  it('does not check passports against GB 11643', () => {
    const p = makeGateLog();
    expect(
      gateLogSchema.safeParse({
        ...p,
        person: { ...p.person, idType: 'passport', idNumber: 'E12345678' },
      }).success,
    ).toBe(true);
  });

  it('rejects bad phones', () => {
    const p = makeGateLog();
    expect(
      issues(gateLogSchema.safeParse({ ...p, person: { ...p.person, phone: '12345' } })),
    ).toContain('person.phone:phoneInvalid');
  });

  it('rejects temperatures out of range or with two decimals, and requires one going in', () => {
    expect(issues(gateLogSchema.safeParse(makeGateLog({ temperatureC: 33.9 })))).toContain(
      'temperatureC:temperatureRange',
    );
    expect(issues(gateLogSchema.safeParse(makeGateLog({ temperatureC: 43.1 })))).toContain(
      'temperatureC:temperatureRange',
    );
    expect(issues(gateLogSchema.safeParse(makeGateLog({ temperatureC: 36.55 })))).toContain(
      'temperatureC:temperatureDecimal',
    );
    expect(issues(gateLogSchema.safeParse(makeGateLog({ temperatureC: undefined })))).toContain(
      'temperatureC:required',
    );
    expect(
      gateLogSchema.safeParse(makeGateLog({ direction: 'out', temperatureC: undefined })).success,
    ).toBe(true);
  });

  it('requires origin and arrival for returnees, not for none', () => {
    const r = gateLogSchema.safeParse(makeGateLog({ returnee: { status: 'domestic' } }));
    expect(issues(r)).toEqual(
      expect.arrayContaining(['returnee.origin:required', 'returnee.arrivedOn:required']),
    );
    expect(gateLogSchema.safeParse(makeGateLog({ returnee: { status: 'none' } })).success).toBe(
      true,
    );
    expect(
      gateLogSchema.safeParse(
        makeGateLog({
          returnee: {
            status: 'overseas',
            origin: '日本',
            arrivedOn: '2020-02-01',
            quarantineUntil: '2020-02-15',
            registered: true,
          },
        }),
      ).success,
    ).toBe(true);
  });

  it('rejects an arrival date after the day of the record', () => {
    const r = gateLogSchema.safeParse(
      makeGateLog({
        occurredAt: '2020-02-03T08:00:00+08:00',
        returnee: { status: 'domestic', origin: '湖北', arrivedOn: '2020-02-04' },
      }),
    );
    expect(issues(r)).toContain('returnee.arrivedOn:dateFuture');
  });

  it('never lets a fever be admitted, with the gate threshold', () => {
    expect(
      issues(gateLogSchema.safeParse(makeGateLog({ temperatureC: 37.3, decision: 'admitted' }))),
    ).toContain('decision:feverAdmitted');
    expect(
      gateLogSchema.safeParse(makeGateLog({ temperatureC: 37.3, decision: 'referred' })).success,
    ).toBe(true);
    expect(
      makeGateLogSchema({ feverThresholdC: 37.5 }).safeParse(makeGateLog({ temperatureC: 37.3 }))
        .success,
    ).toBe(true);
  });

  it('requires a UUIDv7 id, an offset timestamp and schemaVersion 1', () => {
    expect(
      gateLogSchema.safeParse(makeGateLog({ id: '6f1c2a8e-1b2c-4d3e-8f40-123456789abc' })).success,
    ).toBe(false);
    expect(gateLogSchema.safeParse(makeGateLog({ occurredAt: '2020-02-03 08:15' })).success).toBe(
      false,
    );
    expect(gateLogSchema.safeParse({ ...makeGateLog(), schemaVersion: 2 }).success).toBe(false);
  });

  it('caps string lengths', () => {
    const p = makeGateLog();
    expect(
      issues(gateLogSchema.safeParse({ ...p, person: { ...p.person, name: 'x'.repeat(61) } })),
    ).toContain('person.name:tooLong');
    expect(
      issues(gateLogSchema.safeParse({ ...p, person: { ...p.person, name: '   ' } })),
    ).toContain('person.name:required');
    expect(issues(gateLogSchema.safeParse({ ...p, note: 'x'.repeat(501) }))).toContain(
      'note:tooLong',
    );
  });

  it('the entry schema checks arrival against today', () => {
    const s = makeEntrySchema({ feverThresholdC: 37.3 }, () => '2020-02-03');
    expect(
      s.safeParse(
        makeEntry({ returnee: { status: 'domestic', origin: '湖北', arrivedOn: '2020-02-03' } }),
      ).success,
    ).toBe(true);
    expect(
      s.safeParse(
        makeEntry({ returnee: { status: 'domestic', origin: '湖北', arrivedOn: '2020-02-04' } }),
      ).success,
    ).toBe(false);
  });
});

describe('every problem named in one parse', () => {
  const today = () => '2020-02-03';
  const entrySchema = makeEntrySchema({ feverThresholdC: 37.3 }, today);

  it('names the check digit, the origin and the arrival beside a temperature that is no number', () => {
    const r = entrySchema.safeParse({
      ...makeEntry(),
      person: { ...makeEntry().person, name: ' ', idNumber: '110105194912310021' },
      temperatureC: '36.5',
      returnee: { status: 'domestic' },
    });
    expect(issues(r)).toEqual([
      'person.name:required',
      'temperatureC:temperatureInvalid',
      'person.idNumber:idChecksum',
      'returnee.origin:required',
      'returnee.arrivedOn:required',
    ]);
  });

  it('names a fever admitted and a quarantine ending before the arrival beside a bad ID type', () => {
    const r = entrySchema.safeParse({
      ...makeEntry({ temperatureC: 38.2, decision: 'admitted' }),
      person: { ...makeEntry().person, idType: 'library_card' },
      returnee: {
        status: 'domestic',
        origin: '湖北',
        arrivedOn: '2020-02-01',
        quarantineUntil: '2020-01-30',
      },
    });
    expect(issues(r)).toEqual([
      'person.idType:invalid',
      'decision:feverAdmitted',
      'returnee.quarantineUntil:quarantineBeforeArrival',
    ]);
  });

  it('does not judge a field by a rule that reads one already wrong', () => {
    // A date that is no date is not also "in the future"; a wrong ID type not also "missing".
    const r = entrySchema.safeParse(
      makeEntry({
        person: { ...makeEntry().person, idType: 'x' as 'passport' },
        returnee: { status: 'domestic', origin: '湖北', arrivedOn: '2020-13-45' },
      }),
    );
    expect(issues(r)).toEqual(['person.idType:invalid', 'returnee.arrivedOn:dateInvalid']);
  });

  it('on the server too: a record with a malformed time still has its check digit named', () => {
    const p = makeGateLog();
    const r = gateLogSchema.safeParse({
      ...p,
      occurredAt: 'yesterday',
      person: { ...p.person, idNumber: '110105194912310021' },
      returnee: { status: 'domestic', origin: '湖北', arrivedOn: '2099-01-01' },
    });
    // The arrival is judged against the day of the record, which is unknown here.
    expect(issues(r)).toEqual(['occurredAt:dateInvalid', 'person.idNumber:idChecksum']);
  });
});

describe('the fields a rule reads together (the form checks them again on a change)', () => {
  it('pairs the ID number with its type, the temperature with direction and decision', () => {
    expect(fieldsCheckedWith('person.idNumber')).toEqual(['person.idType']);
    expect(fieldsCheckedWith('person.idType')).toEqual(['person.idNumber']);
    expect(fieldsCheckedWith('temperatureC').sort()).toEqual(['decision', 'direction']);
    expect(fieldsCheckedWith('returnee.arrivedOn').sort()).toEqual([
      'returnee.quarantineUntil',
      'returnee.status',
    ]);
  });

  it('takes a group for the fields inside it, and a field no rule reads with another for none', () => {
    expect(fieldsCheckedWith('person').sort()).toEqual(['person.idNumber', 'person.idType']);
    expect(fieldsCheckedWith('note')).toEqual([]);
    expect(fieldsCheckedWith('person.name')).toEqual([]);
  });
});

describe('the same entries and records valid as when the rules ran after the whole object', () => {
  type Loose = Record<string, unknown> & {
    direction: unknown;
    person: Record<string, unknown>;
    temperatureC?: unknown;
    returnee: Record<string, unknown>;
    decision: unknown;
    occurredAt?: unknown;
  };
  // The rules as one refinement after the object, as they were written before: zod skips it
  // once any field failed.
  function legacyRules(e: Loose, today: string | undefined, add: (m: string) => void) {
    const person = e.person as { idType?: string; idNumber?: string };
    const returnee = e.returnee as { status: string; origin?: string; arrivedOn?: string };
    if (e.direction === 'in' && e.temperatureC === undefined) add('temperatureC');
    if (person.idType === 'cn_resident_id' && person.idNumber !== undefined) {
      if (!isValidResidentId(person.idNumber)) add('idChecksum');
    }
    if (person.idNumber !== undefined && person.idType === undefined) add('idType');
    if (returnee.status !== 'none') {
      if (!returnee.origin) add('origin');
      if (!returnee.arrivedOn) add('arrivedOn');
      else if (today !== undefined && returnee.arrivedOn > today) add('dateFuture');
    }
    const t = e.temperatureC as number | undefined;
    const readable = t !== undefined && t >= 34 && t <= 43;
    if (e.decision === 'admitted' && readable && isFever(t, 37.3)) add('fever');
  }
  const legacy = (
    shape: Parameters<typeof z.strictObject>[0],
    todayOf: (e: Loose) => string | undefined,
  ) =>
    z
      .strictObject(shape)
      .check(
        z.superRefine((e, ctx) =>
          legacyRules(e as Loose, todayOf(e as Loose), (message) =>
            ctx.issues.push({ code: 'custom', message, input: e }),
          ),
        ),
      );
  const day = '2020-02-03';
  const entrySchema = makeEntrySchema({ feverThresholdC: 37.3 }, () => day);
  const legacyEntry = z.strictObject(entrySchema.shape).check(
    z.superRefine((e, ctx) => {
      legacyRules(e as Loose, day, (message) =>
        ctx.issues.push({ code: 'custom', message, input: e }),
      );
      const r = (e as Loose).returnee as { arrivedOn?: string; quarantineUntil?: string };
      if (r.arrivedOn && r.quarantineUntil && r.quarantineUntil < r.arrivedOn) {
        ctx.issues.push({ code: 'custom', message: 'quarantine', input: e });
      }
    }),
  );
  const legacyRecord = legacy(gateLogSchema.shape, (r) => localDateOf(r.occurredAt as string));

  // Mostly the first (valid) value, so that valid entries are drawn too, not only broken ones.
  const oneOf = (usual: unknown, ...others: unknown[]) =>
    fc.oneof({ arbitrary: fc.constant(usual), weight: 6 }, fc.constantFrom(...others));
  const entry = fc.record({
    direction: oneOf('in', 'out', 'sideways'),
    person: fc.record({
      category: oneOf('resident', 'visitor', 'alien'),
      name: oneOf('张三', '', '  ', 'x'.repeat(61), 7),
      idType: oneOf('cn_resident_id', undefined, 'passport', 'library_card'),
      idNumber: oneOf(
        makeResidentId(),
        undefined,
        '110105194912310021',
        'E12345678',
        ' ',
        'x'.repeat(41),
      ),
      phone: oneOf('13800138000', undefined, '12345'),
    }),
    temperatureC: oneOf(36.5, undefined, 37.3, 38.2, 33.9, 43.1, 36.55, '36.5', NaN),
    returnee: fc.oneof(
      fc.constant({ status: 'none' }),
      fc.record({
        status: oneOf('domestic', 'overseas', 'none', 'away'),
        origin: oneOf('湖北', undefined, '', 'x'.repeat(61)),
        arrivedOn: oneOf('2020-02-01', undefined, '2020-02-03', '2020-02-04', '2020-13-45'),
        quarantineUntil: oneOf('2020-02-15', undefined, '2020-01-30', 'soon'),
      }),
    ),
    decision: oneOf('admitted', 'refused', 'referred', 'waved'),
    note: oneOf(undefined, 'ok', 'x'.repeat(501)),
  });
  // Optional fields drawn as undefined are left out, as a phone or the form would.
  const compact = (v: unknown): unknown =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(
          Object.entries(v)
            .filter(([, x]) => x !== undefined)
            .map(([k, x]) => [k, compact(x)]),
        )
      : v;
  const same = (a: { success: boolean; data?: unknown }, b: typeof a) => {
    expect(a.success).toBe(b.success);
    if (a.success) expect(a.data).toEqual(b.data);
  };

  it('the form’s entry schema', () => {
    let valid = 0;
    fc.assert(
      fc.property(entry, (e) => {
        const input = compact(e);
        const now = entrySchema.safeParse(input);
        same(now, legacyEntry.safeParse(input));
        if (now.success) valid++;
      }),
      { numRuns: 3000, seed: 20261207 },
    );
    // The draw reaches valid entries too, not only broken ones.
    expect(valid).toBeGreaterThan(100);
  });

  it('the server’s record schema', () => {
    let valid = 0;
    const base = makeGateLog();
    fc.assert(
      fc.property(
        entry,
        oneOf(base.occurredAt, '2020-02-05T08:00:00+08:00', 'yesterday'),
        (e, occurredAt) => {
          const input = compact({ ...base, ...e, occurredAt });
          const now = gateLogSchema.safeParse(input);
          same(now, legacyRecord.safeParse(input));
          if (now.success) valid++;
        },
      ),
      { numRuns: 3000, seed: 20261207 },
    );
    expect(valid).toBeGreaterThan(100);
  });
});
