/**
 * The add-provider form's logic, apart from React so it can be tested on its own: which fields a kind
 * asks for, and the API request a filled form becomes. A field hidden for the chosen kind is never
 * sent, so switching kinds cannot leak, say, an API-key variable into a Bedrock provider.
 */
import type { AddProviderRequest } from '../../../../contracts/control-api.ts';

export type Kind = AddProviderRequest['kind'];

export const KIND_LABELS: Record<Kind, string> = {
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

export interface FormState {
  name: string;
  kind: Kind;
  baseUrl: string;
  apiKeyEnv: string;
  region: string;
  accessKeyIdEnv: string;
  secretAccessKeyEnv: string;
  models: string;
}

export const EMPTY_FORM: FormState = {
  name: '',
  kind: 'openai',
  baseUrl: '',
  apiKeyEnv: '',
  region: '',
  accessKeyIdEnv: '',
  secretAccessKeyEnv: '',
  models: '',
};

export type TextKey = Exclude<keyof FormState, 'kind'>;

export interface TextField {
  key: TextKey;
  label: string;
  hint?: string;
  required?: boolean;
  mono?: boolean;
  type?: string;
}

const NAME: TextField = { key: 'name', label: 'Name', required: true };

const MODELS: TextField = {
  key: 'models',
  label: 'Models',
  hint: 'Names clients send, separated by commas; * matches any run of characters.',
  required: true,
  mono: true,
};

const KEYED_FIELDS: readonly TextField[] = [
  NAME,
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
  MODELS,
];

const DEFAULT_CHAIN_HINT =
  'leave both empty to use the AWS default credential chain (environment, ~/.aws profiles, SSO, instance role).';

/** Bedrock signs with AWS credentials, so it asks for a region and optional key variables instead of a key. */
const BEDROCK_FIELDS: readonly TextField[] = [
  NAME,
  {
    key: 'region',
    label: 'Region',
    hint: 'e.g. us-east-1: picks the endpoint bedrock-runtime.<region>.amazonaws.com and signs requests for it.',
    required: true,
    mono: true,
  },
  {
    key: 'baseUrl',
    label: 'Base URL',
    hint: "Optional: overrides the region's endpoint, e.g. a VPC endpoint.",
    mono: true,
    type: 'url',
  },
  {
    key: 'accessKeyIdEnv',
    label: 'Access key ID environment variable',
    hint: `e.g. AWS_ACCESS_KEY_ID, set where apex serve runs; ${DEFAULT_CHAIN_HINT}`,
    mono: true,
  },
  {
    key: 'secretAccessKeyEnv',
    label: 'Secret access key environment variable',
    hint: `e.g. AWS_SECRET_ACCESS_KEY; set both variables or ${DEFAULT_CHAIN_HINT}`,
    mono: true,
  },
  {
    ...MODELS,
    hint: 'Bedrock model IDs or inference profiles clients send, separated by commas, e.g. amazon.nova-lite-v1:0.',
  },
];

/** The text fields shown for a kind, in order. */
export function fieldsFor(kind: Kind): readonly TextField[] {
  return kind === 'bedrock' ? BEDROCK_FIELDS : KEYED_FIELDS;
}

/** The request a filled form makes: trimmed, empty fields left out, only the kind's own fields. */
export function toRequest(form: FormState): AddProviderRequest {
  const shown = new Set(fieldsFor(form.kind).map((field) => field.key));
  const optional = (key: Exclude<TextKey, 'name' | 'models'>) => {
    const value = form[key].trim();
    return shown.has(key) && value ? { [key]: value } : {};
  };
  return {
    name: form.name.trim(),
    kind: form.kind,
    ...optional('region'),
    ...optional('baseUrl'),
    ...optional('apiKeyEnv'),
    ...optional('accessKeyIdEnv'),
    ...optional('secretAccessKeyEnv'),
    models: form.models.split(/[\s,]+/).filter(Boolean),
  };
}
