/** How bad input is named in a 400's message and in the command line's "Bad input". */
import * as z from 'zod/mini';
import { describe, expect, it } from 'vitest';
import { issuesMessage } from '../../src/server/validate';

const messageOf = (schema: z.ZodMiniType, value: unknown) => {
  const r = schema.safeParse(value);
  if (r.success) throw new Error('parsed');
  return issuesMessage(r.error.issues);
};

describe('issuesMessage', () => {
  it('names the bound a value broke, with its unit', () => {
    const schema = z.object({
      fever: z.number().check(z.minimum(35), z.maximum(40)),
      days: z.number().check(z.positive()),
      phone: z.string().check(z.maxLength(3)),
      name: z.string().check(z.minLength(1)),
      regions: z.array(z.string()).check(z.maxLength(2)),
    });
    expect(
      messageOf(schema, { fever: 41, days: 0, phone: '1234', name: '', regions: ['a', 'b', 'c'] }),
    ).toBe(
      'fever: too_big (at most 40); days: too_small (over 0); phone: too_big (at most 3 characters); ' +
        'name: too_small (at least 1 character); regions: too_big (at most 2 items)',
    );
    expect(messageOf(schema, { fever: 30, days: 1, phone: '', name: 'a', regions: [] })).toBe(
      'fever: too_small (at least 35)',
    );
  });

  it('keeps the schema’s own message keys and names unknown fields', () => {
    const schema = z.strictObject({ id: z.string().check(z.minLength(2, 'idChecksum')) });
    expect(messageOf(schema, { id: 'x', extra: 1 })).toBe('id: idChecksum; extra: unrecognized');
  });
});
