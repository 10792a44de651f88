/**
 * The SDK snippets shown in onboarding and on the providers page. Only the base URL changes from a
 * stock SDK setup: the caller's own key keeps working (or the config's key replaces it).
 */

export type SdkFlavor = 'openai' | 'anthropic';
export type SdkLanguage = 'python' | 'typescript';

const DEFAULT_MODEL: Record<SdkFlavor, string> = {
  openai: 'gpt-4.1-mini',
  anthropic: 'claude-sonnet-4-5',
};

/** Which SDK talks to a provider kind: Anthropic's own API, or the OpenAI API (incl. compatible servers). */
export function flavorOf(kind: string): SdkFlavor {
  return kind === 'anthropic' ? 'anthropic' : 'openai';
}

/** OpenAI SDKs expect the `/v1` in the base URL; Anthropic SDKs add it themselves. */
export function baseUrlFor(flavor: SdkFlavor, proxyUrl: string): string {
  const root = proxyUrl.replace(/\/+$/, '');
  return flavor === 'openai' ? `${root}/v1` : root;
}

/** A concrete chat model for the example: the first configured one that is not a wildcard or an embedder. */
export function exampleModel(flavor: SdkFlavor, models: readonly string[] = []): string {
  return models.find((m) => !m.includes('*') && !m.includes('embed')) ?? DEFAULT_MODEL[flavor];
}

function openaiPython(base: string, model: string): string {
  return `from openai import OpenAI

client = OpenAI(base_url="${base}")  # keeps using OPENAI_API_KEY

response = client.chat.completions.create(
    model="${model}",
    messages=[{"role": "user", "content": "Hello from Apex"}],
)
print(response.choices[0].message.content)`;
}

function openaiTypescript(base: string, model: string): string {
  return `import OpenAI from 'openai';

const client = new OpenAI({ baseURL: '${base}' }); // keeps using OPENAI_API_KEY

const response = await client.chat.completions.create({
  model: '${model}',
  messages: [{ role: 'user', content: 'Hello from Apex' }],
});
console.log(response.choices[0].message.content);`;
}

function anthropicPython(base: string, model: string): string {
  return `from anthropic import Anthropic

client = Anthropic(base_url="${base}")  # keeps using ANTHROPIC_API_KEY

message = client.messages.create(
    model="${model}",
    max_tokens=256,
    messages=[{"role": "user", "content": "Hello from Apex"}],
)
print(message.content[0].text)`;
}

function anthropicTypescript(base: string, model: string): string {
  return `import Anthropic from '@anthropic-ai/sdk';

const client = new Anthropic({ baseURL: '${base}' }); // keeps using ANTHROPIC_API_KEY

const message = await client.messages.create({
  model: '${model}',
  max_tokens: 256,
  messages: [{ role: 'user', content: 'Hello from Apex' }],
});
console.log(message.content);`;
}

const BUILDERS: Record<SdkFlavor, Record<SdkLanguage, (base: string, model: string) => string>> = {
  openai: { python: openaiPython, typescript: openaiTypescript },
  anthropic: { python: anthropicPython, typescript: anthropicTypescript },
};

export function sdkSnippet(
  flavor: SdkFlavor,
  language: SdkLanguage,
  proxyUrl: string,
  model?: string,
): string {
  return BUILDERS[flavor][language](baseUrlFor(flavor, proxyUrl), model ?? DEFAULT_MODEL[flavor]);
}
