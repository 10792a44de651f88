import type { IncomingMessage } from 'node:http';
import { ApexError } from '../http/errors.ts';
import type { AttemptLog, AttemptResponse, RunOutcome } from '../resilience/attempt-types.ts';
import { Deadline } from '../resilience/deadline.ts';
import { errorName } from '../resilience/retry-policy.ts';
import { runAttempts } from '../resilience/run-attempts.ts';
import type { Deployment } from '../router.ts';
import { CancelledError, type Cancellation } from '../upstream/agents.ts';
import type { Failover } from './failover.ts';
import type { PreparedRequest } from './prepare.ts';

/** An upstream response whose headers arrived; its body has not been read. */
export interface UpstreamAnswer extends AttemptResponse {
  message: IncomingMessage;
  prepared: PreparedRequest;
}

export interface SendPlan {
  primary: Deployment;
  /** The upstream call for one deployment (a fallback may need its body translated). */
  build(deployment: Deployment): PreparedRequest;
  /** Set when the client went away: nothing more is tried. */
  cancellation: Cancellation;
  /** The whole time allowed to get a response, every attempt and wait included. */
  timeoutMs: number;
}

export interface SendResult {
  answer: UpstreamAnswer;
  attempts: AttemptLog[];
}

/** Thrown when no attempt produced a response; `prepared` is the last call tried, if any. */
export class SendFailure extends Error {
  readonly prepared: PreparedRequest | null;
  readonly attempts: AttemptLog[];

  constructor(cause: unknown, prepared: PreparedRequest | null, attempts: AttemptLog[]) {
    super('no upstream attempt produced a response', { cause });
    this.prepared = prepared;
    this.attempts = attempts;
  }
}

/**
 * Sends the request to its deployment with retries, then to its fallbacks, as the failover's config
 * says. Resolves with the response to relay (a success, or the last failure worth showing the
 * client); rejects with a SendFailure when none came back at all.
 */
export async function sendWithFailover(failover: Failover, plan: SendPlan): Promise<SendResult> {
  const { candidates, deployments } = failover.planFor(plan.primary);
  const { config } = failover;
  let lastPrepared: PreparedRequest | null = null;
  const outcome = await runAttempts<UpstreamAnswer>({
    candidates,
    send: (id, _attempt, _signal, timeoutMs) => {
      lastPrepared = plan.build(deployments.get(id)!);
      return sendOnce(lastPrepared, plan.cancellation, timeoutMs);
    },
    maxRetries: config.maxRetries,
    deadline: new Deadline(plan.timeoutMs),
    perAttemptMs: config.attemptTimeoutMs,
    sendEnforcesTimeout: true,
    sleep: (ms) => sleepUnlessCancelled(ms, plan.cancellation),
    breakers: failover.breakers,
    budget: failover.budget,
    delay: { maxRetryAfterMs: config.maxRetryAfterMs },
    discard: (answer) => answer.message.resume(),
  });
  if (outcome.response) return { answer: outcome.response, attempts: outcome.attempts };
  throw new SendFailure(failureCause(outcome, failover, plan), lastPrepared, outcome.attempts);
}

/**
 * One call, timed out by a plain timer that tears the request down: on the hot path an
 * AbortController and its listeners per attempt cost more than the retry bookkeeping itself.
 */
async function sendOnce(
  prepared: PreparedRequest,
  cancellation: Cancellation,
  timeoutMs: number,
): Promise<UpstreamAnswer> {
  // Until headers arrive no byte flows, so the provider's idle timeout already ends a call it outlasts.
  const needed = timeoutMs < prepared.deployment.provider.idleTimeoutMs;
  const timer = needed
    ? setTimeout(() => cancellation.request?.destroy(attemptTimeout(timeoutMs)), timeoutMs)
    : null;
  try {
    const message = await prepared.target.send({
      path: prepared.path,
      headers: prepared.headers,
      body: prepared.body,
      cancellation,
    });
    const status = message.statusCode ?? 502;
    return { kind: 'response', status, headers: message.headers, started: false, message, prepared };
  } finally {
    if (timer) clearTimeout(timer);
  }
}

function attemptTimeout(ms: number): Error {
  return new DOMException(`attempt timed out after ${ms} ms`, 'TimeoutError');
}

/** Waits before a retry, unless the client leaves first. */
function sleepUnlessCancelled(ms: number, cancellation: Cancellation): Promise<void> {
  return new Promise((resolve, reject) => {
    const done = (): void => {
      cancellation.onCancel = null;
      resolve();
    };
    const timer = setTimeout(done, ms);
    cancellation.onCancel = () => {
      clearTimeout(timer);
      cancellation.onCancel = null;
      reject(new CancelledError('the client closed the connection'));
    };
  });
}

/** Why nothing came back, as the error the client will see. */
function failureCause(outcome: RunOutcome<UpstreamAnswer>, failover: Failover, plan: SendPlan): unknown {
  if (outcome.stop === 'unavailable') return unavailable(failover, plan.primary);
  const timedOut = outcome.stop === 'deadline' || errorName(outcome.error) === 'TimeoutError';
  if (!timedOut) return outcome.error;
  const tries = outcome.attempts.length;
  return new ApexError(
    'upstream_timeout',
    `no answer from "${plan.primary.name}" within ${timeoutText(outcome, failover, plan)} ` +
      `(${tries} attempt${tries === 1 ? '' : 's'})`,
    { code: 'upstream_timeout' },
  );
}

function timeoutText(outcome: RunOutcome<UpstreamAnswer>, failover: Failover, plan: SendPlan): string {
  const perAttempt = failover.config.attemptTimeoutMs;
  if (outcome.stop !== 'deadline' && perAttempt !== undefined) return `${perAttempt} ms per attempt`;
  return `${plan.timeoutMs} ms`;
}

/** Every deployment that could serve the request has its circuit open. */
function unavailable(failover: Failover, primary: Deployment): ApexError {
  const { deployments } = failover.planFor(primary);
  const stats = failover.breakers?.stats() ?? {};
  const reopen = [...deployments.keys()]
    .map((id) => stats[id]?.openUntil ?? null)
    .filter((at): at is number => at !== null);
  const waitSeconds =
    reopen.length > 0 ? Math.max(1, Math.ceil((Math.min(...reopen) - Date.now()) / 1000)) : 1;
  return new ApexError(
    'upstream_unavailable',
    `every deployment of "${primary.name}" (${[...deployments.keys()].join(', ')}) is failing and ` +
      `paused by its circuit breaker; the next probe is in ${waitSeconds} s`,
    { code: 'upstream_unavailable', retryAfterSeconds: waitSeconds },
  );
}
