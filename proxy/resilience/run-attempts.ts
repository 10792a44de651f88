import type {
  AttemptLog,
  AttemptResponse,
  Candidate,
  RunOptions,
  RunOutcome,
  StopReason,
} from './attempt-types.ts';
import type { Balancer } from './balancer.ts';
import { countsAsFailure, type CircuitBreakers } from './circuit-breaker.ts';
import { attemptSignal, Deadline, sleep as realSleep } from './deadline.ts';
import { errorCodes, errorName, retryableError, retryableStatus, retryDelayMs } from './retry-policy.ts';

export type * from './attempt-types.ts';

/** Raised by send(), or wrapped around its error, once bytes reached the client: never retried. */
export class StartedError extends Error {
  readonly started = true;

  constructor(cause: unknown) {
    super('the response had already reached the client', { cause });
  }
}

interface Run<R extends AttemptResponse> {
  options: RunOptions<R>;
  deadline: Deadline;
  now: () => number;
  attempts: AttemptLog[];
  response: R | null;
  error: unknown;
  deployment: string | null;
}

type Verdict = StopReason | 'retry';

const NEVER_ABORTED = new AbortController().signal;
const EMPTY: ReadonlySet<string> & Set<string> = new Set<string>();
const noop = (): void => {};

/**
 * Tries the candidates in order: each gets its first attempt plus up to `maxRetries` retries
 * (waiting as the retry policy says, and, in a group, moving to a member not yet tried), then
 * a retryable failure moves on to the next candidate. Stops at the first success or
 * non-retryable response, once a response has started reaching the client, or when the
 * deadline, the retry budget or the caller runs out.
 */
export async function runAttempts<R extends AttemptResponse>(options: RunOptions<R>): Promise<RunOutcome<R>> {
  const now = options.now ?? Date.now;
  const run: Run<R> = {
    options,
    now,
    deadline: options.deadline ?? new Deadline(Infinity, now),
    attempts: [],
    response: null,
    error: null,
    deployment: null,
  };
  options.budget?.deposit();
  for (const [index, candidate] of options.candidates.entries()) {
    const stop = await tryCandidate(run, candidate, index < options.candidates.length - 1);
    if (stop !== null) return outcome(run, stop);
  }
  return outcome(run, run.attempts.length > 0 ? 'exhausted' : 'unavailable');
}

/** Null means: move on to the next candidate. */
async function tryCandidate<R extends AttemptResponse>(
  run: Run<R>,
  candidate: Candidate,
  hasFallback: boolean,
): Promise<StopReason | null> {
  // Most requests succeed at once: the set of members tried is only made once one failed.
  let tried: Set<string> = EMPTY;
  let delayMs = 0;
  for (let retry = 0; ; retry++) {
    if (run.options.signal?.aborted) return 'aborted';
    if (run.deadline.expired()) return 'deadline';
    const deployment = admit(run, candidate, tried);
    if (deployment === null) return null;
    const verdict = await attempt(run, candidate, deployment, delayMs);
    if (verdict !== 'retry') return verdict;
    if (tried === EMPTY) tried = new Set();
    tried.add(deployment);
    if (retry >= (run.options.maxRetries ?? 2)) return null;
    const switching = candidate.balancer?.hasEligible(tried) ?? false;
    const wait = switching ? 0 : await waitToRetry(run, retry, hasFallback);
    if (typeof wait === 'string') return wait === 'fail-over' ? null : wait;
    delayMs = wait;
  }
}

/** The deployment to call next, with its breaker's leave, or null when none may be called. */
function admit<R extends AttemptResponse>(
  run: Run<R>,
  candidate: Candidate,
  tried: ReadonlySet<string>,
): string | null {
  const breakers = run.options.breakers;
  if (!candidate.balancer) return !breakers || breakers.get(candidate.name).allow() ? candidate.name : null;
  // Prefer a member not tried yet; once all have been, going back to one beats giving up.
  const fresh = pickAdmitted(candidate.balancer, breakers, new Set(tried));
  return fresh ?? (tried.size > 0 ? pickAdmitted(candidate.balancer, breakers, new Set()) : null);
}

function pickAdmitted(balancer: Balancer, breakers: CircuitBreakers | undefined, skip: Set<string>) {
  for (let id = balancer.pick(skip); id !== null; id = balancer.pick(skip)) {
    if (!breakers || breakers.get(id).allow()) return id;
    skip.add(id);
  }
  return null;
}

