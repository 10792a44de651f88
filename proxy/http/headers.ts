import type { IncomingHttpHeaders, OutgoingHttpHeaders } from 'node:http';
import type { ProviderConfig } from '../config/schema.ts';
import { SECRET_PREFIX } from '../keys/key-schema.ts';

/** Headers that describe one hop (RFC 9110 §7.6.1) or that Apex recomputes. */
const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'proxy-authorization',
  'transfer-encoding',
  'te',
  'trailer',
  'upgrade',
  'host',
  'content-length',
  'expect',
]);

/** Credentials a client may send; replaced when the provider has its own key configured. */
const CREDENTIAL_HEADERS = new Set(['authorization', 'x-api-key', 'api-key', 'x-goog-api-key']);

const ANTHROPIC_DEFAULT_VERSION = '2023-06-01';

/**
 * The headers sent upstream: the client's own (so SDK features such as beta
 * flags and idempotency keys keep working) minus hop-by-hop and Apex's own
 * `x-apex-*`, with credentials swapped for the provider's when one is set.
 * Responses are requested uncompressed because Apex reads their usage.
 */
export function upstreamRequestHeaders(
  incoming: IncomingHttpHeaders,
  provider: ProviderConfig,
  bodyLength: number,
): Record<string, string> {
  const headers: Record<string, string> = {};
  const replaceCredentials = provider.apiKey !== undefined;
  for (const name in incoming) {
    if (HOP_BY_HOP.has(name) || name.startsWith('x-apex-')) continue;
    const value = incoming[name];
    if (CREDENTIAL_HEADERS.has(name) && (replaceCredentials || isVirtualKey(value))) continue;
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  Object.assign(headers, provider.headers);
  if (provider.apiKey !== undefined) setProviderCredentials(headers, provider);
  if (provider.kind === 'anthropic' && !headers['anthropic-version']) {
    headers['anthropic-version'] = ANTHROPIC_DEFAULT_VERSION;
  }
  headers['content-type'] = 'application/json';
  headers['content-length'] = String(bodyLength);
  headers['accept-encoding'] = 'identity';
  return headers;
}

/** Providers that authenticate with credentials of their own kind (AWS SigV4), never a caller's key. */
const SIGNS_ITS_OWN_REQUESTS: ReadonlySet<string> = new Set(['bedrock']);

/** Whether the caller's own key is what authenticates calls to this provider. */
export function usesCallerKey(provider: ProviderConfig): boolean {
  return provider.apiKey === undefined && !SIGNS_ITS_OWN_REQUESTS.has(provider.kind);
}

/** An Apex virtual key only means something to Apex; it must never reach a provider. */
function isVirtualKey(value: string | string[] | undefined): boolean {
  return value !== undefined && String(value).includes(SECRET_PREFIX);
}

/** The provider's own credentials and configured headers, for calls Apex makes on its own behalf. */
export function providerHeaders(provider: ProviderConfig): Record<string, string> {
  const headers = upstreamRequestHeaders({}, provider, 0);
  delete headers['content-length'];
  delete headers['content-type'];
  return headers;
}

function setProviderCredentials(headers: Record<string, string>, provider: ProviderConfig): void {
  if (provider.kind === 'anthropic') headers['x-api-key'] = provider.apiKey!;
  else if (provider.kind === 'azure') headers['api-key'] = provider.apiKey!;
  else if (provider.kind === 'gemini') headers['x-goog-api-key'] = provider.apiKey!;
  else headers['authorization'] = `Bearer ${provider.apiKey!}`;
}

/** Upstream response headers worth relaying: rate limits, request ids, retry-after and the like. */
export function relayedResponseHeaders(
  upstream: Record<string, string | string[] | undefined>,
  requestId: string,
): OutgoingHttpHeaders {
  const headers: OutgoingHttpHeaders = {};
  for (const name in upstream) {
    if (HOP_BY_HOP.has(name) || name === 'content-encoding') continue;
    const value = upstream[name];
    if (value !== undefined) headers[name] = value;
  }
  headers['x-apex-request-id'] = requestId;
  return headers;
}
