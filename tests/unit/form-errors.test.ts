import { describe, expect, it } from 'vitest';
import { countErrors } from '../../src/app/forms/form-errors';

describe('countErrors', () => {
  it('counts fields, a group field by field, and never walks into an input', () => {
    const input = { self: {} as Record<string, unknown> };
    input.self = input; // a DOM element's own properties can lead back to it
    expect(
      countErrors({
        temperatureC: { type: 'custom', message: 'temperatureRange', ref: input },
        person: {
          name: { type: 'custom', message: 'required', ref: input },
          phone: { type: 'custom', message: 'phone' },
        },
        returnee: {},
      } as never),
    ).toBe(3);
    expect(countErrors({})).toBe(0);
  });
});
