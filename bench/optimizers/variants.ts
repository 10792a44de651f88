// The optimizer configurations the benchmark compares against all-off, each with the body that
// exercises it and the check that it really ran (from the response headers).
import { resolve } from 'node:path';
import * as bodies from './bodies.ts';
import type { Body } from './bodies.ts';
import type { Check, Outcome } from './driver.ts';

type Json = Record<string, unknown>;

export interface Variant {
  id: string;
  label: string;
  body: Body;
  /** Optimizer settings, merged over all-off (or over the defaults when `fromDefaults`). */
  settings: Json;
  fromDefaults?: boolean;
  check: Check;
}

/** Every optimizer off; compression and promptCaching default to on, so they are named. */
export const ALL_OFF: Json = {
  exactCache: { enabled: false },
  semanticCache: { enabled: false },
  compression: { lossless: false, lossy: { enabled: false } },
  routing: { enabled: false, classifier: { enabled: false } },
  promptCaching: { anthropicBreakpoints: false, openaiStablePrefix: false },
  serviceTier: { flexWhenNotUrgent: false },
};

const SHORT_TO_MINI = {
  name: 'short-to-mini',
  match: { models: ['gpt-4o'], maxPromptTokens: 1000 },
  to: 'gpt-4o-mini',
};
const CLASSIFIER = { enabled: true, cheapModel: 'gpt-4o-mini', threshold: 0.35 };

/** Nothing reported: no optimizer ran (or none had anything to say). */
export const none: Check = ({ optimizations, cache }) =>
  optimizations === '' && cache === '' ? null : 'expected no optimizer decisions';

/** Every part must appear in x-apex-optimizations (and the cache header must match, if given). */
function expect(parts: string[], cache?: 'hit' | 'miss'): Check {
  return ({ optimizations, cache: got }: Outcome) => {
    const missing = parts.filter((part) => !optimizations.includes(part));
    if (missing.length > 0) return `expected ${missing.join(', ')}`;
    return cache === undefined || got === cache ? null : `expected x-apex-cache: ${cache}`;
  };
}

/** Like `none` for the routing step: the rule or classifier looked and kept the requested model. */
const notRouted: Check = ({ optimizations }) =>
  optimizations.includes('routing=') ? 'expected the requested model to be kept' : null;

export const VARIANTS: Variant[] = [
  { id: 'off', label: 'all off (A/A)', body: bodies.short, settings: {}, check: none },
  { id: 'off-long', label: 'all off (A/A)', body: bodies.long, settings: {}, check: none },
  {
    id: 'exact-miss',
    label: 'exact cache miss',
    body: bodies.shortUnique,
    settings: { exactCache: { enabled: true } },
    check: expect(['exact_cache=miss'], 'miss'),
  },
  {
    id: 'exact-hit',
    label: 'exact cache hit',
    body: bodies.short,
    settings: { exactCache: { enabled: true } },
    check: expect(['exact_cache=hit'], 'hit'),
  },
  {
    id: 'lossless',
    label: 'lossless compression',
    body: bodies.long,
    settings: { compression: { lossless: true } },
    check: expect(['compression=applied', 'dedupe']),
  },
  {
    id: 'lossy',
    label: 'lossy compression (budget 1500)',
    body: bodies.long,
    settings: { compression: { lossy: { enabled: true, budgetTokens: 1500, keepRecentTurns: 2 } } },
    check: expect(['compression=applied', 'drop-turns']),
  },
  {
    id: 'rule',
    label: 'routing rule (maxPromptTokens)',
    body: bodies.short,
    settings: { routing: { enabled: true, rules: [SHORT_TO_MINI] } },
    check: expect(['routing=applied', 'rule short-to-mini']),
  },
  {
    id: 'rule-long',
    label: 'routing rule (maxPromptTokens)',
    body: bodies.long,
    settings: { routing: { enabled: true, rules: [SHORT_TO_MINI] } },
    check: notRouted,
  },
  {
    id: 'classifier',
    label: 'classifier routing',
    body: bodies.short,
    settings: { routing: { enabled: true, classifier: CLASSIFIER } },
    check: expect(['routing=applied', 'classifier']),
  },
  {
    id: 'classifier-long',
    label: 'classifier routing',
    body: bodies.long,
    settings: { routing: { enabled: true, classifier: CLASSIFIER } },
    // The final ask is short and simple ("in one sentence"), which the classifier weighs above length.
    check: expect(['routing=applied', 'classifier']),
  },
  {
    id: 'stable-prefix',
    label: 'openai stable prefix',
    body: bodies.tools,
    settings: { promptCaching: { openaiStablePrefix: true } },
    check: expect(['prompt_caching=applied']),
  },
  {
    id: 'semantic-miss',
    label: 'semantic cache miss',
    body: bodies.shortUnique,
    settings: { semanticCache: { enabled: true } },
    check: expect(['semantic_cache=miss'], 'miss'),
  },
  {
    id: 'semantic-hit',
    label: 'semantic cache hit (paraphrase)',
    body: bodies.paraphrase,
    settings: { semanticCache: { enabled: true } },
    check: expect(['semantic_cache=hit'], 'hit'),
  },
  {
    id: 'all-on',
    label: 'everything on',
    body: bodies.shortUnique,
    settings: {
      semanticCache: { enabled: true },
      routing: { enabled: true, rules: [SHORT_TO_MINI], classifier: CLASSIFIER },
    },
    fromDefaults: true,
    check: expect(['exact_cache=miss', 'semantic_cache=miss', 'routing=applied'], 'miss'),
  },
  {
    id: 'all-on-long',
    label: 'everything on',
    body: bodies.longUnique,
    settings: {
      semanticCache: { enabled: true },
      routing: { enabled: true, rules: [SHORT_TO_MINI], classifier: CLASSIFIER },
    },
    fromDefaults: true,
    check: expect(['exact_cache=miss', 'semantic_cache=miss', 'compression=applied'], 'miss'),
  },
];

function merge(base: Json, patch: Json): Json {
  const out: Json = { ...base };
  for (const [key, value] of Object.entries(patch)) {
    const under = out[key];
    const bothObjects = [value, under].every((v) => typeof v === 'object' && v !== null && !Array.isArray(v));
    out[key] = bothObjects ? merge(under as Json, value as Json) : value;
  }
  return out;
}

/**
 * An Apex config (JSON, which YAML reads as is) with both models on the mock upstream and no
 * control group, so every request is optimized.
 */
export function configFor(upstream: string, settings: Json, fromDefaults = false): string {
  const config = {
    providers: { mock: { kind: 'openai', baseUrl: `${upstream}/v1`, apiKey: 'bench-upstream-key' } },
    models: [
      { name: 'gpt-4o', provider: 'mock' },
      { name: 'gpt-4o-mini', provider: 'mock' },
    ],
    optimizers: {
      settings: fromDefaults ? settings : merge(ALL_OFF, settings),
      semanticCache: { embedder: { kind: 'local', modelDir: resolve('.models/all-MiniLM-L6-v2') } },
    },
    proof: { controlShare: 0 },
  };
  return JSON.stringify(config, null, 2);
}
