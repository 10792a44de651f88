import type { ProviderConfig } from '../config/schema.ts';
import { isRecord, stringField } from '../../common/json.ts';
import { transientStatus, type DeferredJob, type ItemResult } from './job.ts';
import { callProvider, callProviderJson, jsonLines } from './provider-http.ts';
import type { BatchApi } from './batch-api.ts';

/** The Batch API's own endpoint names, one per batch (platform.openai.com/docs/api-reference/batch). */
const BATCH_ENDPOINTS: Record<string, string> = {
  chat: '/v1/chat/completions',
  completions: '/v1/completions',
  embeddings: '/v1/embeddings',
  responses: '/v1/responses',
};
const RUNNING = new Set(['validating', 'in_progress', 'finalizing', 'cancelling']);

/**
 * OpenAI Batch API: the requests go up as a JSONL file (purpose "batch"), a batch is created on it
 * with the 24 h window, and its output and error files are read once it has ended. Every request
 * in one batch targets the same endpoint and model.
 */
export class OpenAIBatches implements BatchApi {
  private readonly provider: ProviderConfig;

  constructor(provider: ProviderConfig) {
    this.provider = provider;
  }

  async submit(jobs: DeferredJob[]): Promise<string> {
    const endpoint = BATCH_ENDPOINTS[jobs[0]!.endpoint];
    if (!endpoint) throw new Error(`the OpenAI Batch API has no ${jobs[0]!.endpoint} endpoint`);
    const lines = jobs.map((job) =>
      JSON.stringify({ custom_id: job.id, method: 'POST', url: endpoint, body: job.body }),
    );
    const form = new FormData();
    form.append('purpose', 'batch');
    form.append(
      'file',
      new Blob([`${lines.join('\n')}\n`], { type: 'application/jsonl' }),
      'apex-batch.jsonl',
    );
    const file = await callProviderJson(this.provider, '/files', { form });
    const fileId = stringField(file, 'id');
    if (!fileId) throw new Error('the file upload returned no id');
    const batch = await callProviderJson(this.provider, '/batches', {
      json: { input_file_id: fileId, endpoint, completion_window: '24h', metadata: { source: 'netra-apex' } },
    });
    const batchId = stringField(batch, 'id');
    if (!batchId) throw new Error('the batch creation returned no id');
    return batchId;
  }

  async collect(batchId: string, ids: readonly string[]): Promise<Map<string, ItemResult> | null> {
    const batch = await callProviderJson(this.provider, `/batches/${encodeURIComponent(batchId)}`);
    const status = stringField(batch, 'status') ?? '';
    if (RUNNING.has(status)) return null;
    const results = new Map<string, ItemResult>();
    if (status === 'failed') {
      const message = `the batch failed validation: ${validationErrors(batch)}`;
      for (const id of ids) results.set(id, { kind: 'failed', status: 400, message });
      return results;
    }
    for (const fileField of ['output_file_id', 'error_file_id']) {
      const fileId = stringField(batch, fileField);
      if (fileId) await this.readResults(fileId, results);
    }
    // Requests the batch never reached (expired or cancelled) have no line; they are retried.
    for (const id of ids) if (!results.has(id)) results.set(id, { kind: 'expired' });
    return results;
  }

  private async readResults(fileId: string, into: Map<string, ItemResult>): Promise<void> {
    const response = await callProvider(this.provider, `/files/${encodeURIComponent(fileId)}/content`);
    for (const line of jsonLines(await response.text())) {
      const customId = stringField(line, 'custom_id');
      if (customId) into.set(customId, lineResult(line));
    }
  }
}

function lineResult(line: Record<string, unknown>): ItemResult {
  const response = line.response;
  if (isRecord(response) && typeof response.status_code === 'number') {
    if (transientStatus(response.status_code)) return { kind: 'expired' };
    return {
      kind: 'answered',
      status: response.status_code,
      body: Buffer.from(JSON.stringify(response.body ?? {})),
    };
  }
  const error = isRecord(line.error) ? line.error : {};
  if (error.code === 'batch_expired' || error.code === 'batch_cancelled') return { kind: 'expired' };
  return {
    kind: 'failed',
    status: 502,
    message: stringField(error, 'message') ?? 'the batch reported an error',
  };
}

function validationErrors(batch: Record<string, unknown>): string {
  const errors = isRecord(batch.errors) && Array.isArray(batch.errors.data) ? batch.errors.data : [];
  const messages = errors.map((e) => {
    const line = isRecord(e) && typeof e.line === 'number' ? ` (line ${e.line})` : '';
    return `${stringField(e, 'message') ?? 'unknown error'}${line}`;
  });
  return messages.join('; ') || 'no reason given';
}
