import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useId, useState, type FormEvent, type ReactNode } from 'react';
import type { AddProviderRequest, ProvidersResponse } from '../../../../contracts/control-api.ts';
import { errorMessage, postJson } from '../../api/client.ts';
import { queryKeys } from '../../api/hooks.ts';

type Kind = AddProviderRequest['kind'];

const KIND_LABELS: Record<Kind, string> = {
  openai: 'OpenAI',
  anthropic: 'Anthropic',
  azure: 'Azure OpenAI',
  gemini: 'Google Gemini',
  bedrock: 'AWS Bedrock',
  mistral: 'Mistral',
  groq: 'Groq',
  deepseek: 'DeepSeek',
  together: 'Together AI',
  openrouter: 'OpenRouter',
  ollama: 'Ollama (local)',
  vllm: 'vLLM (self-hosted)',
  'openai-compatible': 'Other OpenAI-compatible server',
};

type FormState = { name: string; kind: Kind; baseUrl: string; apiKeyEnv: string; models: string };
const EMPTY: FormState = { name: '', kind: 'openai', baseUrl: '', apiKeyEnv: '', models: '' };
type Setter = (key: keyof FormState) => (e: { target: { value: string } }) => void;

function Field(props: { label: string; hint?: string; children: (id: string) => ReactNode }) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{props.label}</label>
      {props.children(id)}
      {props.hint ? <small className="muted">{props.hint}</small> : null}
    </div>
  );
}

function toRequest(form: {
  name: string;
  kind: Kind;
  baseUrl: string;
  apiKeyEnv: string;
  models: string;
}): AddProviderRequest {
  return {
    name: form.name.trim(),
    kind: form.kind,
    ...(form.baseUrl.trim() ? { baseUrl: form.baseUrl.trim() } : {}),
    ...(form.apiKeyEnv.trim() ? { apiKeyEnv: form.apiKeyEnv.trim() } : {}),
    models: form.models.split(/[\s,]+/).filter(Boolean),
  };
}

interface TextField {
  key: Exclude<keyof FormState, 'kind'>;
  label: string;
  hint?: string;
  required?: boolean;
  mono?: boolean;
  type?: string;
}

const TEXT_FIELDS: readonly TextField[] = [
  { key: 'name', label: 'Name', required: true },
  {
    key: 'baseUrl',
    label: 'Base URL',
    hint: 'Optional except for another OpenAI-compatible server; each named service has its own default.',
    mono: true,
    type: 'url',
  },
  {
    key: 'apiKeyEnv',
    label: 'Key environment variable',
    hint: "e.g. GROQ_API_KEY, set where apex serve runs; leave empty to pass callers' keys through.",
    mono: true,
  },
  {
    key: 'models',
    label: 'Models',
    hint: 'Names clients send, separated by commas; * matches any run of characters.',
    required: true,
    mono: true,
  },
];

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
      {TEXT_FIELDS.map((field) => (
        <Field key={field.key} label={field.label} hint={field.hint}>
          {(id) => (
            <input
              id={id}
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
 * page: the user names the environment variable that holds it, and the file gets `${VAR}`.
 */
export function AddProviderForm() {
  const queryClient = useQueryClient();
  const [form, setForm] = useState(EMPTY);
  const add = useMutation({
    mutationFn: (request: AddProviderRequest) => postJson<ProvidersResponse>('/api/providers', request),
    onSuccess: (data) => {
      queryClient.setQueryData(queryKeys.providers, data);
      setForm(EMPTY);
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
