import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import type { ResilienceConfig } from '../config/resilience-schema.ts';
import type { AttemptLog } from '../resilience/attempt-types.ts';
import type { Deployment } from '../router.ts';
import type { ProxyRuntime } from '../runtime.ts';
import type { Cancellation } from '../upstream/agents.ts';
import type { Exchange } from './exchange.ts';
import { deploymentId } from './failover.ts';
import { prepareUpstream, type IncomingRequest, type PreparedRequest } from './prepare.ts';
import { SendFailure, sendWithFailover } from './resilient-send.ts';

/** What one request needs to reach its providers, whichever deployment ends up serving it. */
export interface UpstreamCall {
  req: IncomingMessage;
  incoming: IncomingRequest;
  exchange: Exchange;
  runtime: ProxyRuntime;
  cancellation: Cancellation;
  /** Told of every attempt made (for metrics). */
  onAttempts?: (attempts: readonly AttemptLog[]) => void;
}

/** The longest x-apex-timeout-ms honoured: a client cannot hold a request open for days. */
const MAX_TIMEOUT_MS = 3_600_000;

/**
 * Sends the (optimized) body to `primary`, retrying and falling back as configured, and records on
 * the exchange which deployment served it and how many calls that took. A SendFailure carries the
 * last call tried, so the error names the provider that failed.
 */
export async function callUpstream(
  call: UpstreamCall,
  body: Record<string, unknown>,
  primary: Deployment,
): Promise<{ message: IncomingMessage; prepared: PreparedRequest }> {
  const { req, incoming, exchange, runtime } = call;
  try {
    const { answer, attempts } = await sendWithFailover(runtime.failover, {
      primary,
      build: (deployment) => prepareUpstream(req, incoming, body, deployment, exchange, runtime),
      cancellation: call.cancellation,
      timeoutMs: requestTimeoutMs(req.headers, runtime.failover.config),
    });
    settle(call, primary, answer.prepared.deployment, attempts);
    return { message: answer.message, prepared: answer.prepared };
  } catch (error) {
    if (error instanceof SendFailure)
      settle(call, primary, error.prepared?.deployment ?? primary, error.attempts);
    throw error;
  }
}

function settle(call: UpstreamCall, primary: Deployment, served: Deployment, attempts: AttemptLog[]): void {
  const { exchange } = call;
  exchange.deployment = served;
  exchange.attempts += attempts.length;
  exchange.failedOver ||= deploymentId(served) !== deploymentId(primary);
  call.onAttempts?.(attempts);
  // Failing over is not an optimization: without one, the baseline is the deployment that served.
  const counterfactual = exchange.counterfactual;
  if (counterfactual && counterfactual.requested === primary) counterfactual.requested = served;
}

/** The overall time allowed: the config's, or less (or more) when the client asks in x-apex-timeout-ms. */
export function requestTimeoutMs(headers: IncomingHttpHeaders, config: ResilienceConfig): number {
  const asked = Number(headers['x-apex-timeout-ms']);
  if (!Number.isInteger(asked) || asked <= 0) return config.timeoutMs;
  return Math.min(asked, MAX_TIMEOUT_MS);
}

/** The response headers that say a request needed more than one call, or another deployment answered it. */
export function attemptHeaders(exchange: Exchange): Record<string, string> {
  if (!exchange.deployment || (exchange.attempts <= 1 && !exchange.failedOver)) return {};
  return {
    'x-apex-attempts': String(exchange.attempts),
    'x-apex-served-by': deploymentId(exchange.deployment),
  };
}
