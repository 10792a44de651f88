import type { ProviderConfig } from '../config/schema.ts';

/** The latest GA data-plane version with deployment URLs (learn.microsoft.com, Azure OpenAI REST reference). */
export const AZURE_DEFAULT_API_VERSION = '2024-10-21';

/**
 * Azure OpenAI addresses a model by its deployment: /openai/deployments/{deployment}/chat/completions
 * ?api-version=…, or, with the v1 API, /openai/v1/chat/completions with the deployment as `model`.
 * The client's own query parameters are kept; its api-version wins over the configured one.
 */
export function azurePath(
  basePath: string,
  provider: ProviderConfig,
  deploymentName: string,
  relative: string,
  clientQuery: string,
): string {
  const version = provider.apiVersion ?? AZURE_DEFAULT_API_VERSION;
  if (version === 'v1') return `${basePath}/openai/v1${relative}${clientQuery}`;
  const params = new URLSearchParams(clientQuery.startsWith('?') ? clientQuery.slice(1) : clientQuery);
  if (!params.has('api-version')) params.set('api-version', version);
  return `${basePath}/openai/deployments/${encodeURIComponent(deploymentName)}${relative}?${params}`;
}

/** Where the resource lists its models, for the dashboard's connection test. */
export function azureModelsUrl(provider: ProviderConfig): string {
  const version = provider.apiVersion ?? AZURE_DEFAULT_API_VERSION;
  if (version === 'v1') return `${provider.baseUrl}/openai/v1/models`;
  return `${provider.baseUrl}/openai/models?api-version=${encodeURIComponent(version)}`;
}
