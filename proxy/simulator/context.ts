/** State one simulator instance shares across requests: randomness, caches, rate windows, live requests. */
import type { ServerResponse } from 'node:http';
import { PromptCache } from './cache.ts';
import { RateLimits } from './ratelimit.ts';
import { deriveSeed, Rng } from './random.ts';

export interface SimulatorSettings {
  seed: number;
  /** A caller-chosen seed makes answers a pure function of (seed, model, prompt). */
  seeded: boolean;
  errorRate: number;
  speed: number;
  /** Real-time wait before a batch's requests run (divided by speed when used). */
  batchDelayMs?: number;
}

export class SimulatorContext {
  readonly settings: SimulatorSettings;
  /** Arrival-order randomness: failures, latency jitter, ids. */
  readonly rng: Rng;
  readonly cache = new PromptCache();
  readonly limits = new RateLimits();
  /** The server's own origin, set once it listens: batches run their requests through it. */
  origin = '';
  private readonly live = new Set<AbortController>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly closing = new AbortController();
  private requestCount = 0;

  constructor(settings: SimulatorSettings) {
    this.settings = settings;
    this.rng = new Rng(deriveSeed(settings.seed, 'arrivals'));
  }

  /**
   * Randomness for what the model says. Seeded runs key it on the prompt alone
   * so a streamed and a non-streamed call agree; unseeded runs also mix in a
   * counter so a repeated prompt gets a fresh answer, as sampling would.
   */
  contentRng(modelId: string, fingerprint: string, maxTokens: number | undefined): Rng {
    this.requestCount += 1;
    const nonce = this.settings.seeded ? 0 : this.requestCount;
    return new Rng(deriveSeed(this.settings.seed, modelId, fingerprint, maxTokens ?? 'none', nonce));
  }

  /** A signal that fires when the client goes away or the simulator closes, to stop pacing timers. */
  requestSignal(res: ServerResponse): AbortSignal {
    const controller = new AbortController();
    this.live.add(controller);
    res.once('close', () => {
      this.live.delete(controller);
      if (!res.writableFinished) controller.abort();
    });
    return controller.signal;
  }

  /** Fires when the simulator closes, so background work (batches) stops. */
  get closed(): AbortSignal {
    return this.closing.signal;
  }

  /** A timer close() cancels, so a pending batch never keeps a test process alive. */
  later(ms: number, run: () => void): void {
    if (this.closing.signal.aborted) return;
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      run();
    }, ms);
    this.timers.add(timer);
  }

  abortAll(): void {
    for (const controller of this.live) controller.abort();
    this.live.clear();
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    this.closing.abort();
  }
}
