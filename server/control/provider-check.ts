import type { ProviderCheckResponse } from '../../contracts/control-api.ts';
import type { ProviderConfig } from '../../proxy/config/schema.ts';
import { upstreamErrorMessage } from '../../proxy/forward/outcome.ts';
import { providerHeaders } from '../../proxy/http/headers.ts';
import { azureModelsUrl } from '../../proxy/upstream/azure.ts';
import { BedrockRuntimeClient } from '@aws-sdk/client-bedrock-runtime';
import { bedrockClientConfig } from '../../proxy/upstream/bedrock-client.ts';

const CHECK_TIMEOUT_MS = 10_000;

/**
 * "Test the connection": lists the provider's models with the key Apex would use, which proves the
 * address, the network path and the key in one cheap call that costs no tokens.
 */
export async function checkProvider(
  provider: ProviderConfig,
  timeoutMs = CHECK_TIMEOUT_MS,
): Promise<ProviderCheckResponse> {
  if (provider.kind === 'bedrock') return checkBedrock(provider, timeoutMs);
  if (provider.apiKey === undefined) {
    return {
      ok: false,
      status: null,
      latencyMs: 0,
      models: null,
      message: "this provider uses each caller's own key; there is no stored key to test",
    };
  }
  const headers = providerHeaders(provider);
  const started = performance.now();
  try {
    const response = await fetch(modelsUrl(provider), { headers, signal: AbortSignal.timeout(timeoutMs) });
    const latencyMs = Math.round(performance.now() - started);
    const body: unknown = await response.json().catch(() => null);
    if (!response.ok) {
      return {
        ok: false,
        status: response.status,
        latencyMs,
        models: null,
        message: upstreamErrorMessage(body) ?? `the provider answered ${response.status}`,
      };
    }
    const models = modelCount(body);
    return {
      ok: true,
      status: response.status,
      latencyMs,
      models,
      message: models === null ? 'connected' : `connected; ${models} models available`,
    };
  } catch (err) {
    const latencyMs = Math.round(performance.now() - started);
    const reason =
      err instanceof Error && err.name === 'TimeoutError'
        ? `no answer within ${timeoutMs / 1000} s`
        : describeFailure(err);
    return {
      ok: false,
      status: null,
      latencyMs,
      models: null,
      message: `could not reach ${provider.baseUrl}: ${reason}`,
    };
  }
}

// OpenAI-style base URLs already end in /v1; Anthropic's is the bare host.
function modelsUrl(provider: ProviderConfig): string {
  if (provider.kind === 'azure') return azureModelsUrl(provider);
  if (provider.kind === 'gemini') return `${provider.baseUrl}/v1beta/models`;
  return provider.kind === 'anthropic' ? `${provider.baseUrl}/v1/models` : `${provider.baseUrl}/models`;
}

function modelCount(body: unknown): number | null {
  const data = (body as { data?: unknown } | null)?.data;
  return Array.isArray(data) ? data.length : null;
}

/** The message both OpenAI and Anthropic put in `error.message`. */

function describeFailure(err: unknown): string {
  const cause = (err as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? (err instanceof Error ? err.message : String(err));
}

/**
 * Bedrock has no free call to prove a key with (listing models is another service, and Converse
 * costs tokens), so the test resolves the credentials the SDK would sign with and checks that the
 * endpoint answers at all. Both run the same code path as a request: the SDK's own chain.
 */
async function checkBedrock(provider: ProviderConfig, timeoutMs: number): Promise<ProviderCheckResponse> {
  const started = performance.now();
  const elapsed = (): number => Math.round(performance.now() - started);
  const credentials = await resolveAwsCredentials(provider, timeoutMs);
  if ('failure' in credentials) {
    return {
      ok: false,
      status: null,
      latencyMs: elapsed(),
      models: null,
      message:
        `no AWS credentials found (${credentials.failure}); set accessKeyId and secretAccessKey in the ` +
        'config, or give Apex AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, AWS_PROFILE, an SSO login or a role',
    };
  }
  const found = `AWS credentials found (access key …${credentials.keyHint}, from ${credentials.source})`;
  try {
    // Any answer proves the address and the network path; an unsigned GET invokes nothing.
    await fetch(provider.baseUrl, { signal: AbortSignal.timeout(timeoutMs) });
    const message = `${found}; ${new URL(provider.baseUrl).host} is reachable (region ${provider.region})`;
    return { ok: true, status: null, latencyMs: elapsed(), models: null, message };
  } catch (err) {
    const message = `${found}, but could not reach ${provider.baseUrl}: ${describeFailure(err)}`;
    return { ok: false, status: null, latencyMs: elapsed(), models: null, message };
  }
}

type ResolvedCredentials = { keyHint: string; source: string } | { failure: string };

async function resolveAwsCredentials(
  provider: ProviderConfig,
  timeoutMs: number,
): Promise<ResolvedCredentials> {
  const client = new BedrockRuntimeClient(bedrockClientConfig(provider));
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs / 1000} s`)), timeoutMs);
  });
  try {
    const identity = await Promise.race([client.config.credentials(), timeout]);
    const source = provider.accessKeyId ? 'the config' : 'the AWS SDK default chain';
    return { keyHint: identity.accessKeyId.slice(-4), source };
  } catch (err) {
    return { failure: err instanceof Error ? err.message : String(err) };
  } finally {
    clearTimeout(timer);
    client.destroy();
  }
}
