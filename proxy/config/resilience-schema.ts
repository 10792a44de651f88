import { z } from 'zod';

const ms = z.int().positive();

/**
 * How the proxy survives a failing upstream. Every request may be retried (429, 408, 409, 5xx and
 * connection failures, never once a byte reached the client), then falls back along its route's
 * `fallbacks`; routes that share a model name are balanced; each deployment has a circuit breaker.
 * The defaults mirror what the official SDKs do on their own (2 retries, retry-after honoured).
 */
export const resilienceSchema = z.strictObject({
  /** Retries of one deployment (or balanced group) after its first attempt, before falling back. */
  maxRetries: z.int().min(0).max(10).default(2),
  /** Overall time to get a response, across attempts and the waits between them (x-apex-timeout-ms overrides). */
  timeoutMs: ms.default(600_000),
  /** Time one attempt may take to answer with its headers; unset: only timeoutMs bounds it. */
  attemptTimeoutMs: ms.optional(),
  /** A server asking for a longer wait than this (retry-after) is not waited for: fall back or relay it. */
  maxRetryAfterMs: z.int().min(0).default(30_000),
  /** How requests are spread over routes that share a model name. */
  balancing: z.enum(['weighted', 'least-latency', 'least-busy']).default('weighted'),
  /** Retries allowed as a share of recent requests, so an outage is not multiplied by retry storms. */
  retryBudget: z
    .strictObject({
      ratio: z.number().min(0).max(10).default(0.2),
      minPerSecond: z.number().min(0).default(10),
    })
    .default({ ratio: 0.2, minPerSecond: 10 }),
  breaker: z
    .strictObject({
      enabled: z.boolean().default(true),
      failureRatio: z.number().gt(0).max(1).default(0.5),
      minRequests: z.int().positive().default(10),
      consecutiveFailures: z.int().positive().default(5),
      cooldownMs: ms.default(30_000),
      maxCooldownMs: ms.default(300_000),
      windowMs: ms.default(30_000),
    })
    .default({
      enabled: true,
      failureRatio: 0.5,
      minRequests: 10,
      consecutiveFailures: 5,
      cooldownMs: 30_000,
      maxCooldownMs: 300_000,
      windowMs: 30_000,
    }),
});

export type ResilienceConfig = z.output<typeof resilienceSchema>;
