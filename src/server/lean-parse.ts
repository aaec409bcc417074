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
 *
 * Each schema node becomes a small function generated from source (`new Function`): its calls
 * (zod's checks, the fields' parsers) are then each one function's, which V8 inlines, where one
 * shared loop over every check was megamorphic — half the cost. A runtime that refuses code
 * generation makes building throw, and zod alone is used.
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

const ARRAY_INDEX = /^(?:0|[1-9]\d*)$/;

/**
 * A parser made from generated source, so each node's calls go to one function each (zod's
 * checks, the fields' parsers) and V8 can inline them: a shared loop over the checks was
 * megamorphic. `names` are bound to `values`; the source only ever holds `JSON.stringify`ed keys
 * of the schema, never input.
 */
function generate(body: string[], names: string[], values: unknown[]): LeanParser {
  const make = new Function(
    'NS',
    ...names,
    `'use strict';\nreturn (v) => {\n${body.join('\n')}\n};`,
  );
  return make(NOT_SURE, ...values) as LeanParser;
}

/**
 * Statements running `checks` as zod's runChecks does, on `value` (an expression): it returns
 * NS on any issue or async check, and leaves the (possibly rewritten) value in `p.value`.
 */
function checkSource(
  checks: readonly Internals[],
  value: string,
  names: string[],
  values: unknown[],
): string[] {
  const body = [`const p = { value: ${value}, issues: [] };`];
  for (const c of checks) {
    const name = `C${names.length}`;
    names.push(name);
    values.push(c);
    const run = `{ const r = ${name}.check(p); if (r instanceof Promise || p.issues.length > 0) return NS; }`;
    body.push(c.def.when ? `if (${name}.def.when(p)) ${run}` : run);
  }
  return body;
}

const TYPE_TESTS: Record<string, string> = {
  string: `typeof v === 'string'`,
  number: `typeof v === 'number' && Number.isFinite(v)`,
  boolean: `typeof v === 'boolean'`,
};

function compile(node: Internals): LeanParser {
  const { def } = node;
  if (def.coerce) throw new Error(`lean-parse: coercing ${def.type}`);
  const checks = [
    ...(node.traits.has('$ZodCheck') ? [node] : []),
    ...(def.checks ?? []).map((c) => c._zod),
  ];
  for (const c of checks) if (!c.check) throw new Error('lean-parse: a check without a function');
  const names: string[] = [];
  const values: unknown[] = [];
  const leaf = (test: string) => {
    const body = [`if (!(${test})) return NS;`];
    if (checks.length === 0) body.push('return v;');
    else body.push(...checkSource(checks, 'v', names, values), 'return p.value;');
    return generate(body, names, values);
  };

  switch (def.type) {
    case 'string':
    case 'number':
    case 'boolean':
      return leaf(TYPE_TESTS[def.type]!);
    case 'enum':
    case 'literal': {
      if (!(node.values instanceof Set)) throw new Error(`lean-parse: ${def.type} without values`);
      names.push('S');
      values.push(node.values);
      return leaf('S.has(v)');
    }
    case 'optional': {
      if (checks.length > 0) throw new Error('lean-parse: checks on an optional');
      const inner = def.innerType!._zod;
      if (inner.optin !== undefined) throw new Error('lean-parse: optional of an optional');
      return generate(['return v === undefined ? v : I(v);'], ['I'], [compile(inner)]);
    }
    case 'object': {
      if (def.catchall?._zod.def.type !== 'never') throw new Error('lean-parse: non-strict object');
      // Fields in code-unit order, so the output's keys are too (see `leanParser`).
      const fields = Object.entries(def.shape!).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
      if (fields.some(([key]) => key === '__proto__')) throw new Error('lean-parse: __proto__ key');
      // JSON.stringify writes array-index keys first, whatever their insertion order.
      if (fields.some(([key]) => ARRAY_INDEX.test(key))) throw new Error('lean-parse: index key');
      const body = [
        `if (typeof v !== 'object' || v === null || Object.getPrototypeOf(v) !== Object.prototype) return NS;`,
        'const out = {};',
        'let present = 0, fv, parsed;',
      ];
      for (const [key, s] of fields) {
        const k = JSON.stringify(key);
        const parse = `P${names.length}`;
        names.push(parse);
        values.push(compile(s._zod));
        body.push(
          `fv = v[${k}];`,
          // Absent and optional: nothing in the output. Present but undefined: zod decides.
          s._zod.optin === 'optional'
            ? `if (fv === undefined) { if (Object.hasOwn(v, ${k})) return NS; } else {`
            : `if (fv === undefined) return NS; else {`,
          `  if (!Object.hasOwn(v, ${k})) return NS;`,
          `  parsed = ${parse}(fv);`,
          '  if (parsed === NS) return NS;',
          `  out[${k}] = parsed;`,
          '  present++;',
          '}',
        );
      }
      // Any other key is unrecognized by a strict object.
      body.push('if (Object.keys(v).length !== present) return NS;');
      if (checks.length === 0) body.push('return out;');
      // A check that put another object in its place would lose the key order.
      else
        body.push(
          ...checkSource(checks, 'out', names, values),
          'return p.value === out ? out : NS;',
        );
      return generate(body, names, values);
    }
    default:
      throw new Error(`lean-parse: unsupported schema type ${def.type}`);
  }
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
