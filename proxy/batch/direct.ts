import type { ProviderConfig } from '../config/schema.ts';
import { providerHeaders } from '../http/headers.ts';
import { RELATIVE_PATHS } from '../forward/prepare.ts';
import type { DeferredJob } from './job.ts';
import { apiRoot } from './provider-http.ts';

/** Deferred work may wait; a stuck provider must not hold a slot forever. */
const DIRECT_TIMEOUT_MS = 10 * 60_000;

/**
 * Sends a deferred request to the provider's standard API and returns its answer, errors
 * included. Throws only when the provider could not be reached, so the request stays queued.
 */
export async function sendDirect(
  provider: ProviderConfig,
  job: DeferredJob,
): Promise<{ status: number; body: Buffer }> {
  const headers = providerHeaders(provider);
  headers['content-type'] = 'application/json';
  const response = await fetch(`${apiRoot(provider)}${RELATIVE_PATHS[job.endpoint]}`, {
    method: 'POST',
    headers,
    body: JSON.stringify(job.body),
    signal: AbortSignal.timeout(DIRECT_TIMEOUT_MS),
  });
  return { status: response.status, body: Buffer.from(await response.arrayBuffer()) };
}
