/**
 * The models the simulator serves and how each one "feels": how long before
 * the first token, how fast tokens flow, whether it spends hidden reasoning
 * tokens. Figures are typical public-API observations, not guarantees; they
 * exist so the demo dashboard shows believable latency and cost spreads.
 */

export type Provider = 'openai' | 'anthropic';

export interface ModelSpec {
  id: string;
  provider: Provider;
  kind: 'chat' | 'embedding';
  /** Time to first token range before any prompt processing, milliseconds. */
  ttftMs: readonly [number, number];
  /** Steady decode speed, output tokens per second. */
  tokensPerSecond: number;
  /** Prompt processing speed; long prompts add noticeably to time to first token. */
  prefillTokensPerSecond: number;
  /** Spends reasoning tokens (billed as output, never shown) before answering. */
  reasoning: boolean;
  /** Typical answer length when nothing caps it. */
  outputMedianTokens: number;
  maxOutputTokens: number;
  contextWindow: number;
  /** Shortest prefix the provider will cache for this model. */
  cacheMinTokens: number;
  /** Unix seconds, as /v1/models reports it. */
  created: number;
  displayName: string;
  embeddingDimensions?: number;
}

type Tuning = Omit<ModelSpec, 'id' | 'provider' | 'kind' | 'created' | 'displayName'>;

function openai(id: string, created: number, tuning: Tuning): ModelSpec {
  return { id, provider: 'openai', kind: 'chat', created, displayName: id, ...tuning };
}

function anthropic(id: string, displayName: string, created: string, tuning: Tuning): ModelSpec {
  const createdSeconds = Math.floor(Date.parse(created) / 1000);
  return { id, provider: 'anthropic', kind: 'chat', created: createdSeconds, displayName, ...tuning };
}

const OPENAI_CACHE_MIN = 1024;

export const MODELS: readonly ModelSpec[] = [
  openai('gpt-4o', 1715367049, {
    ttftMs: [300, 700],
    tokensPerSecond: 90,
    prefillTokensPerSecond: 12000,
    reasoning: false,
    outputMedianTokens: 220,
    maxOutputTokens: 16384,
    contextWindow: 128000,
    cacheMinTokens: OPENAI_CACHE_MIN,
  }),
  openai('gpt-4o-mini', 1721172741, {
    ttftMs: [200, 450],
    tokensPerSecond: 110,
    prefillTokensPerSecond: 20000,
    reasoning: false,
    outputMedianTokens: 200,
    maxOutputTokens: 16384,
    contextWindow: 128000,
    cacheMinTokens: OPENAI_CACHE_MIN,
  }),
  openai('gpt-4.1', 1744316542, {
    ttftMs: [350, 800],
    tokensPerSecond: 85,
    prefillTokensPerSecond: 12000,
    reasoning: false,
    outputMedianTokens: 240,
    maxOutputTokens: 32768,
    contextWindow: 1047576,
    cacheMinTokens: OPENAI_CACHE_MIN,
  }),
  openai('gpt-4.1-mini', 1744318173, {
    ttftMs: [200, 500],
    tokensPerSecond: 120,
    prefillTokensPerSecond: 20000,
    reasoning: false,
    outputMedianTokens: 210,
    maxOutputTokens: 32768,
    contextWindow: 1047576,
    cacheMinTokens: OPENAI_CACHE_MIN,
  }),
  openai('gpt-5', 1754425777, {
    ttftMs: [500, 900],
    tokensPerSecond: 70,
    prefillTokensPerSecond: 10000,
    reasoning: true,
    outputMedianTokens: 260,
    maxOutputTokens: 128000,
    contextWindow: 400000,
    cacheMinTokens: OPENAI_CACHE_MIN,
  }),
  openai('gpt-5-mini', 1754425928, {
    ttftMs: [300, 650],
    tokensPerSecond: 120,
    prefillTokensPerSecond: 18000,
    reasoning: true,
    outputMedianTokens: 230,
    maxOutputTokens: 128000,
    contextWindow: 400000,
    cacheMinTokens: OPENAI_CACHE_MIN,
  }),
  openai('o4-mini', 1744225351, {
    ttftMs: [300, 700],
    tokensPerSecond: 130,
    prefillTokensPerSecond: 18000,
    reasoning: true,
    outputMedianTokens: 220,
    maxOutputTokens: 100000,
    contextWindow: 200000,
    cacheMinTokens: OPENAI_CACHE_MIN,
  }),
  {
    id: 'text-embedding-3-small',
    provider: 'openai',
    kind: 'embedding',
    created: 1705948997,
    displayName: 'text-embedding-3-small',
    ttftMs: [60, 180],
    tokensPerSecond: 0,
    prefillTokensPerSecond: 200000,
    reasoning: false,
    outputMedianTokens: 0,
    maxOutputTokens: 0,
    contextWindow: 8191,
    cacheMinTokens: Number.POSITIVE_INFINITY,
    embeddingDimensions: 1536,
  },
  anthropic('claude-sonnet-4-5', 'Claude Sonnet 4.5', '2025-09-29T00:00:00Z', {
    ttftMs: [450, 900],
    tokensPerSecond: 70,
    prefillTokensPerSecond: 10000,
    reasoning: false,
    outputMedianTokens: 260,
    maxOutputTokens: 64000,
    contextWindow: 200000,
    cacheMinTokens: 1024,
  }),
  anthropic('claude-haiku-4-5', 'Claude Haiku 4.5', '2025-10-01T00:00:00Z', {
    ttftMs: [250, 550],
    tokensPerSecond: 140,
    prefillTokensPerSecond: 20000,
    reasoning: false,
    outputMedianTokens: 220,
    maxOutputTokens: 64000,
    contextWindow: 200000,
    cacheMinTokens: 4096,
  }),
  anthropic('claude-opus-4-5', 'Claude Opus 4.5', '2025-11-24T00:00:00Z', {
    ttftMs: [600, 900],
    tokensPerSecond: 50,
    prefillTokensPerSecond: 8000,
    reasoning: false,
    outputMedianTokens: 280,
    maxOutputTokens: 64000,
    contextWindow: 200000,
    cacheMinTokens: 4096,
  }),
];

const BY_ID = new Map(MODELS.map((model) => [model.id, model]));

/** Dated snapshots ("gpt-4o-2024-08-06", "claude-sonnet-4-5-20250929") resolve to their family. */
const SNAPSHOT_SUFFIX = /-(\d{4}-\d{2}-\d{2}|\d{8})$/;

export function resolveModel(requested: unknown, provider: Provider): ModelSpec | undefined {
  if (typeof requested !== 'string') return undefined;
  const model = BY_ID.get(requested) ?? BY_ID.get(requested.replace(SNAPSHOT_SUFFIX, ''));
  return model?.provider === provider ? model : undefined;
}

export function modelsOf(provider: Provider): ModelSpec[] {
  return MODELS.filter((model) => model.provider === provider);
}
