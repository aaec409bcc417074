/** Parsing request input with the shared zod schemas; failures become 400 JSON. */
import type * as z from 'zod/mini';
import { HttpError } from './errors';

/** Zod issues as one line a phone can show: `path: key; path: key`. */
export function issuesMessage(
  issues: readonly { path: readonly PropertyKey[]; message: string }[],
): string {
  return issues
    .map((i) => (i.path.length ? `${i.path.map(String).join('.')}: ${i.message}` : i.message))
    .join('; ');
}

/** Parses `value` or throws a 400 `invalid_request` naming every failed path. */
export function parseOr400<S extends z.ZodMiniType>(schema: S, value: unknown): z.output<S> {
  const r = schema.safeParse(value);
  if (!r.success) throw new HttpError(400, 'invalid_request', issuesMessage(r.error.issues));
  return r.data;
}
