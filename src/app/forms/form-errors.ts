/**
 * A react-hook-form form's errors, read where they are shown. A form component that reads
 * `formState.errors` re-renders whole at every submit (react-hook-form sets `errors` even when
 * there are none) and again when `isSubmitted` changes; the checkpoint form's Save waited for
 * that render. These hooks re-render only their caller, and only when what it shows changes.
 */
import { useEffect, useRef, useState, useSyncExternalStore } from 'react';
import type { FieldErrors, FieldPath, FieldValues, UseFormReturn } from 'react-hook-form';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- any transformed-values type
type Form<T extends FieldValues> = UseFormReturn<T, any, any>;

/** The message of the first of `names` with an error, undefined when none has one. */
export function useErrorMessage<T extends FieldValues>(
  form: Form<T>,
  names: readonly FieldPath<T>[],
): string | undefined {
  const key = names.join('\n');
  const [subscribe] = useState(
    () => (onChange: () => void) =>
      form.subscribe({ formState: { errors: true }, callback: onChange }),
  );
  // getFieldState reads the form's state without subscribing the form component to it.
  return useSyncExternalStore(subscribe, () => {
    for (const name of key.split('\n')) {
      const message = form.getFieldState(name as FieldPath<T>).error?.message;
      if (message) return message;
    }
    return undefined;
  });
}

/** How many fields have an error, once the form has been submitted; 0 until then. */
export function useSubmittedErrorCount<T extends FieldValues>(form: Form<T>): number {
  const [count, setCount] = useState(0);
  useEffect(
    () =>
      form.subscribe({
        formState: { errors: true, isSubmitted: true },
        callback: ({ errors, isSubmitted }) =>
          setCount(isSubmitted && errors ? countErrors(errors) : 0),
      }),
    [form],
  );
  return count;
}

/** Whether the form has been submitted since its last reset, for event handlers (no render). */
export function useIsSubmittedRef<T extends FieldValues>(
  form: Form<T>,
): { readonly current: boolean } {
  const submitted = useRef(false);
  useEffect(
    () =>
      form.subscribe({
        formState: { isSubmitted: true },
        callback: ({ isSubmitted }) => (submitted.current = isSubmitted === true),
      }),
    [form],
  );
  return submitted;
}

/** The fields with an error: a group's (`person.name`, `person.phone`) count field by field. */
export function countErrors(errors: FieldErrors): number {
  let n = 0;
  for (const value of Object.values(errors)) {
    if (!value || typeof value !== 'object') continue;
    // A field's error has a type (and its input as `ref`, never to be walked); a group's has not.
    if ('type' in value) n++;
    else n += countErrors(value as FieldErrors);
  }
  return n;
}
