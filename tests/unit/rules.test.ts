import { describe, expect, it } from 'vitest';
import {
  DEFAULT_GATE_RULES,
  addDays,
  defaultDecision,
  isFever,
  isValidPhone,
  isValidResidentId,
  quarantineUntil,
  residentIdCheckChar,
  unusualFeverThreshold,
} from '../../src/shared';
import { makeResidentId } from '../support/factories';
import { isPassExpired, isWatchEnded } from '../../src/shared/passes';

describe('fever', () => {
  it('is at or above the gate threshold, compared in tenths', () => {
    expect(isFever(37.2, 37.3)).toBe(false);
    expect(isFever(37.3, 37.3)).toBe(true);
    expect(isFever(0.1 + 37.2, 37.3)).toBe(true); // 37.300000000000004
    expect(isFever(37.5, 37.6)).toBe(false);
    expect(isFever(undefined, 37.3)).toBe(false);
  });

  it('has a threshold usual from 37.0 to 38.5, ends included, compared in tenths', () => {
    for (const c of [37, 37.3, 38.5, 0.1 + 38.4])
      expect(unusualFeverThreshold(c), `${c}`).toBe(null);
    for (const c of [35, 36.9]) expect(unusualFeverThreshold(c), `${c}`).toBe('low');
    for (const c of [38.6, 40]) expect(unusualFeverThreshold(c), `${c}`).toBe('high');
    expect(unusualFeverThreshold(DEFAULT_GATE_RULES.feverThresholdC)).toBe(null);
  });
});

describe('GB 11643 resident ID', () => {
  it('accepts IDs with a right check digit, X included', () => {
    expect(isValidResidentId('11010519491231002X')).toBe(true);
    expect(isValidResidentId('440524188001010014')).toBe(true);
    expect(isValidResidentId(makeResidentId('19900215', 42))).toBe(true);
  });
  it('computes X as the check character where the sum says 10', () => {
    expect(residentIdCheckChar('11010519491231002')).toBe('X');
  });
  it('rejects a wrong check digit, a bad date, wrong length and letters', () => {
    expect(isValidResidentId('110105194912310021')).toBe(false);
    expect(isValidResidentId('11010519491331002X')).toBe(false); // month 13
    expect(
      isValidResidentId(
        '11010519490230002X'.slice(0, 17) + residentIdCheckChar('11010519490230002'),
      ),
    ).toBe(false); // Feb 30
    expect(isValidResidentId('11010519491231002')).toBe(false);
    expect(isValidResidentId('1101051949123100XX')).toBe(false);
    expect(isValidResidentId('11010519491231002x')).toBe(false); // lower-case: the schema upper-cases first
  });
});

describe('phones', () => {
  it('accepts mainland mobiles and +E.164', () => {
    expect(isValidPhone('13800138000')).toBe(true);
    expect(isValidPhone('19912345678')).toBe(true);
    expect(isValidPhone('+85291234567')).toBe(true);
  });
  it('rejects landlines without +, short numbers and 12 numbers', () => {
    expect(isValidPhone('12800138000')).toBe(false);
    expect(isValidPhone('1380013800')).toBe(false);
    expect(isValidPhone('138001380001')).toBe(false);
    expect(isValidPhone('+0123456789')).toBe(false);
    expect(isValidPhone('021-12345678')).toBe(false);
  });
});

describe('quarantine', () => {
  const rules = DEFAULT_GATE_RULES;
  it('is arrival + the gate days for overseas and key regions', () => {
    expect(
      quarantineUntil({ status: 'overseas', origin: '日本', arrivedOn: '2020-02-01' }, rules),
    ).toBe('2020-02-15');
    expect(
      quarantineUntil({ status: 'domestic', origin: '湖北武汉', arrivedOn: '2020-02-20' }, rules),
    ).toBe('2020-03-05');
    expect(
      quarantineUntil({ status: 'domestic', origin: 'hubei', arrivedOn: '2020-02-20' }, rules),
    ).toBe('2020-03-05');
    expect(
      quarantineUntil(
        { status: 'overseas', arrivedOn: '2020-02-01' },
        { ...rules, quarantineDays: 7 },
      ),
    ).toBe('2020-02-08');
  });
  it('is none for other domestic arrivals and for non-returnees', () => {
    expect(
      quarantineUntil({ status: 'domestic', origin: '浙江杭州', arrivedOn: '2020-02-01' }, rules),
    ).toBeUndefined();
    expect(quarantineUntil({ status: 'none' }, rules)).toBeUndefined();
  });
  it('adds days across month and year ends', () => {
    expect(addDays('2020-12-25', 14)).toBe('2021-01-08');
    expect(addDays('2020-02-20', 14)).toBe('2020-03-05'); // leap year
  });
});

describe('default decision', () => {
  const today = '2020-02-10';
  it('refers a fever', () => {
    expect(
      defaultDecision({ direction: 'in', temperatureC: 37.3 }, today, DEFAULT_GATE_RULES),
    ).toBe('referred');
  });
  it('refuses a person under quarantine going out, admits them coming in', () => {
    const returnee = { status: 'overseas' as const, quarantineUntil: '2020-02-15' };
    expect(defaultDecision({ direction: 'out', returnee }, today, DEFAULT_GATE_RULES)).toBe(
      'refused',
    );
    expect(
      defaultDecision({ direction: 'in', temperatureC: 36.5, returnee }, today, DEFAULT_GATE_RULES),
    ).toBe('admitted');
  });
  it('admits once the quarantine is over', () => {
    const returnee = { status: 'overseas' as const, quarantineUntil: '2020-02-09' };
    expect(defaultDecision({ direction: 'out', returnee }, today, DEFAULT_GATE_RULES)).toBe(
      'admitted',
    );
  });
});

describe('the watchlist’s and the passes’ last day', () => {
  it('is still in force on its last day and over the day after, for the phone, the page and the CLI', () => {
    expect(isWatchEnded('2026-12-07', '2026-12-06')).toBe(false);
    expect(isWatchEnded('2026-12-07', '2026-12-07')).toBe(false);
    expect(isWatchEnded('2026-12-07', '2026-12-08')).toBe(true);
    expect(isPassExpired('2026-12-31', '2026-12-31')).toBe(false);
    expect(isPassExpired('2026-12-31', '2027-01-01')).toBe(true);
  });
});
