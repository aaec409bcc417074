/** The entry form's values → the entry the schema checks: what a guard types, read as meant. */
import { describe, expect, it } from 'vitest';
import {
  EMPTY_ENTRY,
  parseTemperature,
  readableTemperature,
  toEntryInput,
} from '../../src/app/forms/entry-form';

describe('the entry form', () => {
  it('reads a temperature typed with a comma, spaces or a Chinese keyboard’s full-width digits', () => {
    expect(parseTemperature(' 36,5 ')).toBe(36.5);
    expect(parseTemperature('３６．５')).toBe(36.5);
    expect(parseTemperature('3６.５')).toBe(36.5);
    expect(parseTemperature('')).toBeUndefined();
    expect(parseTemperature('abc')).toBeNaN();
  });

  it('warns of a fever only for a temperature a thermometer reads: "368" is a typo', () => {
    expect(readableTemperature('38.4')).toBe(38.4);
    expect(readableTemperature('368')).toBeUndefined();
    expect(readableTemperature('33.9')).toBeUndefined();
    expect(readableTemperature('x')).toBeUndefined();
  });

  it('takes an ID number written in groups or full-width, and a phone with spaces, as the same', () => {
    const input = toEntryInput({
      ...EMPTY_ENTRY,
      person: {
        ...EMPTY_ENTRY.person,
        name: '王五',
        idNumber: '1101 0519 4912 3100 2X',
        phone: '１３８ ００１３-８０００',
      },
    }) as { person: { idNumber: string; phone: string } };
    expect(input.person.idNumber).toBe('11010519491231002X');
    expect(input.person.phone).toBe('13800138000');
  });
});
