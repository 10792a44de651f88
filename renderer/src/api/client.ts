import type { ApiErrorBody } from '../../../contracts/control-api.ts';
import { markUnauthorized } from './auth-state.ts';
import { apiUrl, sessionToken } from './session.ts';
import type { FileImportSummary } from '../../../contracts/imports.ts';

/** A control API failure with the server's code and message (or a local one for network trouble). */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;

  constructor(status: number, code: string, message: string) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
  }
}

const NETWORK_MESSAGE = 'Cannot reach Apex. Is `apex serve` still running?';

function authHeaders(): Record<string, string> {
  const token = sessionToken();
  return token ? { authorization: `Bearer ${token}` } : {};
}

function errorFrom(status: number, body: unknown, statusText: string): ApiError {
  const error = (body as Partial<ApiErrorBody> | null)?.error;
  if (status === 401) markUnauthorized();
  if (error && typeof error.message === 'string') return new ApiError(status, error.code, error.message);
  return new ApiError(status, 'http_error', `The server answered ${status} ${statusText}`.trim());
}

async function request<T>(path: string, init: RequestInit = {}): Promise<T> {
  let res: Response;
  try {
    res = await fetch(apiUrl(path), {
      ...init,
      headers: { accept: 'application/json', ...authHeaders(), ...init.headers },
    });
  } catch {
    throw new ApiError(0, 'network', NETWORK_MESSAGE);
  }
  const body: unknown = await res.json().catch(() => null);
  if (!res.ok) throw errorFrom(res.status, body, res.statusText);
  return body as T;
}

export function getJson<T>(path: string, signal?: AbortSignal): Promise<T> {
  return request<T>(path, { signal });
}

function sendJson<T>(
  method: 'POST' | 'PATCH',
  path: string,
  payload: unknown,
  signal?: AbortSignal,
): Promise<T> {
  return request<T>(path, {
    method,
    signal,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(payload),
  });
}

export function postJson<T>(path: string, payload: unknown, signal?: AbortSignal): Promise<T> {
  return sendJson<T>('POST', path, payload, signal);
}

export function patchJson<T>(path: string, payload: unknown, signal?: AbortSignal): Promise<T> {
  return sendJson<T>('PATCH', path, payload, signal);
}

export interface UploadHandle {
  done: Promise<FileImportSummary>;
  abort(): void;
}

/** XMLHttpRequest rather than fetch: only XHR reports upload progress. */
export function uploadFile(file: File, onProgress: (fraction: number) => void): UploadHandle {
  const xhr = new XMLHttpRequest();
  const done = new Promise<FileImportSummary>((resolve, reject) => {
    xhr.open('POST', apiUrl('/api/imports'));
    for (const [name, value] of Object.entries(authHeaders())) xhr.setRequestHeader(name, value);
    xhr.setRequestHeader('x-apex-filename', encodeURIComponent(file.name));
    xhr.setRequestHeader('content-type', 'application/octet-stream');
    xhr.responseType = 'json';
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable && e.total > 0) onProgress(e.loaded / e.total);
    };
    xhr.onload = () => {
      if (xhr.status >= 200 && xhr.status < 300) resolve(xhr.response as FileImportSummary);
      else reject(errorFrom(xhr.status, xhr.response, xhr.statusText));
    };
    xhr.onerror = () => reject(new ApiError(0, 'network', NETWORK_MESSAGE));
    xhr.onabort = () => reject(new ApiError(0, 'aborted', 'The upload was cancelled'));
    xhr.send(file);
  });
  return { done, abort: () => xhr.abort() };
}

export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}
