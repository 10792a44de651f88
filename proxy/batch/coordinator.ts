import type { UsageSink } from '../../contracts/usage.ts';
import type { ProviderConfig } from '../config/schema.ts';
import type { Logger } from '../forward/forward.ts';
import type { ProxyRuntime } from '../runtime.ts';
import { batchApiFor, type BatchApi } from './batch-api.ts';
import { deferredUsageEvent } from './completion.ts';
import type { DeferredStore, SubmittedBatch } from './deferred-store.ts';
import { sendDirect } from './direct.ts';
import { groupKey, type DeferredJob, type DeferredMode, type ItemResult } from './job.ts';
import { BatchApiError } from './provider-http.ts';

export interface CoordinatorOptions {
  store: DeferredStore;
  runtime: () => ProxyRuntime;
  sink: UsageSink;
  logger: Logger;
  clock?: () => number;
  /** Tests swap in a fake provider; production picks by provider kind. */
  batchApiFor?: (provider: ProviderConfig) => BatchApi | null;
  /** How often queues and batches are looked at; the config's timings decide what is due. */
  tickMs?: number;
}

/** Requests sent to the standard API at once, so a backlog cannot flood a provider's rate limit. */
const DIRECT_CONCURRENCY = 4;
/** After a submission fails for a transient reason, that group waits this long before trying again. */
const RETRY_AFTER_MS = 30_000;

/**
 * Moves deferred requests through their life: queued → one provider batch per group when it is
 * full or old enough → polled until the batch ends → answered, with a usage event recorded. The
 * store is the truth, so a restart picks up where the last run stopped.
 */
export class DeferredCoordinator {
  private readonly options: CoordinatorOptions;
  private readonly now: () => number;
  private readonly inFlight = new Set<string>();
  private readonly retryAt = new Map<string, number>();
  private timer: NodeJS.Timeout | null = null;
  private ticking: Promise<void> | null = null;
  private lastPoll = 0;

  constructor(options: CoordinatorOptions) {
    this.options = options;
    this.now = options.clock ?? Date.now;
  }

  start(): void {
    this.timer ??= setInterval(() => void this.tick(), this.options.tickMs ?? 1_000);
    this.timer.unref();
  }

