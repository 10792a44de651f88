import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useId, useState, type FormEvent, type ReactNode } from 'react';
import type { AddProviderRequest, ProvidersResponse } from '../../../../contracts/control-api.ts';
import { errorMessage, postJson } from '../../api/client.ts';
import { queryKeys } from '../../api/hooks.ts';
import { EMPTY_FORM, KIND_LABELS, fieldsFor, toRequest, type FormState } from './provider-form.ts';

type Setter = (key: keyof FormState) => (e: { target: { value: string } }) => void;

/** A labelled control whose hint is also its accessible description. */
function Field(props: {
  label: string;
  hint?: string;
  children: (id: string, hintId?: string) => ReactNode;
}) {
  const id = useId();
  const hintId = props.hint ? `${id}-hint` : undefined;
  return (
    <div className="field">
      <label htmlFor={id}>{props.label}</label>
      {props.children(id, hintId)}
      {props.hint ? (
        <small id={hintId} className="muted">
          {props.hint}
        </small>
      ) : null}
    </div>
  );
}

function ProviderFields({ form, set }: { form: FormState; set: Setter }) {
  return (
    <div className="add-provider-grid">
      <Field label="Kind">
        {(id) => (
          <select
            id={id}
            className="input"
            value={form.kind}
            onChange={set('kind')}
            data-testid="add-provider-kind"
          >
            {Object.entries(KIND_LABELS).map(([kind, label]) => (
              <option key={kind} value={kind}>
                {label}
              </option>
            ))}
          </select>
        )}
      </Field>
      {fieldsFor(form.kind).map((field) => (
        <Field key={field.key} label={field.label} hint={field.hint}>
          {(id, hintId) => (
            <input
              id={id}
              aria-describedby={hintId}
              className={field.mono ? 'input mono' : 'input'}
              type={field.type ?? 'text'}
              required={field.required}
              value={form[field.key]}
              onChange={set(field.key)}
              data-testid={`add-provider-${field.key}`}
            />
          )}
        </Field>
      ))}
    </div>
  );
}

/**
 * Adds a provider to the config file `apex serve` runs from. The key itself never goes through this
 * page: the user names the environment variable that holds it, and the file gets `${VAR}`. Bedrock
 * takes a region and, optionally, the variables holding its AWS keys.
 */
export function AddProviderForm() {
  const queryClient = useQueryClient();
  const [form, setForm] = useState(EMPTY_FORM);
  const add = useMutation({
    mutationFn: (request: AddProviderRequest) => postJson<ProvidersResponse>('/api/providers', request),
    onSuccess: (data) => {
      queryClient.setQueryData(queryKeys.providers, data);
      setForm(EMPTY_FORM);
    },
  });
  const set: Setter = (key) => (e) => setForm({ ...form, [key]: e.target.value });
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    add.mutate(toRequest(form));
  };
  return (
    <form
      className="card stack add-provider"
      onSubmit={onSubmit}
      data-testid="add-provider-form"
      aria-labelledby="add-provider-title"
    >
      <h2 id="add-provider-title">Add a provider</h2>
      <ProviderFields form={form} set={set} />
      <div className="row" style={{ gap: 12 }}>
        <button
          type="submit"
          className="btn btn--primary"
          disabled={add.isPending}
          data-testid="add-provider-submit"
        >
          {add.isPending ? 'Adding…' : 'Add provider'}
        </button>
        <p role="status" aria-live="polite" data-testid="add-provider-result">
          {add.isError
            ? errorMessage(add.error)
            : add.isSuccess
              ? 'Added; the proxy reloaded its config.'
              : null}
        </p>
      </div>
    </form>
  );
}
