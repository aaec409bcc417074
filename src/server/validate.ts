/** Parsing request input with the shared zod schemas; failures become 400 JSON. */
import type * as z from 'zod/mini';
import { HttpError } from './errors';

/** zod/mini ships no locale: its built-in issues all say this, so their code is more useful. */
const ZOD_DEFAULT_MESSAGE = 'Invalid input';

interface Issue {
  code?: string;
  path: readonly PropertyKey[];
  message: string;
  keys?: readonly string[];
}

/**
 * Zod issues as one line a phone can show: `path: key; path: key`. The keys are the shared
 * schema's message keys (`required`, `idChecksum`…), else the zod issue code; an unknown
 * field is named as `field: unrecognized`.
 */
export function issuesMessage(issues: readonly Issue[]): string {
  const at = (path: readonly PropertyKey[], key: string) =>
    path.length ? `${path.map(String).join('.')}: ${key}` : key;
  return issues
    .flatMap((i) =>
      i.code === 'unrecognized_keys' && i.keys?.length
        ? i.keys.map((k) => at([...i.path, k], 'unrecognized'))
        : [at(i.path, i.message === ZOD_DEFAULT_MESSAGE && i.code ? i.code : i.message)],
    )
    .join('; ');
}

/** Parses `value` or throws a 400 `invalid_request` naming every failed path. */
export function parseOr400<S extends z.ZodMiniType>(schema: S, value: unknown): z.output<S> {
  const r = schema.safeParse(value);
  if (!r.success) throw new HttpError(400, 'invalid_request', issuesMessage(r.error.issues));
  return r.data;
}
