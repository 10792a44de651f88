import type { Balancer } from './balancer.ts';
import type { CircuitBreakers } from './circuit-breaker.ts';
import type { Deadline, Schedule, Sleep } from './deadline.ts';
import type { HeaderSource } from './headers.ts';
import type { RetryBudget, RetryDelayOptions } from './retry-policy.ts';

export interface AttemptResponse {
  kind: 'response';
  status: number;
  headers: HeaderSource;
  /** Bytes already reached the client: this response is final, whatever its status. */
  started: boolean;
}

/** One place in the fallback order: a single deployment, or a balancer group of them. */
export interface Candidate {
  name: string;
  balancer?: Balancer;
}

/**
 * Sends one attempt to `deployment`; throws on a transport failure. `attempt` counts from 0.
 * `timeoutMs` is the attempt's time limit, which `signal` enforces unless the run's
 * `sendEnforcesTimeout` says the sender does (throwing an error named TimeoutError).
 */
export type SendAttempt<R extends AttemptResponse> = (
  deployment: string,
  attempt: number,
  signal: AbortSignal,
  timeoutMs: number,
) => Promise<R>;

export interface AttemptLog {
  candidate: string;
  deployment: string;
  status?: number;
  /** The error's code (ECONNRESET, ...) or name, when the attempt threw. */
  error?: string;
  /** How long it waited before this attempt. */
  delayMs: number;
  latencyMs: number;
}

export type StopReason =
  | 'ok'
  | 'not-retryable'
  | 'started'
  | 'exhausted'
  | 'unavailable'
  | 'deadline'
  | 'budget'
  | 'wait-too-long'
  | 'aborted';

export interface RunOutcome<R> {
  /** The last attempt's response, when it gave one: the one to relay. */
  response: R | null;
  /** The last attempt's error, when it threw instead. */
  error: unknown;
  deployment: string | null;
  stop: StopReason;
  attempts: AttemptLog[];
}

export interface RunOptions<R extends AttemptResponse> {
  /** Primary first, then fallbacks. */
  candidates: readonly Candidate[];
  send: SendAttempt<R>;
  /** Retries per candidate after its first attempt (default 2). */
  maxRetries?: number;
  deadline?: Deadline;
  /** Time allowed for one attempt to produce a response (default: only the deadline). */
  perAttemptMs?: number;
  /** The caller's signal: once it aborts, nothing more is tried. */
  signal?: AbortSignal;
  /**
   * The sender times its attempts out itself, so no AbortController and timer are made per attempt
   * (on the proxy's hot path they cost more than the call's own bookkeeping); without a caller's
   * signal, `signal` is then one that never aborts.
   */
  sendEnforcesTimeout?: boolean;
  breakers?: CircuitBreakers;
  budget?: RetryBudget;
  delay?: RetryDelayOptions;
  sleep?: Sleep;
  schedule?: Schedule;
  now?: () => number;
  /** Receives each response that a later attempt superseded, so that its body can be drained. */
  discard?: (response: R) => void;
}
