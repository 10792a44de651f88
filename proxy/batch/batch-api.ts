import type { ProviderConfig } from '../config/schema.ts';
import { AnthropicBatches } from './anthropic-batches.ts';
import type { DeferredJob, ItemResult } from './job.ts';
import { OpenAIBatches } from './openai-batches.ts';

/** A provider's asynchronous batch API, reduced to what the coordinator needs. */
export interface BatchApi {
  /** Sends the requests as one batch and returns the provider's batch id. */
  submit(jobs: DeferredJob[]): Promise<string>;
  /** Every request's outcome once the batch has ended, or null while it is still running. */
  collect(batchId: string, ids: readonly string[]): Promise<Map<string, ItemResult> | null>;
}

/**
 * The batch API for a provider, or null when it has none. Only the first-party APIs are batched:
 * an OpenAI-compatible server rarely implements /v1/batches, and a failed submission would only
 * delay the answer.
 */
export function batchApiFor(provider: ProviderConfig): BatchApi | null {
  if (provider.kind === 'openai') return new OpenAIBatches(provider);
  if (provider.kind === 'anthropic') return new AnthropicBatches(provider);
  return null;
}

/** Endpoints a provider's batch API accepts. */
export function batchableEndpoint(provider: ProviderConfig, endpoint: string): boolean {
  if (provider.kind === 'anthropic') return endpoint === 'messages';
  if (provider.kind === 'openai') return endpoint !== 'messages';
  return false;
}
