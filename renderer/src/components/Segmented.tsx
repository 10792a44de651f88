import { useId } from 'react';

export interface SegmentOption<T extends string | number> {
  value: T;
  label: string;
}

interface Props<T extends string | number> {
  legend: string;
  options: readonly SegmentOption<T>[];
  value: T;
  onChange: (value: T) => void;
  testIdPrefix?: string;
  hideLegend?: boolean;
}

/** A native radio group styled as a segmented control: arrow keys and labels come for free. */
export function Segmented<T extends string | number>(props: Props<T>) {
  const { legend, options, value, onChange, testIdPrefix, hideLegend = true } = props;
  const name = useId();
  return (
    <fieldset className="segmented-field">
      <legend className={hideLegend ? 'visually-hidden' : 'field-legend'}>{legend}</legend>
      <div className="segmented">
        {options.map((option) => (
          <label key={String(option.value)}>
            <input
              type="radio"
              name={name}
              value={String(option.value)}
              checked={option.value === value}
              onChange={() => onChange(option.value)}
              data-testid={testIdPrefix ? `${testIdPrefix}-${option.value}` : undefined}
            />
            {option.label}
          </label>
        ))}
      </div>
    </fieldset>
  );
}
