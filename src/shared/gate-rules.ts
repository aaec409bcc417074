/**
 * A gate's rules as a zod schema, apart from the API messages (api.ts) so that the phone's first
 * screen, which parses the stored rules, does not carry every message schema with it.
 */
import * as z from 'zod/mini';
import {
  DEFAULT_GATE_RULES,
  NOT_PLAIN_TEXT,
  hasOneDecimal,
  isDutyPhone,
  isPlainText,
} from './rules';

/**
 * Each rule of a gate as stored and sent to phones, without its default. Lenient on purpose:
 * what an earlier version stored must still read back (see `ruleFields` for what is set now).
 */
const storedRuleFields = {
  feverThresholdC: z.number().check(z.gte(35), z.lte(40)),
  quarantineDays: z.int().check(z.gte(0), z.lte(60)),
  keyRegions: z
    .array(z.string().check(z.trim(), z.minLength(1), z.maxLength(40)))
    .check(z.maxLength(100)),
  dutyPhone: z.string().check(z.trim(), z.maxLength(40)),
};

/** Each rule as the committee sets it: a new gate's rules and a change of them share these. */
const ruleFields = {
  // One decimal, as temperatures are taken and compared (`isFever`): 37.25 would act as 37.2.
  feverThresholdC: storedRuleFields.feverThresholdC.check(
    z.refine(hasOneDecimal, 'invalid: one decimal at most'),
  ),
  quarantineDays: storedRuleFields.quarantineDays,
  keyRegions: z
    .array(
      z
        .string()
        .check(z.trim(), z.minLength(1), z.maxLength(40), z.refine(isPlainText, NOT_PLAIN_TEXT)),
    )
    .check(z.maxLength(100)),
  // The guard's phone dials it.
  dutyPhone: storedRuleFields.dutyPhone.check(z.refine(isDutyPhone, 'invalid: not a phone number')),
};

const withDefaults = (fields: typeof storedRuleFields) =>
  z.strictObject({
    feverThresholdC: z._default(fields.feverThresholdC, DEFAULT_GATE_RULES.feverThresholdC),
    quarantineDays: z._default(fields.quarantineDays, DEFAULT_GATE_RULES.quarantineDays),
    keyRegions: z._default(fields.keyRegions, DEFAULT_GATE_RULES.keyRegions),
    dutyPhone: z._default(fields.dutyPhone, DEFAULT_GATE_RULES.dutyPhone),
  });

/** A gate's rules as stored, and as the server sends them (defaults filled in). */
export const gateRulesSchema = withDefaults(storedRuleFields);

/** A new gate's rules as the committee sets them (the ones left out take their defaults). */
export const newGateRulesSchema = withDefaults(ruleFields);

/**
 * The rules to change, each checked as in `newGateRulesSchema`; the rules left out are kept as
 * they are (no defaults here: `z.partial(newGateRulesSchema)` would put them back).
 */
export const gateRulesPatchSchema = z.strictObject({
  feverThresholdC: z.optional(ruleFields.feverThresholdC),
  quarantineDays: z.optional(ruleFields.quarantineDays),
  keyRegions: z.optional(ruleFields.keyRegions),
  dutyPhone: z.optional(ruleFields.dutyPhone),
});

export type GateRulesInput = z.input<typeof gateRulesSchema>;
export type GateRulesPatch = z.infer<typeof gateRulesPatchSchema>;
