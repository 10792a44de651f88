import type { ProviderConfig } from '../config/schema.ts';
import { isRecord, stringField } from '../../common/json.ts';
import { errorStatus } from '../translate/anthropic-response.ts';
import type { BatchApi } from './batch-api.ts';
import { transientStatus, type DeferredJob, type ItemResult } from './job.ts';
import { callProvider, callProviderJson, jsonLines } from './provider-http.ts';

/**
 * Anthropic Message Batches (platform.claude.com/docs/en/api/creating-message-batches): the requests
 * go up in one JSON body, the batch is polled until `processing_status` is "ended", then its
 * results are read as JSONL. The results are always fetched from this provider's own base URL, so
 * the key is never sent to an address the answer named.
 */
export class AnthropicBatches implements BatchApi {
  private readonly provider: ProviderConfig;

  constructor(provider: ProviderConfig) {
    this.provider = provider;
  }

  async submit(jobs: DeferredJob[]): Promise<string> {
    const requests = jobs.map((job) => ({ custom_id: job.id, params: job.body }));
    const batch = await callProviderJson(this.provider, '/messages/batches', { json: { requests } });
    const batchId = stringField(batch, 'id');
    if (!batchId) throw new Error('the batch creation returned no id');
    return batchId;
  }

  async collect(batchId: string, ids: readonly string[]): Promise<Map<string, ItemResult> | null> {
    const path = `/messages/batches/${encodeURIComponent(batchId)}`;
    const batch = await callProviderJson(this.provider, path);
    if (stringField(batch, 'processing_status') !== 'ended') return null;
    const response = await callProvider(this.provider, `${path}/results`);
    const results = new Map<string, ItemResult>();
    for (const line of jsonLines(await response.text())) {
      const customId = stringField(line, 'custom_id');
      if (customId) results.set(customId, resultOf(line.result));
    }
    for (const id of ids) if (!results.has(id)) results.set(id, { kind: 'expired' });
    return results;
  }
}

function resultOf(result: unknown): ItemResult {
  const type = stringField(result, 'type');
  if (type === 'succeeded' && isRecord(result) && isRecord(result.message)) {
    return { kind: 'answered', status: 200, body: Buffer.from(JSON.stringify(result.message)) };
  }
  if (type === 'errored' && isRecord(result) && isRecord(result.error)) {
    const status = statusOf(result.error);
    if (transientStatus(status)) return { kind: 'expired' };
    // The error is the synchronous API's error body; keep it so the client sees Anthropic's format.
    return { kind: 'answered', status, body: Buffer.from(JSON.stringify(result.error)) };
  }
  return { kind: 'expired' };
}

function statusOf(error: Record<string, unknown>): number {
  return errorStatus(stringField(error.error, 'type'));
}
