/**
 * The SDK matrix's world: one proxy with one model route per provider kind, each pointing at its
 * own local mock (sdk-matrix-mocks.ts), and what each kind must look like on the upstream wire:
 * the path it is called at and the credential it carries.
 */
import type { IncomingHttpHeaders } from 'node:http';
import { PROVIDER_KINDS, type ProviderKind } from '../../contracts/providers.ts';
import { startHarness, type Harness } from './apex-harness.ts';
import { AWS_KEY, AWS_SECRET, MODEL_ID, REGION } from './bedrock-harness.ts';
import { isSigV4For } from './bedrock-mock.ts';
import {
  geminiHandler,
  matrixAnthropicHandler,
  mistralHandler,
  openaiWireHandler,
  startHttpMock,
  startMatrixBedrock,
  type SentRequest,
  type StartedMock,
  type Wire,
} from './sdk-matrix-mocks.ts';

const AZURE_API_VERSION = '2024-10-21';

/** How one provider kind is configured and what its upstream must receive. */
export interface KindSpec {
  kind: ProviderKind;
  wire: Wire;
  /** The name clients ask for; the route's provider is named after its kind. */
  model: string;
  upstreamModel: string;
  /** OpenAI-wire kinds: the base URL's path, the preset's documented one for presets. */
  basePath: string;
  /** Path and query the upstream must be called at. */
  url(stream: boolean): string;
  /** The header Apex's key travels in; null for Bedrock, which signs with SigV4 instead. */
  keyHeader: 'authorization' | 'api-key' | 'x-api-key' | 'x-goog-api-key' | null;
}

export const apexKeyOf = (kind: ProviderKind): string => `apex-upstream-key-${kind}`;

function openaiWire(kind: ProviderKind, upstreamModel: string, basePath: string): KindSpec {
  return {
    kind,
    wire: 'openai',
    model: `matrix-${kind}`,
    upstreamModel,
    basePath,
    url: () => `${basePath}/chat/completions`,
    keyHeader: 'authorization',
  };
}

function otherWire(kind: ProviderKind, wire: Wire, upstreamModel: string, spec: Partial<KindSpec>): KindSpec {
  return { ...openaiWire(kind, upstreamModel, ''), wire, ...spec };
}

const deployment = 'prod-gpt4o';

/** Every kind of contracts/providers.ts; the preset paths are those of each service's base URL. */
export const KIND_SPECS: Record<ProviderKind, KindSpec> = {
  openai: openaiWire('openai', 'gpt-4o-mini', '/v1'),
  anthropic: otherWire('anthropic', 'anthropic', 'claude-haiku-4-5', {
    url: () => '/v1/messages',
    keyHeader: 'x-api-key',
  }),
  'openai-compatible': openaiWire('openai-compatible', 'llama3.1:8b', '/serve/v1'),
  azure: otherWire('azure', 'openai', deployment, {
    basePath: `/openai/deployments/${deployment}`,
    url: () => `/openai/deployments/${deployment}/chat/completions?api-version=${AZURE_API_VERSION}`,
    keyHeader: 'api-key',
  }),
  gemini: otherWire('gemini', 'gemini', 'gemini-2.5-flash', {
    url: (stream) =>
      stream
        ? '/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse'
        : '/v1beta/models/gemini-2.5-flash:generateContent',
    keyHeader: 'x-goog-api-key',
  }),
  bedrock: otherWire('bedrock', 'bedrock', MODEL_ID, {
    url: (stream) => `/model/${encodeURIComponent(MODEL_ID)}/${stream ? 'converse-stream' : 'converse'}`,
    keyHeader: null,
  }),
  mistral: openaiWire('mistral', 'mistral-small-latest', '/v1'),
  groq: openaiWire('groq', 'llama-3.3-70b-versatile', '/openai/v1'),
  deepseek: openaiWire('deepseek', 'deepseek-chat', '/v1'),
  together: openaiWire('together', 'meta-llama/Llama-3.3-70B-Instruct-Turbo', '/v1'),
  openrouter: openaiWire('openrouter', 'openai/gpt-4o-mini', '/api/v1'),
  ollama: openaiWire('ollama', 'llama3.1:8b', '/v1'),
  vllm: openaiWire('vllm', 'Qwen/Qwen2.5-7B-Instruct', '/v1'),
};

