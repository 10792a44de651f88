import type { ServerResponse } from 'node:http';
import type { ApiFlavor } from '../../contracts/usage.ts';

export type RefusalCode =
  | 'missing_api_key'
  | 'invalid_api_key'
  | 'key_revoked'
  | 'virtual_key_required'
  | 'model_not_allowed'
  | 'budget_exceeded'
  | 'rate_limit_exceeded';

/** Which limit refused a request, when a limit did. */
export type RefusalLimit = 'daily_budget' | 'monthly_budget' | 'rpm' | 'tpm';

/** Why a request may not go upstream; rendered in the caller's API format by refusalBody. */
export interface Refusal {
  ok: false;
  status: 401 | 403 | 429;
  code: RefusalCode;
  message: string;
  /** Seconds until the same request would be admitted; set for rate refusals that can clear. */
  retryAfterSeconds?: number;
  /** False when retrying cannot help until something changes (a budget resets, a key is fixed). */
  retryable: boolean;
  limit?: RefusalLimit;
}

const ANTHROPIC_TYPE: Record<Refusal['status'], string> = {
  401: 'authentication_error',
  403: 'permission_error',
  429: 'rate_limit_error',
};

/**
 * OpenAI's `error.type` as its own API sends it: `invalid_request_error` with `invalid_api_key`
 * for a bad key, `insufficient_quota` for spend limits, and the exhausted dimension (`requests`
 * or `tokens`) with code `rate_limit_exceeded` for rate limits. The SDKs pick their exception
 * class from the status, so the type only matters to callers that inspect the body.
 */
function openaiType(refusal: Refusal): string {
  if (refusal.status === 401) return 'invalid_request_error';
  if (refusal.status === 403) return 'permission_error';
  if (refusal.code === 'budget_exceeded') return 'insufficient_quota';
  return refusal.limit === 'tpm' ? 'tokens' : 'requests';
}

/** The refusal as the caller's own SDK expects to parse it. Never contains a credential. */
export function refusalBody(api: ApiFlavor, refusal: Refusal, requestId: string): string {
  if (api === 'anthropic') {
    return JSON.stringify({
      type: 'error',
      error: { type: ANTHROPIC_TYPE[refusal.status], message: refusal.message },
      request_id: requestId,
    });
  }
  return JSON.stringify({
    error: { message: refusal.message, type: openaiType(refusal), param: null, code: refusal.code },
  });
}

/**
 * Headers that steer the official SDKs: `retry-after` when the wait is known, and
 * `x-should-retry: false` when a retry cannot succeed, which both the OpenAI and Anthropic SDKs
 * honour before their default retry of every 429.
 */
export function refusalHeaders(refusal: Refusal): Record<string, string> {
  const headers: Record<string, string> = {};
  if (refusal.retryAfterSeconds !== undefined) headers['retry-after'] = String(refusal.retryAfterSeconds);
  if (!refusal.retryable) headers['x-should-retry'] = 'false';
  return headers;
}

export function sendRefusal(res: ServerResponse, api: ApiFlavor, refusal: Refusal, requestId: string): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const body = refusalBody(api, refusal, requestId);
  res.writeHead(refusal.status, {
    ...refusalHeaders(refusal),
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(body),
    'x-apex-request-id': requestId,
  });
  res.end(body);
}
