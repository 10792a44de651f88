import type { ProviderConfig } from '../config/schema.ts';
import { providerHeaders } from '../http/headers.ts';
import { upstreamErrorMessage } from '../forward/outcome.ts';
import { versionRoot } from '../forward/prepare.ts';
import { parseObject } from '../../common/json.ts';

/** A provider call that did not succeed, with the provider's own message. */
export class BatchApiError extends Error {
  readonly status: number;

  constructor(status: number, message: string) {
    super(message);
    this.name = 'BatchApiError';
    this.status = status;
  }
}

const CALL_TIMEOUT_MS = 60_000;

/** The API's version root (".../v1"), where batch and file endpoints live. */
export function apiRoot(provider: ProviderConfig): string {
  return versionRoot(provider.baseUrl, provider.kind);
}

export async function callProvider(
  provider: ProviderConfig,
  path: string,
  init: { method?: string; json?: unknown; form?: FormData } = {},
): Promise<Response> {
  const headers = providerHeaders(provider);
  let body: string | FormData | undefined;
  if (init.json !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(init.json);
  } else if (init.form) {
    body = init.form;
  }
  const response = await fetch(`${apiRoot(provider)}${path}`, {
    method: init.method ?? (body === undefined ? 'GET' : 'POST'),
    headers,
    body,
    signal: AbortSignal.timeout(CALL_TIMEOUT_MS),
  });
  if (!response.ok) {
    const text = await response.text().catch(() => '');
    throw new BatchApiError(
      response.status,
      upstreamErrorMessage(parseObject(text)) ?? `the provider answered ${response.status}`,
    );
  }
  return response;
}

export async function callProviderJson(
  provider: ProviderConfig,
  path: string,
  init: { method?: string; json?: unknown; form?: FormData } = {},
): Promise<Record<string, unknown>> {
  const response = await callProvider(provider, path, init);
  const body = parseObject(await response.text());
  if (!body) throw new BatchApiError(502, `the provider's answer to ${path} was not JSON`);
  return body;
}

/** Each non-empty line of a JSONL body that parses as an object; a garbled line is skipped. */
export function jsonLines(text: string): Array<Record<string, unknown>> {
  const lines: Array<Record<string, unknown>> = [];
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    const parsed = parseObject(line);
    if (parsed) lines.push(parsed);
  }
  return lines;
}
