/**
 * When the entry forms (the checkpoint's and the logbook's correction) call a field wrong. A
 * guard tabbing through the form to reach a later field sees no red on the fields not filled
 * yet: until the first Save, a field is checked when the guard leaves it with something in it (a
 * bad ID number or temperature is named at once), and a field named wrong is checked again as
 * they type, so the fix clears it. Save checks every field, the blank ones too, and from then on
 * each field is checked as the guard types (react-hook-form's `reValidateMode`).
 */
import { zodResolver } from '@hookform/resolvers/zod';
import { useEffect, useMemo, useRef } from 'react';
import {
  get,
  useForm,
  type FieldErrors,
  type FieldPath,
  type Resolver,
  type UseFormReturn,
} from 'react-hook-form';
import { fieldsCheckedWith, type Entry, type EntryRuleOptions } from '../../shared';
import { makeEntryFormSchema, type EntryFormValues } from './entry-form';

/** `errors` without those of fields whose value is blank (empty or only spaces). */
export function withoutBlankFields(
  errors: FieldErrors<EntryFormValues>,
  values: EntryFormValues,
): FieldErrors<EntryFormValues> {
  const walk = (node: Record<string, unknown>, path: string): Record<string, unknown> => {
    const kept: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(node)) {
      if (!value || typeof value !== 'object') continue;
      const at = path ? `${path}.${key}` : key;
      // A field's error has a type (and its input as `ref`, never to be walked); a group's has not.
      if ('type' in value) {
        const input: unknown = get(values, at);
        if (typeof input !== 'string' || input.trim() !== '') kept[key] = value;
      } else {
        const inner = walk(value as Record<string, unknown>, at);
        if (Object.keys(inner).length > 0) kept[key] = inner;
      }
    }
    return kept;
  };
  return walk(errors, '') as FieldErrors<EntryFormValues>;
}

export interface EntryForm {
  form: UseFormReturn<EntryFormValues, unknown, Entry>;
  /**
   * True from the guard's first Save until the form is emptied for the next person: blank
   * fields are then errors too. The form's submit handler sets it before `handleSubmit`.
   */
  saveTried: { current: boolean };
}

/**
 * An entry form checked with the shared entry schema, as the module header says; `today` gives
 * the local date (a function that stays the same, such as `localToday`).
 */
export function useEntryForm(
  defaultValues: EntryFormValues,
  rules: EntryRuleOptions,
  today: () => string,
): EntryForm {
  const saveTried = useRef(false);
  const resolver = useMemo<Resolver<EntryFormValues, unknown, Entry>>(() => {
    const check = zodResolver(makeEntryFormSchema(rules, today));
    return async (values, context, options) => {
      const result = await check(values, context, options);
      if (saveTried.current || Object.keys(result.errors).length === 0) return result;
      // A field's own check (its blur) reads only its errors; Save sees them all.
      return { values: {}, errors: withoutBlankFields(result.errors, values) };
    };
  }, [rules, today]);
  const form = useForm<EntryFormValues, unknown, Entry>({
    defaultValues,
    resolver,
    mode: 'onBlur',
  });
  // Before the first Save a field is checked when it is left; one named wrong meanwhile is
  // checked again at each change, so its error goes as soon as it is fixed. So is, before Save
  // and after, a field named wrong by a rule that also reads the changed one (an ID type
  // "required" goes when the ID number is taken out): react-hook-form checks the changed field
  // alone. (After Save it checks that one itself.)
  useEffect(
    () =>
      form.subscribe({
        formState: { values: true },
        callback: ({ name }) => {
          if (!name) return;
          const fields = (saveTried.current ? [] : [name])
            .concat(fieldsCheckedWith(name))
            .filter((f) => form.getFieldState(f as FieldPath<EntryFormValues>).error);
          if (fields.length > 0) void form.trigger(fields as FieldPath<EntryFormValues>[]);
        },
      }),
    [form],
  );
  return { form, saveTried };
}
