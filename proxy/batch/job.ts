import type { Arm, OptimizerDecision } from '../../contracts/optimization.ts';
import type { ApiFlavor, HttpEndpoint } from '../../contracts/usage.ts';

/** Header value (on `x-apex-urgency`) by which a client hands a request over to be answered later. */
export const DEFERRED_URGENCY = 'batch';

/**
 * `batch`: sent through the provider's batch API at half price. `direct`: sent to the standard API
 * by Apex in the background (the control group, a provider without a batch API, or batching
 * switched off), so the client's flow is the same either way.
 */
export type DeferredMode = 'batch' | 'direct';

export type DeferredState = 'queued' | 'submitted' | 'done' | 'failed';

/** Everything needed to send a deferred request later and to account for it when it is answered. */
export interface DeferredJob {
  id: string;
  createdAt: number;
  mode: DeferredMode;
  api: ApiFlavor;
  endpoint: HttpEndpoint;
  keyId: string | null;
  project: string | null;
  route: string | null;
  arm: Arm | null;
  unitId: string | null;
  /** The model the client asked for (the baseline of every saving). */
  modelRequested: string;
  /** The client-facing model name the request is served by (differs when routing chose another). */
  modelServedName: string;
  providerName: string;
  /** The upstream request body, model already renamed for the provider. */
  body: Record<string, unknown>;
  decisions: OptimizerDecision[];
  compression: { before: number; after: number } | null;
  promptCaching: boolean;
}

/**
 * One request's outcome as the provider reported it. `expired` covers every outcome that may pass
 * (the batch never reached it, or the provider answered 429 or 5xx): the request rides again.
 */
export type ItemResult =
  | { kind: 'answered'; status: number; body: Buffer }
  | { kind: 'expired' }
  | { kind: 'failed'; status: number; message: string };

/** A rate limit or server error inside a batch says nothing final about the request. */
export function transientStatus(status: number): boolean {
  return status === 429 || status >= 500;
}

export interface DeferredRecord {
  job: DeferredJob;
  state: DeferredState;
  batchId: string | null;
  attempts: number;
  /** The provider's status and body once answered (errors included), else null. */
  resultStatus: number | null;
  resultBody: Buffer | null;
  completedAt: number | null;
}

/** Requests that can share one provider batch: same provider, endpoint and upstream model. */
export function groupKey(job: DeferredJob): string {
  return `${job.mode}|${job.providerName}|${job.endpoint}|${String(job.body.model)}`;
}