async function startMockFor(spec: KindSpec): Promise<StartedMock> {
  if (spec.kind === 'bedrock')
    return startMatrixBedrock({ accessKeyId: AWS_KEY, secretAccessKey: AWS_SECRET, region: REGION });
  if (spec.kind === 'anthropic') return startHttpMock(matrixAnthropicHandler());
  if (spec.kind === 'gemini') return startHttpMock(geminiHandler(spec.upstreamModel));
  if (spec.kind === 'mistral') return startHttpMock(mistralHandler(spec.basePath));
  return startHttpMock(openaiWireHandler(spec.basePath));
}

/** Provider config for one kind, every one with a key (or AWS credentials) of Apex's own. */
function providerConfig(spec: KindSpec, mockUrl: string): object {
  const { kind } = spec;
  if (kind === 'bedrock')
    return { kind, region: REGION, baseUrl: mockUrl, accessKeyId: AWS_KEY, secretAccessKey: AWS_SECRET };
  const apiKey = apexKeyOf(kind);
  if (kind === 'azure') return { kind, baseUrl: `${mockUrl}/openai`, apiKey, apiVersion: AZURE_API_VERSION };
  if (spec.wire !== 'openai') return { kind, baseUrl: mockUrl, apiKey };
  // No streamUsage here: each preset keeps its own default (false for Mistral).
  return { kind, baseUrl: `${mockUrl}${spec.basePath}`, apiKey };
}

export function matrixConfig(mockUrls: Record<ProviderKind, string>): object {
  const specs = PROVIDER_KINDS.map((kind) => KIND_SPECS[kind]);
  return {
    providers: Object.fromEntries(
      specs.map((spec) => [spec.kind, providerConfig(spec, mockUrls[spec.kind])]),
    ),
    models: specs.map((spec) => ({ name: spec.model, provider: spec.kind, model: spec.upstreamModel })),
  };
}

export interface Matrix {
  harness: Harness;
  mocks: Record<ProviderKind, StartedMock>;
  close(): Promise<void>;
}

export async function startMatrix(): Promise<Matrix> {
  const started = await Promise.all(PROVIDER_KINDS.map((kind) => startMockFor(KIND_SPECS[kind])));
  const mocks = Object.fromEntries(PROVIDER_KINDS.map((kind, index) => [kind, started[index]!])) as Record<
    ProviderKind,
    StartedMock
  >;
  const close = async () => {
    await Promise.all(started.map((mock) => mock.close()));
  };
  try {
    const urls = Object.fromEntries(PROVIDER_KINDS.map((kind) => [kind, mocks[kind].url]));
    const harness = await startHarness({ config: () => matrixConfig(urls as Record<ProviderKind, string>) });
    return {
      harness,
      mocks,
      close: async () => {
        await harness.close();
        await close();
      },
    };
  } catch (error) {
    await close();
    throw error;
  }
}

/** Every mock's request count now, to find the requests one cell caused. */
export function requestCounts(matrix: Matrix): Record<ProviderKind, number> {
  const entries = PROVIDER_KINDS.map((kind) => [kind, matrix.mocks[kind].sent().length] as const);
  return Object.fromEntries(entries) as Record<ProviderKind, number>;
}

/** The requests that arrived at any mock since `counts`, each with the kind whose mock got it. */
export function sentSince(
  matrix: Matrix,
  counts: Record<ProviderKind, number>,
): Array<SentRequest & { kind: ProviderKind }> {
  return PROVIDER_KINDS.flatMap((kind) =>
    matrix.mocks[kind]
      .sent()
      .slice(counts[kind])
      .map((request) => ({ ...request, kind })),
  );
}

const CREDENTIAL_HEADERS = ['authorization', 'api-key', 'x-api-key', 'x-goog-api-key'] as const;

/** Credential headers present besides the one `spec` uses (Bedrock's is its SigV4 authorization). */
export function strayCredentialHeaders(spec: KindSpec, headers: IncomingHttpHeaders): string[] {
  const own = spec.keyHeader ?? 'authorization';
  return CREDENTIAL_HEADERS.filter((name) => name !== own && headers[name] !== undefined);
}

/** True when the upstream request carries Apex's own credential for `spec` in its wire's header. */
export function carriesApexCredential(spec: KindSpec, headers: IncomingHttpHeaders): boolean {
  if (spec.keyHeader === null) return isSigV4For(headers.authorization, AWS_KEY, REGION);
  const key = apexKeyOf(spec.kind);
  const expected = spec.keyHeader === 'authorization' ? `Bearer ${key}` : key;
  return headers[spec.keyHeader] === expected;
}
