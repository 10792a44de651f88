import { parseObject } from '../../common/json.ts';
import { upstreamErrorMessage } from '../forward/outcome.ts';
import type { ChatWire } from './wires.ts';

/** Anthropic's documented error types by HTTP status (docs: "Errors"). */
const ANTHROPIC_TYPES: Record<number, string> = {
  400: 'invalid_request_error',
  401: 'authentication_error',
  403: 'permission_error',
  404: 'not_found_error',
  413: 'request_too_large',
  429: 'rate_limit_error',
  500: 'api_error',
  529: 'overloaded_error',
};

/** OpenAI's error types as its API sends them; the SDKs choose the exception class by status. */
const OPENAI_TYPES: Record<number, string> = {
  400: 'invalid_request_error',
  401: 'invalid_request_error',
  403: 'invalid_request_error',
  404: 'invalid_request_error',
  429: 'rate_limit_error',
};

/**
 * A provider's error answer rewritten in the client's wire, same status, the provider's own message
 * kept, so a translated call fails the way the client's SDK expects.
 */
export function translateErrorBody(status: number, body: Buffer, to: ChatWire, requestId: string): Buffer {
  const message =
    upstreamErrorMessage(parseObject(body.toString('utf8'))) ?? `the provider answered ${status}`;
  if (to === 'anthropic') {
    const type = ANTHROPIC_TYPES[status] ?? (status >= 500 ? 'api_error' : 'invalid_request_error');
    return Buffer.from(JSON.stringify({ type: 'error', error: { type, message }, request_id: requestId }));
  }
  const type = OPENAI_TYPES[status] ?? (status >= 500 ? 'server_error' : 'invalid_request_error');
  return Buffer.from(JSON.stringify({ error: { message, type, param: null, code: null } }));
}
