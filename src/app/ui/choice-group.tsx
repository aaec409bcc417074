/**
 * A row of big radio buttons: one tap, readable in the sun, named for screen readers. Its error
 * describes the group (as a field's describes its input), so a screen reader entering the group
 * hears it, not only when it first appears. A checkbox on a form is drawn as one of them.
 */
import { useId, type InputHTMLAttributes } from 'react';

interface ChoiceGroupProps<V extends string> {
  legend: string;
  name: string;
  options: readonly { value: V; label: string }[];
  /** Spread onto every radio (react-hook-form's `register(name)` or checked/onChange). */
  inputProps?: (value: V) => InputHTMLAttributes<HTMLInputElement>;
  big?: boolean;
  error?: string | undefined;
  hideLegend?: boolean;
}

export function ChoiceGroup<V extends string>({
  legend,
  name,
  options,
  inputProps,
  big,
  error,
  hideLegend,
}: ChoiceGroupProps<V>) {
  const errorId = `${useId()}-error`;
  return (
    <fieldset
      className={big ? 'choices big' : 'choices'}
      aria-describedby={error ? errorId : undefined}
    >
      <legend className={hideLegend ? 'sr-only' : undefined}>{legend}</legend>
      {options.map((o) => (
        <label key={o.value} className="choice">
          <input
            type="radio"
            name={name}
            value={o.value}
            aria-invalid={error ? true : undefined}
            {...inputProps?.(o.value)}
          />
          <span>{o.label}</span>
        </label>
      ))}
      {error && (
        <span id={errorId} className="field-error" role="alert" style={{ flexBasis: '100%' }}>
          {error}
        </span>
      )}
    </fieldset>
  );
}

interface ChoiceCheckProps {
  label: string;
  /** Spread onto the checkbox (react-hook-form's `register(name)`). */
  inputProps: InputHTMLAttributes<HTMLInputElement>;
}

/** A checkbox drawn as a choice: a box as wide as the form, filled when ticked. */
export function ChoiceCheck({ label, inputProps }: ChoiceCheckProps) {
  return (
    <label className="choice single">
      <input type="checkbox" {...inputProps} />
      <span>{label}</span>
    </label>
  );
}
