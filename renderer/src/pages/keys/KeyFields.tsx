import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import {
  requestFromForm,
  type KeyForm,
  type KeyFormErrors,
  type KeyFormField,
  type KeyRequest,
} from './key-form.ts';

interface FieldSpec {
  key: KeyFormField;
  label: string;
  hint: string;
  inputMode?: 'decimal' | 'numeric';
  mono?: boolean;
  required?: boolean;
}

const FIELDS: readonly FieldSpec[] = [
  { key: 'name', label: 'Name', hint: 'Who or what uses it, e.g. alice or support-bot.', required: true },
  { key: 'project', label: 'Project', hint: 'Optional: the project its requests count towards.' },
  {
    key: 'daily',
    label: 'Daily budget (USD)',
    hint: 'Empty for none. Resets at midnight UTC.',
    inputMode: 'decimal',
  },
  {
    key: 'monthly',
    label: 'Monthly budget (USD)',
    hint: 'Empty for none. Resets on the first of the month, UTC.',
    inputMode: 'decimal',
  },
  { key: 'rpm', label: 'Requests per minute', hint: 'Empty for no limit.', inputMode: 'numeric' },
  { key: 'tpm', label: 'Tokens per minute', hint: 'Empty for no limit.', inputMode: 'numeric' },
  {
    key: 'models',
    label: 'Allowed models',
    hint: 'Separated by commas; * matches any run of characters. Empty allows every model.',
    mono: true,
  },
];

export interface KeyEditor {
  form: KeyForm;
  errors: KeyFormErrors;
  set(field: KeyFormField, value: string): void;
  /** A submit handler that validates, marks what is wrong (focusing the first), or calls onValid. */
  onSubmit(onValid: (request: KeyRequest) => void): (event: FormEvent<HTMLFormElement>) => void;
  reset(): void;
}

export function useKeyEditor(initial: KeyForm): KeyEditor {
  const [form, setForm] = useState(initial);
  const [errors, setErrors] = useState<KeyFormErrors>({});
  const [attempt, setAttempt] = useState(0);
  const formElement = useRef<HTMLFormElement | null>(null);
  useEffect(() => {
    formElement.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  }, [attempt]);
  return {
    form,
    errors,
    set: (field, value) => {
      setForm((current) => ({ ...current, [field]: value }));
      setErrors((current) => ({ ...current, [field]: undefined }));
    },
    onSubmit: (onValid) => (event) => {
      event.preventDefault();
      formElement.current = event.currentTarget;
      const result = requestFromForm(form);
      setErrors(result.ok ? {} : result.errors);
      if (result.ok) onValid(result.request);
      else setAttempt((n) => n + 1);
    },
    reset: () => {
      setForm(initial);
      setErrors({});
    },
  };
}

function Field({ spec, editor, testPrefix }: { spec: FieldSpec; editor: KeyEditor; testPrefix: string }) {
  const id = useId();
  const error = editor.errors[spec.key];
  return (
    <div className="field">
      <label htmlFor={id}>
        {spec.label}
        {spec.required ? <span aria-hidden="true"> *</span> : null}
      </label>
      <input
        id={id}
        className={spec.mono ? 'input mono' : 'input'}
        type="text"
        inputMode={spec.inputMode}
        autoComplete="off"
        spellCheck={false}
        required={spec.required}
        aria-invalid={error ? true : undefined}
        aria-describedby={`${id}-hint${error ? ` ${id}-error` : ''}`}
        value={editor.form[spec.key]}
        onChange={(e) => editor.set(spec.key, e.target.value)}
        data-testid={`${testPrefix}-${spec.key}`}
      />
      {error ? (
        <small id={`${id}-error`} className="key-field-error">
          {error}
        </small>
      ) : null}
      <small id={`${id}-hint`} className="subtle">
        {spec.hint}
      </small>
    </div>
  );
}

/** The seven fields of a key, for the create form and the edit dialog alike. */
export function KeyFields({ editor, testPrefix }: { editor: KeyEditor; testPrefix: string }) {
  return (
    <div className="key-fields">
      {FIELDS.map((spec) => (
        <Field key={spec.key} spec={spec} editor={editor} testPrefix={testPrefix} />
      ))}
    </div>
  );
}
