/** zod's issues of a committee form → the message key of each field's first problem. */
import type * as z from 'zod/mini';
import { addDays } from '../../../shared';

export type FieldKeys = Record<string, string>;

/**
 * too short (or empty) → required, too long, anything else → what `other` says of the field
 * (and of the issue's message, the schema's key for what is wrong).
 */
export function issueKeys(
  issues: readonly z.core.$ZodIssue[],
  other: (field: string, message: string) => string,
) {
  const keys: FieldKeys = {};
  for (const issue of issues) {
    const field = String(issue.path[0] ?? '');
    keys[field] ??=
      issue.code === 'too_small'
        ? 'error.required'
        : issue.code === 'too_big'
          ? 'error.tooLong'
          : other(field, issue.message);
  }
  return keys;
}

/** The form's text fields with the empty ones left out (optional in the request). */
export function filled<T extends Record<string, string>>(form: T): Partial<T> {
  const out: Partial<T> = {};
  for (const [k, v] of Object.entries(form) as [keyof T, string][]) {
    if (v.trim() !== '') out[k] = v as T[keyof T];
  }
  return out;
}

/**
 * What is wrong with a day the clerk chose for something still to come (a pass's last day, a
 * quarantine's end), as a message key: before today, or more than `maxDays` ahead. The server
 * refuses both too; said here, it is said at the field.
 */
export function dayIssue(day: string, today: string, maxDays?: number): string | undefined {
  if (day === '') return undefined;
  if (day < today) return 'error.pastDate';
  if (maxDays !== undefined && day > addDays(today, maxDays)) return 'error.farDate';
  return undefined;
}
