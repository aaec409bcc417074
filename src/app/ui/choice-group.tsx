/** A row of big radio buttons: one tap, readable in the sun, named for screen readers. */
import type { InputHTMLAttributes } from 'react';

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
  return (
    <fieldset className={big ? 'choices big' : 'choices'}>
      <legend className={hideLegend ? 'sr-only' : undefined}>{legend}</legend>
      {options.map((o) => (
        <label key={o.value} className="choice">
          <input type="radio" name={name} value={o.value} {...inputProps?.(o.value)} />
          <span>{o.label}</span>
        </label>
      ))}
      {error && (
        <span className="field-error" role="alert" style={{ flexBasis: '100%' }}>
          {error}
        </span>
      )}
    </fieldset>
  );
}
