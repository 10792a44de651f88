import type { UsageEvent } from '../../../contracts/usage.ts';

let counter = 0;

/** A minimal successful usage event; tests override what they look at. */
export function usageEvent(fields: Partial<UsageEvent> = {}): UsageEvent {
  counter += 1;
  return {
    id: `req_${counter}`,
    ts: Date.UTC(2025, 0, 15, 12),
    keyId: null,
    project: null,
    api: 'openai',
    endpoint: 'chat',
    provider: 'openai',
    modelRequested: 'gpt-4o-mini',
    modelServed: 'gpt-4o-mini',
    streamed: false,
    inputTokens: 0,
    outputTokens: 0,
    cachedInputTokens: 0,
    cacheWriteTokens: 0,
    cacheWrite1hTokens: 0,
    reasoningTokens: 0,
    costNanos: 0,
    priceSource: 'catalog',
    latencyUs: 1_000,
    ttftUs: null,
    status: 200,
    errorClass: null,
    ...fields,
  };
}

/** A clock the test moves by hand. */
export function fakeClock(start: number): { now: () => number; set: (ms: number) => void } {
  let current = start;
  return { now: () => current, set: (ms) => (current = ms) };
}
