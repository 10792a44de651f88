/**
 * Rate-limit bookkeeping for realistic response headers. Each API keeps a
 * one-minute window of requests and tokens; limits resemble a mid-tier
 * account. The simulator never rejects for real exhaustion (failures are
 * injected at errorRate); the headers just move the way real ones do.
 */
import type { Headers } from './http.ts';

const WINDOW_MS = 60_000;

const OPENAI_LIMITS = { requests: 5000, tokens: 800_000 };
const ANTHROPIC_LIMITS = { requests: 4000, inputTokens: 2_000_000, outputTokens: 400_000 };

class Window {
  private startedAt = 0;
  requests = 0;
  inputTokens = 0;
  outputTokens = 0;

  roll(now: number): void {
    if (now - this.startedAt < WINDOW_MS) return;
    this.startedAt = now;
    this.requests = 0;
    this.inputTokens = 0;
    this.outputTokens = 0;
  }

  resetInMs(now: number): number {
    return Math.max(1, this.startedAt + WINDOW_MS - now);
  }
}

/** OpenAI writes resets as Go-style durations: "17ms", "2.4s", "6m0s". */
export function formatOpenAIDuration(ms: number): string {
  if (ms < 1000) return `${Math.ceil(ms)}ms`;
  const seconds = ms / 1000;
  if (seconds < 60) return `${Number(seconds.toFixed(3))}s`;
  return `${Math.floor(seconds / 60)}m${Math.floor(seconds % 60)}s`;
}

export class RateLimits {
  private readonly openai = new Window();
  private readonly anthropic = new Window();

  /** Counts a request against its API's window and returns the headers to send. */
  openaiHeaders(tokens: number, exhausted: boolean): Headers {
    const now = Date.now();
    const window = this.openai;
    window.roll(now);
    window.requests += 1;
    window.inputTokens += tokens;
    const reset = formatOpenAIDuration(window.resetInMs(now));
    const remainingTokens = exhausted ? 0 : Math.max(0, OPENAI_LIMITS.tokens - window.inputTokens);
    return {
      'x-ratelimit-limit-requests': String(OPENAI_LIMITS.requests),
      'x-ratelimit-limit-tokens': String(OPENAI_LIMITS.tokens),
      'x-ratelimit-remaining-requests': String(Math.max(0, OPENAI_LIMITS.requests - window.requests)),
      'x-ratelimit-remaining-tokens': String(remainingTokens),
      'x-ratelimit-reset-requests': formatOpenAIDuration(WINDOW_MS / OPENAI_LIMITS.requests),
      'x-ratelimit-reset-tokens': exhausted
        ? reset
        : formatOpenAIDuration(tokens / (OPENAI_LIMITS.tokens / 60_000)),
    };
  }

  anthropicHeaders(inputTokens: number, outputTokens: number, exhausted: boolean): Headers {
    const now = Date.now();
    const window = this.anthropic;
    window.roll(now);
    window.requests += 1;
    window.inputTokens += inputTokens;
    window.outputTokens += outputTokens;
    const reset = new Date(now + window.resetInMs(now)).toISOString().replace(/\.\d{3}Z$/, 'Z');
    const remaining = (limit: number, used: number) => String(exhausted ? 0 : Math.max(0, limit - used));
    const inputLeft = remaining(ANTHROPIC_LIMITS.inputTokens, window.inputTokens);
    const outputLeft = remaining(ANTHROPIC_LIMITS.outputTokens, window.outputTokens);
    return {
      'anthropic-ratelimit-requests-limit': String(ANTHROPIC_LIMITS.requests),
      'anthropic-ratelimit-requests-remaining': String(
        Math.max(0, ANTHROPIC_LIMITS.requests - window.requests),
      ),
      'anthropic-ratelimit-requests-reset': reset,
      'anthropic-ratelimit-input-tokens-limit': String(ANTHROPIC_LIMITS.inputTokens),
      'anthropic-ratelimit-input-tokens-remaining': inputLeft,
      'anthropic-ratelimit-input-tokens-reset': reset,
      'anthropic-ratelimit-output-tokens-limit': String(ANTHROPIC_LIMITS.outputTokens),
      'anthropic-ratelimit-output-tokens-remaining': outputLeft,
      'anthropic-ratelimit-output-tokens-reset': reset,
      'anthropic-ratelimit-tokens-limit': String(
        ANTHROPIC_LIMITS.inputTokens + ANTHROPIC_LIMITS.outputTokens,
      ),
      'anthropic-ratelimit-tokens-remaining': String(Number(inputLeft) + Number(outputLeft)),
      'anthropic-ratelimit-tokens-reset': reset,
    };
  }
}
