/** Checks that text the server wrote (its log) holds none of the people's personal data. */
import { expect } from 'vitest';
import type { Person } from '../../../src/shared';

/** The strings of a person that must never reach a log: name, ID number, phone, address. */
export function piiOf(person: Partial<Person>): string[] {
  return [person.name, person.idNumber, person.phone, person.address].filter(
    (s): s is string => typeof s === 'string' && s.length > 0,
  );
}

/** Fails naming the first personal datum found in `text`. */
export function expectNoPii(text: string, secrets: readonly string[]): void {
  expect(secrets.length).toBeGreaterThan(0);
  const found = secrets.filter((s) => text.includes(s));
  expect(found, 'personal data in the server log').toEqual([]);
}