  async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.ticking;
  }

  enqueue(job: DeferredJob): void {
    this.options.store.add(job);
  }

  /** One round: submit what is due, collect finished batches, forget old results. */
  tick(): Promise<void> {
    this.ticking ??= this.round().finally(() => (this.ticking = null));
    return this.ticking;
  }

  private async round(): Promise<void> {
    const settings = this.options.runtime().config.optimizers.batch;
    try {
      // Polling first: a batch submitted in this round cannot have ended yet.
      if (this.now() - this.lastPoll >= settings.pollSeconds * 1000) {
        this.lastPoll = this.now();
        for (const batch of this.options.store.submittedBatches())
          await this.collect(batch, settings.maxAttempts);
      }
      await this.submitDue(settings);
      this.options.store.purgeFinished(this.now() - settings.keepResultsHours * 3_600_000);
    } catch (error) {
      this.options.logger.error({ err: error }, 'deferred requests: round failed');
    }
  }

  private async submitDue(settings: { maxWaitSeconds: number; maxRequests: number }): Promise<void> {
    const direct: DeferredJob[] = [];
    for (const [group, jobs] of this.options.store.queuedGroups()) {
      const waiting = jobs.filter((job) => !this.inFlight.has(job.id));
      if (waiting.length === 0 || (this.retryAt.get(group) ?? 0) > this.now()) continue;
      const api = this.apiFor(waiting[0]!);
      if (waiting[0]!.mode === 'direct' || !api) {
        direct.push(...waiting);
        continue;
      }
      const due = this.now() - waiting[0]!.createdAt >= settings.maxWaitSeconds * 1000;
      if (!due && waiting.length < settings.maxRequests) continue;
      for (let i = 0; i < waiting.length; i += settings.maxRequests) {
        const chunk = waiting.slice(i, i + settings.maxRequests);
        if (chunk.length < settings.maxRequests && !due) break;
        await this.submit(api, group, chunk);
      }
    }
    await this.runDirect(direct);
  }

  /** A refused batch (4xx) sends its requests directly; a transient failure retries the group later. */
  private async submit(api: BatchApi, group: string, jobs: DeferredJob[]): Promise<void> {
    try {
      const batchId = await api.submit(jobs);
      this.options.store.markSubmitted(
        jobs.map((job) => job.id),
        batchId,
      );
      this.retryAt.delete(group);
    } catch (error) {
      const refused =
        error instanceof BatchApiError && error.status >= 400 && error.status < 500 && error.status !== 429;
      this.options.logger.warn(
        { err: error, requests: jobs.length },
        refused
          ? 'batch refused; sending its requests to the standard API'
          : 'batch submission failed; will retry',
      );
      if (refused) await this.runDirect(jobs);
      else this.retryAt.set(group, this.now() + RETRY_AFTER_MS);
    }
  }

  private async collect(batch: SubmittedBatch, maxAttempts: number): Promise<void> {
    const provider = this.options.runtime().config.providers[batch.providerName];
    const api = provider ? this.batchApi(provider) : null;
    if (!api) return this.failAll(batch.ids, `provider "${batch.providerName}" is no longer configured`);
    let results: Map<string, ItemResult> | null;
    try {
      results = await api.collect(batch.batchId, batch.ids);
    } catch (error) {
      this.options.logger.warn({ err: error, batch: batch.batchId }, 'could not poll a batch; will retry');
      return;
    }
    if (!results) return;
    const expired: string[] = [];
    for (const id of batch.ids) {
      const result = results.get(id) ?? { kind: 'expired' };
      if (result.kind === 'answered') this.answer(id, 'batch', result);
      else if (result.kind === 'failed') this.failAll([id], result.message, result.status);
      else expired.push(id);
    }
    this.options.store.requeue(expired);
    await this.runDirect(this.exhausted(expired, maxAttempts));
  }

  /** Requests whose batches expired too often go to the standard API rather than wait another day. */
  private exhausted(ids: string[], maxAttempts: number): DeferredJob[] {
    return ids
      .map((id) => this.options.store.get(id))
      .filter((record) => record !== null && record.attempts >= maxAttempts)
      .map((record) => ({ ...record!.job, mode: 'direct' as DeferredMode }));
  }

  private async runDirect(jobs: DeferredJob[]): Promise<void> {
    const pending = jobs.filter((job) => !this.inFlight.has(job.id));
    for (const job of pending) this.inFlight.add(job.id);
    const next = (): DeferredJob | undefined => pending.shift();
    const worker = async (): Promise<void> => {
      for (let job = next(); job; job = next()) await this.sendOne(job);
    };
    await Promise.all(Array.from({ length: DIRECT_CONCURRENCY }, worker));
  }

  private async sendOne(job: DeferredJob): Promise<void> {
    try {
      const provider = this.options.runtime().config.providers[job.providerName];
      if (!provider) return this.failAll([job.id], `provider "${job.providerName}" is no longer configured`);
      this.answer(job.id, 'direct', await sendDirect(provider, job), job);
    } catch (error) {
      this.options.logger.warn(
        { err: error, requestId: job.id },
        'deferred request could not be sent; will retry',
      );
      this.retryAt.set(groupKey(job), this.now() + RETRY_AFTER_MS);
    } finally {
      this.inFlight.delete(job.id);
    }
  }

  private answer(
    id: string,
    mode: DeferredMode,
    answer: { status: number; body: Buffer },
    known?: DeferredJob,
  ): void {
    const job = known ?? this.options.store.get(id)?.job;
    if (!job) return;
    const at = this.now();
    if (!this.options.store.finish(id, 'done', answer.status, answer.body, at)) return;
    this.options.sink.record(deferredUsageEvent(job, mode, answer, this.options.runtime(), at));
  }

  private failAll(ids: readonly string[], message: string, status = 502): void {
    const body = Buffer.from(JSON.stringify({ message }));
    for (const id of ids) this.options.store.finish(id, 'failed', status, body, this.now());
  }

  private apiFor(job: DeferredJob): BatchApi | null {
    const provider = this.options.runtime().config.providers[job.providerName];
    return provider ? this.batchApi(provider) : null;
  }

  private batchApi(provider: ProviderConfig): BatchApi | null {
    return (this.options.batchApiFor ?? batchApiFor)(provider);
  }
}
