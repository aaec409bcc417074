/**
 * A lean parser compiled from a zod schema, for the sync batch's hot loop: the same checks
 * (zod's own check functions, run in zod's order), without zod's generic per-node machinery
 * (payload objects, issue paths, wrappers), which cost most of a batch's validation.
 *
 * It answers only for input that passes every check: then it returns what `safeParse` would
 * return as `data`. For anything else — a failed check, an unknown key, a key present but
 * undefined, an async check — it answers NOT_SURE, and the caller asks zod itself, which also
 * words the issues. Building it throws for a schema kind it does not know (the caller then uses
 * zod alone), so a change of the shared schema can make it slower, never more lenient.
 */
import type * as z from 'zod/mini';

export const NOT_SURE: unique symbol = Symbol('not sure');

export type LeanParser = (value: unknown) => unknown;

interface Payload {
  value: unknown;
  issues: unknown[];
}

interface Internals {
  def: {
    type: string;
    coerce?: boolean;
    checks?: { _zod: Internals }[];
    when?: (payload: Payload) => boolean;
    shape?: Record<string, { _zod: Internals }>;
    catchall?: { _zod: Internals };
    innerType?: { _zod: Internals };
  };
  traits: Set<string>;
  values?: Set<unknown>;
  optin?: string;
  check?: (payload: Payload) => unknown;
}

type Leaf = (value: unknown) => boolean;

const ARRAY_INDEX = /^(?:0|[1-9]\d*)$/;

/** Runs `checks` on `payload` as zod's runChecks does; false on any issue or async check. */
function passes(payload: Payload, checks: readonly Internals[]): boolean {
  for (const c of checks) {
    if (c.def.when && !c.def.when(payload)) continue;
    const r = c.check!(payload);
    if (r instanceof Promise || payload.issues.length > 0) return false;
  }
  return true;
}

const LEAVES: Record<string, Leaf> = {
  string: (v) => typeof v === 'string',
  number: (v) => typeof v === 'number' && Number.isFinite(v),
  boolean: (v) => typeof v === 'boolean',
};

function compile(node: Internals): LeanParser {
  const { def } = node;
  if (def.coerce) throw new Error(`lean-parse: coercing ${def.type}`);
  const checks = [
    ...(node.traits.has('$ZodCheck') ? [node] : []),
    ...(def.checks ?? []).map((c) => c._zod),
  ];
  for (const c of checks) if (!c.check) throw new Error('lean-parse: a check without a function');
  // One payload for the node's checks, reset before each run: they run synchronously (an async
  // one is NOT_SURE), and none of them calls back into this parser.
  const payload: Payload = { value: undefined, issues: [] };
  const checked = (value: unknown): unknown => {
    if (checks.length === 0) return value;
    payload.value = value;
    if (payload.issues.length > 0) payload.issues = [];
    const ok = passes(payload, checks);
    const out = payload.value;
    payload.value = undefined;
    return ok ? out : NOT_SURE;
  };

  switch (def.type) {
    case 'string':
    case 'number':
    case 'boolean': {
      const isType = LEAVES[def.type]!;
      return (v) => (isType(v) ? checked(v) : NOT_SURE);
    }
    case 'enum':
    case 'literal': {
      const values = node.values;
      if (!(values instanceof Set)) throw new Error(`lean-parse: ${def.type} without values`);
      return (v) => (values.has(v) ? checked(v) : NOT_SURE);
    }
    case 'optional': {
      if (checks.length > 0) throw new Error('lean-parse: checks on an optional');
      const inner = def.innerType!._zod;
      if (inner.optin !== undefined) throw new Error('lean-parse: optional of an optional');
      const parseInner = compile(inner);
      return (v) => (v === undefined ? v : parseInner(v));
    }
    case 'object': {
      if (def.catchall?._zod.def.type !== 'never') throw new Error('lean-parse: non-strict object');
      // Fields in code-unit order, so the output's keys are too (see `leanParser`).
      const fields = Object.entries(def.shape!)
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([key, s]) => ({
          key,
          optional: s._zod.optin === 'optional',
          parse: compile(s._zod),
        }));
      if (fields.some((f) => f.key === '__proto__')) throw new Error('lean-parse: __proto__ key');
      // JSON.stringify writes array-index keys first, whatever their insertion order.
      if (fields.some((f) => ARRAY_INDEX.test(f.key))) throw new Error('lean-parse: index key');
      return objectParser(fields, checked);
    }
    default:
      throw new Error(`lean-parse: unsupported schema type ${def.type}`);
  }
}

interface Field {
  key: string;
  optional: boolean;
  parse: LeanParser;
}

/**
 * A strict object's parser, written out as code for its fields: each key read and written by
 * name, so V8 sees one shape at each access instead of a loop over keys (a batch's 500 records
 * in three quarters of the time, with its checks' payload reused). The code holds nothing but
 * the schema's keys, quoted by JSON.stringify.
 */
function objectParser(fields: readonly Field[], checked: (v: unknown) => unknown): LeanParser {
  const steps = fields.map(({ key, optional }, i) => {
    const k = JSON.stringify(key);
    // Absent and optional: nothing in the output. Present but undefined: zod decides.
    const absent = optional ? `if (Object.hasOwn(v, ${k})) return NOT_SURE;` : 'return NOT_SURE;';
    // No own-key check for a value: `v`'s prototype is Object.prototype, whose members are
    // functions (and __proto__, never a field), which no field's parser accepts.
    return `fv = v[${k}];
if (fv === undefined) { ${absent} }
else {
  r = parse${i}(fv);
  if (r === NOT_SURE) return NOT_SURE;
  out[${k}] = r;
  present++;
}`;
  });
  const body = `return function parseObject(v) {
if (typeof v !== 'object' || v === null || Object.getPrototypeOf(v) !== Object.prototype) return NOT_SURE;
const out = {};
let present = 0, fv, r;
${steps.join('\n')}
// Any other key is unrecognized by a strict object.
if (Object.keys(v).length !== present) return NOT_SURE;
// A check that put another object in its place would lose the key order.
const result = checked(out);
return result === out ? out : NOT_SURE;
};`;
  const parses = fields.map((f) => f.parse);
  const names = parses.map((_, i) => `parse${i}`);
  const make = new Function('NOT_SURE', 'checked', ...names, body) as (
    ...args: unknown[]
  ) => LeanParser;
  return make(NOT_SURE, checked, ...parses);
}

/**
 * The lean parser of `schema`, or undefined when the schema uses something it does not cover.
 * A result other than NOT_SURE equals `schema.safeParse(value).data`, and the parse succeeded.
 * Its objects hold their keys in code-unit order (zod's keep the shape's), so `JSON.stringify`
 * of a result is its `canonicalJson` (records.ts) without sorting anything.
 */
export function leanParser(schema: z.ZodMiniType): LeanParser | undefined {
  try {
    return compile((schema as unknown as { _zod: Internals })._zod);
  } catch {
    return undefined;
  }
}
