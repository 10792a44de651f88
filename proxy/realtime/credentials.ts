import type { IncomingHttpHeaders } from 'node:http';
import type { ProviderConfig } from '../config/schema.ts';
import { upstreamRequestHeaders } from '../http/headers.ts';
import { SECRET_PREFIX } from '../keys/key-schema.ts';
import { bearerToken } from '../http/identity.ts';

/**
 * Browsers cannot set headers on a WebSocket, so OpenAI's Realtime API also takes them as
 * subprotocols: `realtime`, `openai-insecure-api-key.<key>`, `openai-organization.<id>`,
 * `openai-project.<id>` and, for the beta, `openai-beta.realtime-v1`.
 */
const KEY_PROTOCOL = 'openai-insecure-api-key.';
const HEADER_PROTOCOLS: ReadonlyArray<readonly [prefix: string, header: string]> = [
  ['openai-organization.', 'openai-organization'],
  ['openai-project.', 'openai-project'],
];
const BETA_PROTOCOL = 'openai-beta.realtime-v1';

/** Client headers worth passing to the provider; the handshake's own headers are the ws library's. */
const FORWARDED_HEADERS = [
  'openai-beta',
  'openai-organization',
  'openai-project',
  'openai-safety-identifier',
  'user-agent',
];

/** Headers the caller may carry a key in, most common first. */
const KEY_HEADERS = ['authorization', 'api-key', 'x-api-key'] as const;

export interface CallerCredentials {
  /** What KeyAccess.authenticate reads: whatever key the caller presented, wherever it came from. */
  authHeaders: IncomingHttpHeaders;
  /** The caller's own credential headers, for a provider without a key of its own. */
  passThrough: Record<string, string>;
  /** The caller presented an Apex virtual key somewhere (header or subprotocol). */
  virtual: boolean;
}

export function parseProtocols(header: string | string[] | undefined): string[] {
  const text = Array.isArray(header) ? header.join(',') : (header ?? '');
  return text
    .split(',')
    .map((value) => value.trim())
    .filter((value) => value.length > 0);
}

/** The key carried in `openai-insecure-api-key.<key>`, if any. */
export function protocolKey(protocols: readonly string[]): string | null {
  const carrier = protocols.find((value) => value.startsWith(KEY_PROTOCOL));
  return carrier ? carrier.slice(KEY_PROTOCOL.length) || null : null;
}

/**
 * Every credential the caller sent, gathered so authentication sees a key in any of them. A virtual
 * key wins the bearer slot: wherever it was put, it must be authenticated, never forwarded.
 */
export function callerCredentials(
  headers: IncomingHttpHeaders,
  protocols: readonly string[],
  provider: ProviderConfig,
): CallerCredentials {
  const presented: string[] = [];
  const passThrough: Record<string, string> = {};
  for (const name of KEY_HEADERS) {
    const value = firstValue(headers[name]);
    if (!value?.trim()) continue;
    passThrough[name] = value;
    presented.push(name === 'authorization' ? (bearerToken(value) ?? '') : value.trim());
  }
  const fromProtocol = protocolKey(protocols);
  if (fromProtocol) {
    presented.push(fromProtocol);
    if (Object.keys(passThrough).length === 0) {
      if (provider.kind === 'azure') passThrough['api-key'] = fromProtocol;
      else passThrough['authorization'] = `Bearer ${fromProtocol}`;
    }
  }
  const secret = presented.find((value) => value.startsWith(SECRET_PREFIX)) ?? presented.find(Boolean);
  const authHeaders: IncomingHttpHeaders = { ...headers };
  if (secret) authHeaders.authorization = `Bearer ${secret}`;
  return { authHeaders, passThrough, virtual: presented.some((value) => value.startsWith(SECRET_PREFIX)) };
}

/**
 * The handshake headers for the provider: the caller's OpenAI headers (and their subprotocol
 * forms), the provider's configured headers, and its key in place of the caller's when it has one.
 */
export function upstreamHandshakeHeaders(
  headers: IncomingHttpHeaders,
  protocols: readonly string[],
  credentials: CallerCredentials,
  provider: ProviderConfig,
): Record<string, string> {
  const incoming: IncomingHttpHeaders = {};
  for (const name of FORWARDED_HEADERS) {
    const value = headers[name];
    if (value !== undefined) incoming[name] = value;
  }
  for (const [prefix, header] of HEADER_PROTOCOLS) {
    const carrier = protocols.find((value) => value.startsWith(prefix));
    if (carrier && incoming[header] === undefined) incoming[header] = carrier.slice(prefix.length);
  }
  if (protocols.includes(BETA_PROTOCOL) && incoming['openai-beta'] === undefined) {
    incoming['openai-beta'] = 'realtime=v1';
  }
  Object.assign(incoming, credentials.passThrough);
  const upstream = upstreamRequestHeaders(incoming, provider, 0);
  delete upstream['content-type'];
  delete upstream['content-length'];
  delete upstream['accept-encoding'];
  return upstream;
}

/** Last line of defence: no header bound for a provider may carry an Apex virtual key. */
export function carriesVirtualKey(headers: Record<string, string>): boolean {
  return Object.values(headers).some((value) => value.includes(SECRET_PREFIX));
}

/** Browsers fail a handshake that offered subprotocols and got none back; OpenAI answers `realtime`. */
export function clientProtocol(protocols: readonly string[]): string | false {
  return protocols.includes('realtime') ? 'realtime' : false;
}

function firstValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
