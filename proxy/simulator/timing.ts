/**
 * Latency model: a model-dependent time to first token (plus prompt
 * processing and hidden reasoning), then a steady per-token pace, all divided
 * by `speed` so tests can run a "slow" model in milliseconds.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { ModelSpec } from './models.ts';
import type { Rng } from './random.ts';

export interface Timing {
  /** When the provider acknowledges the request (Responses sends response.created then). */
  acceptedMs: number;
  firstTokenMs: number;
  perTokenMs: number;
}

/** Share of the base time to first token spent before the request is picked up at all. */
const ACCEPT_SHARE = 0.4;

/** Cached prompt tokens are mostly skipped, not free: a fifth of their prefill time remains. */
const CACHED_PREFILL_SHARE = 0.2;
/** A few requests queue behind others, which is what gives real latency charts their tail. */
const SLOW_TAIL_CHANCE = 0.04;

export interface TimingInput {
  model: ModelSpec;
  promptTokens: number;
  cachedTokens: number;
  reasoningTokens: number;
  speed: number;
}

export function computeTiming(rng: Rng, input: TimingInput): Timing {
  const { model, speed } = input;
  const base =
    rng.uniform(model.ttftMs[0], model.ttftMs[1]) * (rng.chance(SLOW_TAIL_CHANCE) ? rng.uniform(2, 4) : 1);
  const uncached = input.promptTokens - input.cachedTokens * (1 - CACHED_PREFILL_SHARE);
  const prefillMs = (Math.max(0, uncached) / model.prefillTokensPerSecond) * 1000;
  const tokensPerSecond = Math.max(1, model.tokensPerSecond * rng.uniform(0.85, 1.15));
  const perTokenMs = 1000 / tokensPerSecond;
  const thinkingMs = input.reasoningTokens * perTokenMs;
  return {
    acceptedMs: (base * ACCEPT_SHARE) / speed,
    firstTokenMs: (base + prefillMs + thinkingMs) / speed,
    perTokenMs: perTokenMs / speed,
  };
}

/** Sleeps unless aborted; resolves false when the wait was cut short. */
export async function pause(ms: number, signal: AbortSignal): Promise<boolean> {
  if (signal.aborted) return false;
  if (ms < 1) return true;
  try {
    await sleep(ms, undefined, { signal });
    return true;
  } catch {
    return false;
  }
}

/**
 * Calls `emit(i)` when chunk i is due: chunk i is due once its last token has
 * been generated. Chunks that fall due together go out in the same tick.
 */
export async function paceChunks(
  tokenCounts: readonly number[],
  timing: Timing,
  signal: AbortSignal,
  emit: (index: number) => void,
  start = performance.now(),
): Promise<boolean> {
  let tokensDone = 0;
  for (let index = 0; index < tokenCounts.length; index++) {
    tokensDone += tokenCounts[index] ?? 0;
    const due = timing.firstTokenMs + (tokensDone - 1) * timing.perTokenMs;
    if (!(await pause(due - (performance.now() - start), signal))) return false;
    emit(index);
  }
  return !signal.aborted;
}
