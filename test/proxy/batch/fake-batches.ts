import type { BatchApi } from '../../../proxy/batch/batch-api.ts';
import type { DeferredJob, ItemResult } from '../../../proxy/batch/job.ts';

/** A provider batch API that answers what each test scripts, and remembers what it was sent. */
export class FakeBatches implements BatchApi {
  submitted: DeferredJob[][] = [];
  submitError: Error | null = null;
  outcome: (id: string) => ItemResult | undefined = (id) => answered(id);
  ended = true;

  async submit(jobs: DeferredJob[]): Promise<string> {
    if (this.submitError) throw this.submitError;
    this.submitted.push(jobs);
    return `batch_${this.submitted.length}`;
  }

  async collect(_batchId: string, ids: readonly string[]): Promise<Map<string, ItemResult> | null> {
    if (!this.ended) return null;
    const results = new Map<string, ItemResult>();
    for (const id of ids) {
      const result = this.outcome(id);
      if (result) results.set(id, result);
    }
    return results;
  }
}

function answered(id: string): ItemResult {
  const body = {
    id: `chatcmpl-${id}`,
    object: 'chat.completion',
    model: 'gpt-4o-2024-08-06',
    choices: [{ index: 0, message: { role: 'assistant', content: 'Yes.' }, finish_reason: 'stop' }],
    usage: { prompt_tokens: 1_000_000, completion_tokens: 100_000, total_tokens: 1_100_000 },
  };
  return { kind: 'answered', status: 200, body: Buffer.from(JSON.stringify(body)) };
}

let sequence = 0;
export function deferredJob(now: number, overrides: Partial<DeferredJob> = {}): DeferredJob {
  sequence++;
  return {
    id: `req-${sequence}`,
    createdAt: now,
    mode: 'batch',
    api: 'openai',
    endpoint: 'chat',
    keyId: 'key_a',
    project: null,
    route: 'nightly-summaries',
    arm: 'treatment',
    unitId: 'unit_1',
    modelRequested: 'gpt-4o',
    modelServedName: 'gpt-4o',
    providerName: 'openai',
    body: { model: 'gpt-4o', messages: [{ role: 'user', content: `question ${sequence}` }] },
    decisions: [],
    compression: null,
    promptCaching: false,
    ...overrides,
  };
}
