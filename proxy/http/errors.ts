import type { ServerResponse } from 'node:http';
import type { ApiFlavor } from '../../contracts/usage.ts';

/** Errors Apex itself raises, independent of the API they are reported through. */
export type ApexErrorKind =
  | 'invalid_request'
  | 'unauthorized_host'
  | 'not_found'
  | 'method_not_allowed'
  | 'request_too_large'
  | 'unsupported_media_type'
  | 'upstream_unreachable'
  | 'upstream_timeout'
  | 'upstream_unavailable'
  | 'internal';

const STATUS: Record<ApexErrorKind, number> = {
  invalid_request: 400,
  unauthorized_host: 403,
  not_found: 404,
  method_not_allowed: 405,
  request_too_large: 413,
  unsupported_media_type: 415,
  upstream_unreachable: 502,
  upstream_timeout: 504,
  upstream_unavailable: 503,
  internal: 500,
};

/** OpenAI's documented `error.type` values per situation. */
const OPENAI_TYPE: Record<ApexErrorKind, string> = {
  invalid_request: 'invalid_request_error',
  unauthorized_host: 'permission_error',
  not_found: 'invalid_request_error',
  method_not_allowed: 'invalid_request_error',
  request_too_large: 'invalid_request_error',
  unsupported_media_type: 'invalid_request_error',
  upstream_unreachable: 'server_error',
  upstream_timeout: 'server_error',
  upstream_unavailable: 'server_error',
  internal: 'server_error',
};

/** Anthropic's documented `error.type` values per status. */
const ANTHROPIC_TYPE: Record<ApexErrorKind, string> = {
  invalid_request: 'invalid_request_error',
  unauthorized_host: 'permission_error',
  not_found: 'not_found_error',
  method_not_allowed: 'invalid_request_error',
  request_too_large: 'request_too_large',
  unsupported_media_type: 'invalid_request_error',
  upstream_unreachable: 'api_error',
  upstream_timeout: 'api_error',
  upstream_unavailable: 'api_error',
  internal: 'api_error',
};

export class ApexError extends Error {
  readonly kind: ApexErrorKind;
  readonly code: string | null;
  readonly param: string | null;
  /** Seconds the client should wait before trying again, sent as retry-after. */
  readonly retryAfterSeconds: number | null;

  constructor(
    kind: ApexErrorKind,
    message: string,
    options: { code?: string; param?: string; retryAfterSeconds?: number } = {},
  ) {
    super(message);
    this.kind = kind;
    this.code = options.code ?? null;
    this.param = options.param ?? null;
    this.retryAfterSeconds = options.retryAfterSeconds ?? null;
  }

  get status(): number {
    return STATUS[this.kind];
  }
}

/** The error body exactly as the caller's own SDK expects to parse it. */
export function errorBody(api: ApiFlavor, error: ApexError, requestId: string): string {
  if (api === 'anthropic') {
    return JSON.stringify({
      type: 'error',
      error: { type: ANTHROPIC_TYPE[error.kind], message: error.message },
      request_id: requestId,
    });
  }
  return JSON.stringify({
    error: { message: error.message, type: OPENAI_TYPE[error.kind], param: error.param, code: error.code },
  });
}

export function sendError(res: ServerResponse, api: ApiFlavor, error: ApexError, requestId: string): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const body = errorBody(api, error, requestId);
  res.writeHead(error.status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(body),
    'x-apex-request-id': requestId,
    ...(error.retryAfterSeconds === null ? {} : { 'retry-after': String(error.retryAfterSeconds) }),
  });
  res.end(body);
}
