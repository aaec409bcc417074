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
  /** Of `too_big` / `too_small`: what was measured (number, string, array…) and the bound. */
  origin?: string;
  maximum?: unknown;
  minimum?: unknown;
  inclusive?: boolean;
  /** Of `invalid_type`: the type wanted (`number`, `int`, `string`…). */
  expected?: string;
}

/**
 * The bound a `too_big` / `too_small` issue broke, in words: `(at most 40)`,
 * `(at least 1 character)`.
 */
function bound(i: Issue): string {
  const big = i.code === 'too_big';
  const n = big ? i.maximum : i.minimum;
  if (typeof n !== 'number' && typeof n !== 'bigint') return '';
  const unit =
    i.origin === 'string'
      ? n === 1
        ? ' character'
        : ' characters'
      : i.origin === 'array' || i.origin === 'set'
        ? n === 1
          ? ' item'
          : ' items'
        : '';
  const word = i.inclusive === false ? (big ? 'under' : 'over') : big ? 'at most' : 'at least';
  return ` (${word} ${String(n)}${unit})`;
}

/**
 * Each failed field of zod issues as its path (`rules.dutyPhone`; '' for the whole) and its key:
 * the shared schema's message key (`required`, `idChecksum`…), else the zod issue code, with
 * the bound a value broke (`too_big (at most 40)`); an unknown field's key is `unrecognized`.
 */
export function issueParts(
  issues: readonly Issue[],
): { path: string; key: string; expected?: string }[] {
  const at = (path: readonly PropertyKey[], key: string, expected?: string) => ({
    path: path.map(String).join('.'),
    key,
    ...(expected === undefined ? {} : { expected }),
  });
  return issues.flatMap((i) =>
    i.code === 'unrecognized_keys' && i.keys?.length
      ? i.keys.map((k) => at([...i.path, k], 'unrecognized'))
      : [
          at(
            i.path,
            i.message === ZOD_DEFAULT_MESSAGE && i.code
              ? i.code + (i.code === 'too_big' || i.code === 'too_small' ? bound(i) : '')
              : i.message,
            i.code === 'invalid_type' ? i.expected : undefined,
          ),
        ],
  );
}

/** Zod issues as one line a phone can show: `path: key; path: key` (`issueParts`). */
export function issuesMessage(issues: readonly Issue[]): string {
  return issueParts(issues)
    .map(({ path, key }) => (path ? `${path}: ${key}` : key))
    .join('; ');
}

/** Parses `value` or throws a 400 `invalid_request` naming every failed path. */
export function parseOr400<S extends z.ZodMiniType>(schema: S, value: unknown): z.output<S> {
  const r = schema.safeParse(value);
  if (!r.success) throw new HttpError(400, 'invalid_request', issuesMessage(r.error.issues));
  return r.data;
}
