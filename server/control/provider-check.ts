import type { ProviderCheckResponse } from '../../contracts/control-api.ts';
import type { ProviderConfig } from '../../proxy/config/schema.ts';
import { upstreamErrorMessage } from '../../proxy/forward/outcome.ts';
import { providerHeaders } from '../../proxy/http/headers.ts';
import { azureModelsUrl } from '../../proxy/upstream/azure.ts';

const CHECK_TIMEOUT_MS = 10_000;

/**
 * "Test the connection": lists the provider's models with the key Apex would use, which proves the
 * address, the network path and the key in one cheap call that costs no tokens.
 */
export async function checkProvider(
  provider: ProviderConfig,
  timeoutMs = CHECK_TIMEOUT_MS,
): Promise<ProviderCheckResponse> {
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
