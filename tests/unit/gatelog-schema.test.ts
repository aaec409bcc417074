import { describe, expect, it } from 'vitest';
import { gateLogSchema, makeEntrySchema, makeGateLogSchema } from '../../src/shared';
import { makeEntry, makeGateLog } from '../support/factories';

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
