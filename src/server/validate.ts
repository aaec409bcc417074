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

/** The bound a `too_big` / `too_small` issue broke: its word, its number and their unit. */
export interface IssueBound {
  word: 'atMost' | 'atLeast' | 'under' | 'over';
  n: number;
  unit: 'character' | 'item' | '';
}

function boundOf(i: Issue): IssueBound | undefined {
  const big = i.code === 'too_big';
  const n = big ? i.maximum : i.minimum;
  if (typeof n !== 'number' && typeof n !== 'bigint') return undefined;
  const unit =
    i.origin === 'string' ? 'character' : i.origin === 'array' || i.origin === 'set' ? 'item' : '';
  const word = i.inclusive === false ? (big ? 'under' : 'over') : big ? 'atMost' : 'atLeast';
  return { word, n: Number(n), unit };
}

const BOUND_WORDS = { atMost: 'at most', atLeast: 'at least', under: 'under', over: 'over' };

/** A bound in words: `(at most 40)`, `(at least 1 character)`. */
function bound(b: IssueBound | undefined): string {
  if (!b) return '';
  const unit = b.unit && ` ${b.unit}${b.n === 1 ? '' : 's'}`;
  return ` (${BOUND_WORDS[b.word]} ${b.n}${unit})`;
}

/**
 * Each failed field of zod issues as its path (`rules.dutyPhone`; '' for the whole) and its key:
 * the shared schema's message key (`required`, `idChecksum`…), else the zod issue code, with
 * the bound a value broke (`too_big (at most 40)`); an unknown field's key is `unrecognized`.
 * A key made of a zod code comes with that `code` and its `bound` apart, to be said in words.
 */
export function issueParts(
  issues: readonly Issue[],
): { path: string; key: string; expected?: string; code?: string; bound?: IssueBound }[] {
  const at = (path: readonly PropertyKey[], key: string, more: object = {}) => ({
    path: path.map(String).join('.'),
    key,
    ...more,
  });
  return issues.flatMap((i) => {
    if (i.code === 'unrecognized_keys' && i.keys?.length)
      return i.keys.map((k) => at([...i.path, k], 'unrecognized'));
    const expected =
      i.code === 'invalid_type' && i.expected !== undefined ? { expected: i.expected } : {};
    if (i.message !== ZOD_DEFAULT_MESSAGE || !i.code) return [at(i.path, i.message, expected)];
    const b = i.code === 'too_big' || i.code === 'too_small' ? boundOf(i) : undefined;
    return [at(i.path, i.code + bound(b), { ...expected, code: i.code, ...(b && { bound: b }) })];
  });
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
