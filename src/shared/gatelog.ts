/**
 * GateLog v1, the record (DESIGN.md §4). Field names are the wire contract. Built with
 * `zod/mini` so the page pays little for it; the server and the outbox parse with the same
 * schema. Error messages are message keys (`required`, `idChecksum`…) that the app translates.
 */
import * as z from 'zod/mini';
import {
  DEFAULT_GATE_RULES,
  TEMPERATURE_MAX_C,
  TEMPERATURE_MIN_C,
  hasOneDecimal,
  isFever,
  isValidPhone,
  isValidResidentId,
  localDateOf,
} from './rules';

export const DIRECTIONS = ['in', 'out'] as const;
export const CATEGORIES = ['resident', 'visitor', 'courier', 'staff', 'other'] as const;
export const ID_TYPES = ['cn_resident_id', 'passport', 'hk_macao_tw_permit', 'other'] as const;
export const RETURNEE_STATUSES = ['none', 'domestic', 'overseas'] as const;
export const DECISIONS = ['admitted', 'refused', 'referred'] as const;

const text = (min: number, max: number) =>
  z.string().check(z.trim(), z.minLength(min, 'required'), z.maxLength(max, 'tooLong'));
/**
 * A UUID as phones write it: lower case. Upper case is the same UUID to zod, but not to the
 * stores' keys: taken, it would store one record twice.
 */
const uuid = (schema: z.ZodMiniString<string>) => schema.check(z.lowercase('invalid'));

const optionalText = (max: number) =>
  z.optional(z.string().check(z.trim(), z.maxLength(max, 'tooLong')));

export const personSchema = z.strictObject({
  category: z.enum(CATEGORIES, 'required'),
  name: text(1, 60),
  idType: z.optional(z.enum(ID_TYPES, 'invalid')),
  idNumber: z.optional(
    z
      .string()
      .check(z.trim(), z.toUpperCase(), z.minLength(1, 'required'), z.maxLength(40, 'tooLong')),
  ),
  phone: z.optional(
    z.string().check(
      z.trim(),
      z.refine((p) => isValidPhone(p), 'phoneInvalid'),
    ),
  ),
  address: optionalText(80),
  passId: optionalText(64),
});

export const returneeSchema = z.strictObject({
  status: z.enum(RETURNEE_STATUSES, 'required'),
  origin: optionalText(60),
  arrivedOn: z.optional(z.iso.date('dateInvalid')),
  quarantineUntil: z.optional(z.iso.date('dateInvalid')),
  registered: z.optional(z.boolean()),
});

const temperatureSchema = z
  .number('temperatureInvalid')
  .check(
    z.gte(TEMPERATURE_MIN_C, 'temperatureRange'),
    z.lte(TEMPERATURE_MAX_C, 'temperatureRange'),
    z.refine(hasOneDecimal, 'temperatureDecimal'),
  );

/** What the guard enters for one person passing; the record adds who, where and when. */
const entryShape = {
  direction: z.enum(DIRECTIONS, 'required'),
  person: personSchema,
  temperatureC: z.optional(temperatureSchema),
  returnee: returneeSchema,
  decision: z.enum(DECISIONS, 'required'),
  note: optionalText(500),
  amends: z.optional(uuid(z.uuid('invalid'))),
};

export interface EntryRuleOptions {
  feverThresholdC: number;
}

type EntryLike = {
  direction: 'in' | 'out';
  person: { idType?: string | undefined; idNumber?: string | undefined };
  temperatureC?: number | undefined;
  returnee: {
    status: string;
    origin?: string | undefined;
    arrivedOn?: string | undefined;
    quarantineUntil?: string | undefined;
  };
  decision: string;
};

type Issue = (path: (string | number)[], message: string) => void;

/**
 * One rule of an entry that reads more than one field, run after the fields' own checks, and
 * the fields it reads. The date rules read `today`: the local date the entry happened on.
 */
interface EntryRule {
  reads: readonly (readonly string[])[];
  dated?: true;
  check: (e: EntryLike, today: string | undefined, opts: EntryRuleOptions, issue: Issue) => void;
}

/** The cross-field rules of an entry, in the order their issues are reported. */
const ENTRY_RULES: readonly EntryRule[] = [
  {
    reads: [['direction'], ['temperatureC']],
    check: (e, _today, _opts, issue) => {
      if (e.direction === 'in' && e.temperatureC === undefined) issue(['temperatureC'], 'required');
    },
  },
  {
    reads: [
      ['person', 'idType'],
      ['person', 'idNumber'],
    ],
    check: (e, _today, _opts, issue) => {
      const { idType, idNumber } = e.person;
      if (idType === 'cn_resident_id' && idNumber !== undefined && !isValidResidentId(idNumber)) {
        issue(['person', 'idNumber'], 'idChecksum');
      }
      if (idNumber !== undefined && idType === undefined) issue(['person', 'idType'], 'required');
    },
  },
  {
    reads: [
      ['returnee', 'status'],
      ['returnee', 'origin'],
    ],
    check: (e, _today, _opts, issue) => {
      if (e.returnee.status !== 'none' && !e.returnee.origin) {
        issue(['returnee', 'origin'], 'required');
      }
    },
  },
  {
    reads: [
      ['returnee', 'status'],
      ['returnee', 'arrivedOn'],
    ],
    dated: true,
    check: (e, today, _opts, issue) => {
      if (e.returnee.status === 'none') return;
      if (!e.returnee.arrivedOn) issue(['returnee', 'arrivedOn'], 'required');
      else if (today !== undefined && e.returnee.arrivedOn > today) {
        issue(['returnee', 'arrivedOn'], 'dateFuture');
      }
    },
  },
  {
    reads: [['decision'], ['temperatureC']],
    check: (e, _today, opts, issue) => {
      // Of a temperature a thermometer reads: one out of range is its own error, not a fever.
      const t = e.temperatureC;
      const readable = t !== undefined && t >= TEMPERATURE_MIN_C && t <= TEMPERATURE_MAX_C;
      if (e.decision === 'admitted' && readable && isFever(t, opts.feverThresholdC)) {
        issue(['decision'], 'feverAdmitted');
      }
    },
  },
];

