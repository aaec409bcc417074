/**
 * A gate's rules as a zod schema, apart from the API messages (api.ts) so that the phone's first
 * screen, which parses the stored rules, does not carry every message schema with it.
 */
import * as z from 'zod/mini';
import { DEFAULT_GATE_RULES } from './rules';

/** Each rule of a gate, without its default: a gate's rules and a change of them share these. */
const gateRuleFields = {
  feverThresholdC: z.number().check(z.gte(35), z.lte(40)),
  quarantineDays: z.int().check(z.gte(0), z.lte(60)),
  keyRegions: z
    .array(z.string().check(z.trim(), z.minLength(1), z.maxLength(40)))
    .check(z.maxLength(100)),
  dutyPhone: z.string().check(z.trim(), z.maxLength(40)),
};

export const gateRulesSchema = z.strictObject({
  feverThresholdC: z._default(gateRuleFields.feverThresholdC, DEFAULT_GATE_RULES.feverThresholdC),
  quarantineDays: z._default(gateRuleFields.quarantineDays, DEFAULT_GATE_RULES.quarantineDays),
  keyRegions: z._default(gateRuleFields.keyRegions, DEFAULT_GATE_RULES.keyRegions),
  dutyPhone: z._default(gateRuleFields.dutyPhone, DEFAULT_GATE_RULES.dutyPhone),
});

/**
 * The rules to change, each checked as in `gateRulesSchema`; the rules left out are kept as
 * they are (no defaults here: `z.partial(gateRulesSchema)` would put them back).
 */
export const gateRulesPatchSchema = z.strictObject({
  feverThresholdC: z.optional(gateRuleFields.feverThresholdC),
  quarantineDays: z.optional(gateRuleFields.quarantineDays),
  keyRegions: z.optional(gateRuleFields.keyRegions),
  dutyPhone: z.optional(gateRuleFields.dutyPhone),
});

export type GateRulesInput = z.input<typeof gateRulesSchema>;
export type GateRulesPatch = z.infer<typeof gateRulesPatchSchema>;
