import { z } from 'zod';
import { FEATURE_NAMES, type Features } from './features.ts';

/**
 * Starting weights (logits per unit of each feature, features scaled to about [0, 1]).
 * Hand-set so that with no traffic seen: a greeting or one-line lookup scores p ≈ 0.05–0.15,
 * a short ask with no signal ≈ 0.2–0.3, and a proof request or a fenced refactor ≥ 0.75.
 * The bias sits low because a wrong "cheap" call costs one cascade retry while a wrong
 * "default" call costs the whole saving; the cue words carry most of the evidence.
 */
export const DEFAULT_WEIGHTS: Readonly<Features> = Object.freeze({
  bias: -1.6,
  promptTokens: 1.5, // 1k tokens ≈ 0.6 → +0.9; long contexts need the stronger model to stay on track
  turns: 0.4, // long conversations accumulate constraints
  lastMessage: 1.0, // a long ask is usually a multi-part ask
  codeFences: 1.2,
  codeSyntax: 0.8,
  codeTopic: 0.6,
  reasoningCues: 3.0, // "prove", "derive", "step by step", "refactor": the strongest single signal
  taskCues: 0.5, // asks to produce something rather than to recall
  mathNotation: 1.5,
  questions: 0.6, // several questions in one turn
  listItems: 0.8, // enumerated requirements
  tools: 0.6, // agents pick among tools and chain calls
  structuredOutput: 0.3, // small models break schemas more often
  multilingual: 0.5,
  simpleCues: -2.5, // greetings, lookups, mechanical rewrites
});

export type Tier = 'cheap' | 'default';

/** 'cheap' below the threshold, 'default' at or above it. */
export function decide(p: number, threshold: number): Tier {
  return p < threshold ? 'cheap' : 'default';
}

export interface ClassifierOptions {
  weights?: Partial<Features>;
  /** SGD step size; constant (not decaying) so the model keeps tracking drifting traffic. */
  learningRate?: number;
  /** L2 strength, pulling weights back toward DEFAULT_WEIGHTS (a prior, not toward zero). */
  l2?: number;
  updates?: number;
}

const stateSchema = z.object({
  version: z.literal(1),
  weights: z.record(z.string(), z.number().refine(Number.isFinite)),
  learningRate: z.number().positive(),
  l2: z.number().nonnegative(),
  updates: z.int().nonnegative(),
});
export type ClassifierState = z.infer<typeof stateSchema>;

function sigmoid(z: number): number {
  return z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
}

/**
 * Logistic regression over request features, giving p(the request needs the default model).
 * Learned online: each cascade outcome (cheap answer kept → easy; escalated → hard) is one
 * SGD step on the log loss, with L2 toward the defaults so a few noisy labels cannot erase them.
 * Labels only arrive for traffic that was tried on the cheap model, so callers that want an
 * unbiased model should also send a small random share of "default" traffic through the cascade.
 */
export class ComplexityClassifier {
  private readonly w: Features;
  private readonly learningRate: number;
  private readonly l2: number;
  private count: number;

  constructor(options: ClassifierOptions = {}) {
    this.w = { ...DEFAULT_WEIGHTS, ...options.weights };
    this.learningRate = options.learningRate ?? 0.1;
    this.l2 = options.l2 ?? 0.001;
    this.count = options.updates ?? 0;
  }

  get weights(): Readonly<Features> {
    return { ...this.w };
  }

  get updates(): number {
    return this.count;
  }

  /** p(hard) in (0, 1). */
  score(features: Features): number {
    let logit = 0;
    for (const name of FEATURE_NAMES) logit += this.w[name] * features[name];
    return sigmoid(logit);
  }

  /** One SGD step toward the observed label; returns the score before the step. */
  update(features: Features, hard: boolean): number {
    const p = this.score(features);
    const error = p - (hard ? 1 : 0);
    for (const name of FEATURE_NAMES) {
      // The bias is not regularized: the base rate of hard requests is the user's, not ours.
      const pull = name === 'bias' ? 0 : this.l2 * (this.w[name] - DEFAULT_WEIGHTS[name]);
      this.w[name] -= this.learningRate * (error * features[name] + pull);
    }
    this.count += 1;
    return p;
  }

  toJSON(): ClassifierState {
    return {
      version: 1,
      weights: { ...this.w },
      learningRate: this.learningRate,
      l2: this.l2,
      updates: this.count,
    };
  }

  /** Restores a saved classifier; features unknown to this version are dropped, new ones start at default. */
  static fromJSON(value: unknown): ComplexityClassifier {
    const state = stateSchema.parse(value);
    const weights: Partial<Features> = {};
    for (const name of FEATURE_NAMES) {
      const weight = state.weights[name];
      if (weight !== undefined) weights[name] = weight;
    }
    return new ComplexityClassifier({
      weights,
      learningRate: state.learningRate,
      l2: state.l2,
      updates: state.updates,
    });
  }
}

export { extractFeatures, FEATURE_NAMES, type Features, type TextEstimator } from './features.ts';