/** Whether an issue at `at` concerns the field at `path`: it, a field inside it, or its group. */
const concerns = (at: readonly PropertyKey[], path: readonly string[]): boolean =>
  at.every((key, i) => i >= path.length || key === path[i]);

/**
 * `check` as a zod check that runs when nothing it reads has an issue of its own, whatever is
 * wrong elsewhere: zod skips a refinement once any field failed, so an ID number's check digit
 * (say) was named only after a Save that fixed the temperature. Which inputs are valid is the
 * same either way; only more of what is wrong is said at once.
 */
function ruleCheck<T>(reads: readonly (readonly string[])[], check: (v: T, issue: Issue) => void) {
  return z.superRefine<T>(
    (v, ctx) =>
      check(v, (path, message) => ctx.issues.push({ code: 'custom', path, message, input: v })),
    {
      when: ({ issues }) =>
        reads.every((path) => issues.every((i) => !concerns(i.path ?? [], path))),
    },
  );
}

/**
 * The entry's cross-field rules as zod checks; `today` is the local date the entry happened on,
 * and `todayReads` the fields it comes from (none for the form, whose today is the clock's).
 */
function entryRuleChecks<T extends EntryLike>(
  opts: EntryRuleOptions,
  todayOf: (v: T) => string | undefined,
  todayReads: readonly (readonly string[])[],
) {
  return ENTRY_RULES.map((rule) =>
    ruleCheck<T>(rule.dated ? [...rule.reads, ...todayReads] : rule.reads, (v, issue) =>
      rule.check(v, rule.dated ? todayOf(v) : undefined, opts, issue),
    ),
  );
}

/** What the form's own rule reads: a quarantine cannot end before the arrival. */
const QUARANTINE_ORDER_READS = [
  ['returnee', 'arrivedOn'],
  ['returnee', 'quarantineUntil'],
] as const;

/**
 * The fields a rule of the entry form reads together with `field` or a field inside it (paths
 * joined by dots, as the form names its fields; `field` itself left out): a change to `field`
 * can settle their issue, an ID type "required" once the ID number is taken out, say.
 */
export function fieldsCheckedWith(field: string): string[] {
  const within = (path: string) => path === field || path.startsWith(`${field}.`);
  const related = new Set<string>();
  for (const reads of [...ENTRY_RULES.map((r) => r.reads), QUARANTINE_ORDER_READS]) {
    const paths = reads.map((path) => path.join('.'));
    if (paths.some(within)) for (const path of paths) if (path !== field) related.add(path);
  }
  return [...related];
}

/** The form's schema: an entry as the guard fills it in, checked against the gate's rules. */
export function makeEntrySchema(opts: EntryRuleOptions, today: () => string) {
  return z.strictObject(entryShape).check(
    ...entryRuleChecks<EntryLike>(opts, () => today(), []),
    // On the form only: a record stored so by an earlier version is still taken.
    ruleCheck<EntryLike>(QUARANTINE_ORDER_READS, (v, issue) => {
      const { arrivedOn, quarantineUntil } = v.returnee;
      if (arrivedOn && quarantineUntil && quarantineUntil < arrivedOn) {
        issue(['returnee', 'quarantineUntil'], 'quarantineBeforeArrival');
      }
    }),
  );
}

const recordShape = {
  id: uuid(z.uuidv7('invalid')),
  schemaVersion: z.literal(1),
  deviceId: text(1, 64),
  gateId: text(1, 64),
  shiftId: uuid(z.uuid('invalid')),
  guard: text(1, 40),
  occurredAt: z.iso.datetime({ offset: true, error: 'dateInvalid' }),
  ...entryShape,
};

/** A GateLog v1 record checked against a gate's rules (the server uses the gate's threshold). */
export function makeGateLogSchema(opts: EntryRuleOptions = DEFAULT_GATE_RULES) {
  return z
    .strictObject(recordShape)
    .check(
      ...entryRuleChecks<EntryLike & { occurredAt: string }>(
        opts,
        (r) => localDateOf(r.occurredAt),
        [['occurredAt']],
      ),
    );
}

export const gateLogSchema = makeGateLogSchema();

export type GateLog = z.infer<typeof gateLogSchema>;
export type Entry = z.infer<ReturnType<typeof makeEntrySchema>>;
export type Person = z.infer<typeof personSchema>;
export type Returnee = z.infer<typeof returneeSchema>;
export type Direction = (typeof DIRECTIONS)[number];
export type Category = (typeof CATEGORIES)[number];
export type IdType = (typeof ID_TYPES)[number];
