/**
 * A gate's name and rules as typed in a form (the settings of a phone used on its own, and the
 * committee's page) → the values `newGateRulesSchema` checks, or the words of what is wrong.
 */
import { newGateRulesSchema, type GateRules } from '../../shared';

/** As long as the server takes a gate's name. */
export const GATE_NAME_MAX = 80;

/** "湖北, 温州\n浙江" → ['湖北', '温州', '浙江']: commas (either width), 、, ; or new lines. */
export function splitRegions(text: string): string[] {
  const out: string[] = [];
  for (const part of text.split(/[,，、;；\n\r]+/)) {
    const r = part.trim();
    if (r !== '' && !out.includes(r)) out.push(r);
  }
  return out;
}

/** A number as typed ("37,3", " 14 "); empty is NaN, which the schema refuses. */
export function parseNumber(s: string): number {
  const t = s.trim().replace(',', '.');
  return t === '' ? Number.NaN : Number(t);
}

/** The form's fields, as text. */
export interface GateFormText {
  name: string;
  fever: string;
  days: string;
  regions: string;
  phone: string;
}

export type GateFormErrors = Partial<Record<keyof GateRules | 'name', string>>;

/** A gate as its form shows it. */
export const gateFormText = (name: string, rules: GateRules): GateFormText => ({
  name,
  fever: rules.feverThresholdC.toFixed(1),
  days: String(rules.quarantineDays),
  regions: rules.keyRegions.join('\n'),
  phone: rules.dutyPhone,
});

/** What is wrong with a gate's name (trimmed) as a message key; undefined when nothing. */
export function gateNameError(name: string): string | undefined {
  if (name === '') return 'error.required';
  if (name.length > GATE_NAME_MAX) return 'error.tooLong';
  return undefined;
}

/**
 * The gate the form says, or each wrong field's message key (`error.required`,
 * `error.tooLong`, `rules.<field>`: the common and gate-rules catalogs have them).
 */
export function checkGateForm(
  form: GateFormText,
): { ok: true; name: string; rules: GateRules } | { ok: false; errors: GateFormErrors } {
  const errors: GateFormErrors = {};
  const name = form.name.trim();
  const nameError = gateNameError(name);
  if (nameError) errors.name = nameError;
  const parsed = newGateRulesSchema.safeParse({
    feverThresholdC: parseNumber(form.fever),
    quarantineDays: parseNumber(form.days),
    keyRegions: splitRegions(form.regions),
    dutyPhone: form.phone,
  });
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const field = issue.path[0] as keyof GateRules;
      errors[field] ??= `rules.${field}`;
    }
  }
  if (Object.keys(errors).length > 0 || !parsed.success) return { ok: false, errors };
  return { ok: true, name, rules: parsed.data };
}
