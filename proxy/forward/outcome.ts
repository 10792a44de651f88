import type { Endpoint } from '../../contracts/usage.ts';
import { usageFromAnthropic } from '../usage/anthropic.ts';
import { usageFromOpenAI, usageFromOpenAIResponses } from '../usage/openai.ts';
import { ApexError } from '../http/errors.ts';
import { isRecord, parseObject } from '../../common/json.ts';
import type { Exchange } from './exchange.ts';

/** Reads usage and the serving model from a complete (non-streamed) upstream body. */
export function readBufferedOutcome(exchange: Exchange, body: Buffer): void {
  const parsed = parseObject(body.toString('utf8'));
  if (exchange.status >= 400) {
    exchange.errorClass = upstreamErrorClass(parsed, exchange.status);
    return;
  }
  if (!parsed) {
    exchange.errorClass = 'upstream_invalid_json';
    return;
  }
  exchange.modelServed = typeof parsed.model === 'string' ? parsed.model : null;
  exchange.usage = usageOf(exchange.endpoint, parsed.usage);
  if (exchange.usage === null) exchange.errorClass = 'usage_missing';
}

export function usageOf(endpoint: Endpoint, usage: unknown): Exchange['usage'] {
  if (endpoint === 'messages') return usageFromAnthropic(usage);
  if (endpoint === 'responses') return usageFromOpenAIResponses(usage);
  return usageFromOpenAI(usage);
}

/** The provider's own error type ("rate_limit_error", "insufficient_quota", ...) or the status. */
export function upstreamErrorClass(body: Record<string, unknown> | null, status: number): string {
  const error = body?.error;
  if (error !== null && typeof error === 'object') {
    const { type, code } = error as { type?: unknown; code?: unknown };
    if (typeof code === 'string' && code !== '') return code;
    if (typeof type === 'string' && type !== '') return type;
  }
  return `http_${status}`;
}

/**
 * The human-readable message of a provider's error body: `error.message` (OpenAI, Anthropic, Gemini),
 * the nested `error.error.message` of an Anthropic batch result, or a gateway's top-level `message`.
 */
export function upstreamErrorMessage(body: unknown): string | null {
  if (!isRecord(body)) return null;
  const error = body.error;
  if (isRecord(error)) {
    if (typeof error.message === 'string') return error.message;
    if (isRecord(error.error) && typeof error.error.message === 'string') return error.error.message;
  }
  return typeof body.message === 'string' ? body.message : null;
}

/** Turns a transport failure into the error the client sees, naming the upstream but no secrets. */
export function transportError(error: unknown, providerName: string, origin: string): ApexError {
  if (error instanceof ApexError) return error;
  const code = (error as { code?: string }).code ?? '';
  const detail = (error as Error).message;
  if (code === 'APEX_UPSTREAM_TIMEOUT' || code === 'ETIMEDOUT' || (error as Error).name === 'TimeoutError') {
    return new ApexError('upstream_timeout', `provider "${providerName}" at ${origin} timed out: ${detail}`, {
      code: 'upstream_timeout',
    });
  }
  return new ApexError(
    'upstream_unreachable',
    `cannot reach provider "${providerName}" at ${origin}: ${detail}`,
    {
      code: 'upstream_unreachable',
    },
  );
}