async function attempt<R extends AttemptResponse>(
  run: Run<R>,
  candidate: Candidate,
  deployment: string,
  delayMs: number,
): Promise<Verdict> {
  const entry: AttemptLog = { candidate: candidate.name, deployment, delayMs, latencyMs: 0 };
  run.attempts.push(entry);
  const timeoutMs = run.deadline.attemptTimeoutMs(run.options.perAttemptMs);
  const { signal, dispose } = run.options.sendEnforcesTimeout
    ? { signal: run.options.signal ?? NEVER_ABORTED, dispose: noop }
    : attemptSignal(run.options.signal, timeoutMs, run.options.schedule);
  const start = run.now();
  candidate.balancer?.started(deployment);
  let response: R;
  try {
    response = await run.options.send(deployment, run.attempts.length - 1, signal, timeoutMs);
  } catch (error) {
    entry.latencyMs = run.now() - start;
    return settleError(run, candidate, entry, error);
  } finally {
    dispose();
  }
  entry.latencyMs = run.now() - start;
  return settleResponse(run, candidate, entry, response);
}

function settleResponse<R extends AttemptResponse>(
  run: Run<R>,
  candidate: Candidate,
  entry: AttemptLog,
  response: R,
): Verdict {
  entry.status = response.status;
  const healthy = !countsAsFailure(response.status);
  run.options.breakers?.get(entry.deployment).record(healthy);
  candidate.balancer?.finished(entry.deployment, { latencyMs: entry.latencyMs, ok: healthy });
  keep(run, entry.deployment, response, null);
  if (response.status < 400) return 'ok';
  if (response.started) return 'started';
  return retryableStatus(response.status, response.headers) ? 'retry' : 'not-retryable';
}

function settleError<R extends AttemptResponse>(
  run: Run<R>,
  candidate: Candidate,
  entry: AttemptLog,
  error: unknown,
) {
  entry.error = errorCodes(error)[0] ?? errorName(error) ?? 'Error';
  keep(run, entry.deployment, null, error);
  const breaker = run.options.breakers?.get(entry.deployment);
  const aborted = run.options.signal?.aborted ?? false;
  // Cut short by the caller or by the overall deadline: that says nothing about the deployment.
  if (aborted || (errorName(error) === 'TimeoutError' && run.deadline.expired())) {
    breaker?.release();
    candidate.balancer?.finished(entry.deployment);
    return aborted ? 'aborted' : 'deadline';
  }
  const failure = countsAsFailure(error);
  if (failure) breaker?.record(false);
  else breaker?.release();
  candidate.balancer?.finished(
    entry.deployment,
    failure ? { latencyMs: entry.latencyMs, ok: false } : undefined,
  );
  if ((error as { started?: unknown } | null)?.started === true) return 'started';
  return retryableError(error) ? 'retry' : 'not-retryable';
}

/** Remembers the latest outcome, handing the one it replaces to discard(). */
function keep<R extends AttemptResponse>(
  run: Run<R>,
  deployment: string,
  response: R | null,
  error: unknown,
) {
  if (run.response && run.response !== response) run.options.discard?.(run.response);
  run.response = response;
  run.error = error;
  run.deployment = deployment;
}

/** Waits before retrying the same candidate: the ms waited, or why not to wait here. */
async function waitToRetry<R extends AttemptResponse>(
  run: Run<R>,
  retry: number,
  hasFallback: boolean,
): Promise<number | StopReason | 'fail-over'> {
  const ms = retryDelayMs(retry, run.response?.headers, { now: run.now, ...run.options.delay });
  // Another candidate can take the request at once; without one, the last outcome stands.
  const giveUp = (reason: StopReason) => (hasFallback ? 'fail-over' : reason);
  if (ms === null) return giveUp('wait-too-long');
  if (ms >= run.deadline.remainingMs()) return giveUp('deadline');
  if (run.options.budget && !run.options.budget.tryWithdraw()) return giveUp('budget');
  try {
    await (run.options.sleep ?? realSleep)(ms, run.options.signal);
  } catch {
    return 'aborted';
  }
  return ms;
}

function outcome<R extends AttemptResponse>(run: Run<R>, stop: StopReason): RunOutcome<R> {
  return {
    response: run.response,
    error: run.error,
    deployment: run.deployment,
    stop,
    attempts: run.attempts,
  };
}
