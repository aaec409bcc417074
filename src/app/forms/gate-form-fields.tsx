/**
 * A gate's form as Settings (a phone on its own) and the committee's page show it: its state,
 * checked by `checkGateForm`, and the four rule fields with their errors in the page's words.
 */
import { useState } from 'react';
import type { GateRules } from '../../shared';
import type { Translate } from '../i18n/i18n';
import { Field } from '../ui/field';
import { checkGateForm, gateFormText, type GateFormErrors, type GateFormText } from './gate-form';

/** `t` must know the common and gate-rules catalogs' keys. */
export function useGateForm(name: string, rules: GateRules, t: Translate, onEdit?: () => void) {
  const [form, setForm] = useState(() => gateFormText(name, rules));
  const [errors, setErrors] = useState<GateFormErrors>({});
  return {
    form,
    change: (field: keyof GateFormText) => (e: { target: { value: string } }) => {
      onEdit?.();
      setForm((f) => ({ ...f, [field]: e.target.value }));
    },
    error: (field: keyof GateFormErrors) => {
      const key = errors[field];
      return key === undefined ? undefined : t(key);
    },
    /** The gate the form says (its errors shown), or not ok. */
    check: () => {
      const checked = checkGateForm(form);
      setErrors(checked.ok ? {} : checked.errors);
      return checked;
    },
    /** Shows the gate as saved. */
    reset: (savedName: string, savedRules: GateRules) =>
      setForm(gateFormText(savedName, savedRules)),
  };
}

type GateForm = ReturnType<typeof useGateForm>;

export function GateRulesFields({
  gate: { form, change, error },
  t,
  feverHint,
}: {
  gate: GateForm;
  t: Translate;
  feverHint?: string;
}) {
  return (
    <>
      <Field label={t('feverThreshold')} hint={feverHint} error={error('feverThresholdC')}>
        <input
          type="text"
          inputMode="decimal"
          autoComplete="off"
          value={form.fever}
          onChange={change('fever')}
        />
      </Field>
      <Field label={t('quarantineDays')} error={error('quarantineDays')}>
        <input
          type="text"
          inputMode="numeric"
          autoComplete="off"
          value={form.days}
          onChange={change('days')}
        />
      </Field>
      <Field label={t('keyRegions')} hint={t('keyRegionsHint')} error={error('keyRegions')}>
        <textarea rows={3} value={form.regions} onChange={change('regions')} />
      </Field>
      <Field label={t('dutyPhone')} error={error('dutyPhone')}>
        <input
          type="tel"
          inputMode="tel"
          autoComplete="off"
          value={form.phone}
          onChange={change('phone')}
        />
      </Field>
    </>
  );
}
