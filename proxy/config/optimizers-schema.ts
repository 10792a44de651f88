import { z } from 'zod';
import { routingRulesSchema } from '../optimizers/routing/rules.ts';

/**
 * The per-request optimizer settings. The config holds a base, overrides matched by key, route or
 * model, and experiment arms; each request runs with the merge of those that apply to it.
 * Each section is declared once as fields plus defaults: the base fills the defaults in, while an
 * override or experiment arm keeps only what it names, so `{ lossy: { budgetTokens: 2000 } }`
 * cannot silently switch lossy compression back off.
 */
function section<Fields extends z.ZodRawShape, Output extends object>(fields: Fields, defaults: Output) {
  const partial = z.strictObject(fields).partial();
  const full = partial.prefault({} as never).transform((given) => ({ ...defaults, ...given }) as Output);
  return { full, partial };
}

const exactCache = section(
  {
    enabled: z.boolean(),
    ttlSeconds: z.int().positive(),
    /** Serve cached answers to requests that sample (temperature > 0); off because the user asked for variety. */
    cacheSampled: z.boolean(),
  },
  { enabled: true, ttlSeconds: 3_600, cacheSampled: false },
);

const semanticCache = section(
  {
    enabled: z.boolean(),
    /** Groups requests that may share answers (together with tenant, system prompt, tools and history). */
    namespace: z.string().min(1),
    cacheSampled: z.boolean(),
  },
  { enabled: false, namespace: 'default', cacheSampled: false },
);

const lossy = section(
  {
    enabled: z.boolean(),
    budgetTokens: z.int().positive(),
    keepRecentTurns: z.int().nonnegative(),
    mode: z.enum(['drop', 'summarize']),
  },
  { enabled: false, budgetTokens: 8_000, keepRecentTurns: 6, mode: 'drop' as 'drop' | 'summarize' },
);

const compressionFields = { lossless: z.boolean() };
const compression = {
  full: z
    .strictObject({ lossless: compressionFields.lossless.default(true), lossy: lossy.full })
    .prefault({}),
  partial: z.strictObject({ lossless: compressionFields.lossless, lossy: lossy.partial }).partial(),
};

const classifier = section(
  {
    enabled: z.boolean(),
    /** Where easy requests go; must be a configured model on a provider of the same API. */
    cheapModel: z.string().optional(),
    /** Requests scored below this probability of being hard go to cheapModel. */
    threshold: z.number().min(0).max(1),
  },
  { enabled: false, threshold: 0.35 } as { enabled: boolean; cheapModel?: string; threshold: number },
);

const routingFields = {
  enabled: z.boolean(),
  rules: routingRulesSchema,
  /** Retry a routed request on the requested model when the cheap answer shows a failure signal. */
  cascade: z.boolean(),
};
const routing = {
  full: z
    .strictObject({
      enabled: routingFields.enabled.default(false),
      rules: routingFields.rules.default([]),
      classifier: classifier.full,
      cascade: routingFields.cascade.default(true),
    })
    .prefault({}),
  partial: z.strictObject({ ...routingFields, classifier: classifier.partial }).partial(),
};

const promptCaching = section(
  { anthropicBreakpoints: z.boolean(), openaiStablePrefix: z.boolean() },
  { anthropicBreakpoints: true, openaiStablePrefix: true },
);

const serviceTier = section(
  {
    /** Requests marked `x-apex-urgency: low` use OpenAI's flex tier where the model allows it. */
    flexWhenNotUrgent: z.boolean(),
    /** Requests marked `x-apex-urgency: batch` go through the provider's batch API (half price). */
    batchWhenDeferred: z.boolean(),
  },
  { flexWhenNotUrgent: true, batchWhenDeferred: true },
);

export const optimizerSettingsSchema = z.strictObject({
  exactCache: exactCache.full,
  semanticCache: semanticCache.full,
  compression: compression.full,
  routing: routing.full,
  promptCaching: promptCaching.full,
  serviceTier: serviceTier.full,
});
export type OptimizerSettings = z.output<typeof optimizerSettingsSchema>;

/** Any subset of the settings, for overrides and experiment arms; nothing is defaulted. */
export const partialSettingsSchema = z.strictObject({
  exactCache: exactCache.partial.optional(),
  semanticCache: semanticCache.partial.optional(),
  compression: compression.partial.optional(),
  routing: routing.partial.optional(),
  promptCaching: promptCaching.partial.optional(),
  serviceTier: serviceTier.partial.optional(),
});
export type PartialSettings = z.output<typeof partialSettingsSchema>;

const overrideSchema = z.strictObject({
  /** Key fingerprints (key_…, as the dashboard shows them), routes, or requested model globs. */
  match: z.strictObject({
    keys: z.array(z.string()).optional(),
    routes: z.array(z.string()).optional(),
    models: z.array(z.string()).optional(),
  }),
  set: partialSettingsSchema,
});
export type SettingsOverride = z.infer<typeof overrideSchema>;

const embedderSchema = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('local'),
    /** A folder holding model.onnx (or model_quantized.onnx) and tokenizer.json. */
    modelDir: z.string().default('.models/all-MiniLM-L6-v2'),
  }),
  z.strictObject({
    kind: z.literal('openai'),
    baseUrl: z.url({ protocol: /^https?$/ }),
    model: z.string().min(1),
    /** The environment variable that holds the key; keys are never written in the config. */
    apiKeyEnv: z.string().optional(),
  }),
]);
export type EmbedderConfig = z.infer<typeof embedderSchema>;

/** How deferred requests (`x-apex-urgency: batch`) are gathered into provider batches. */
const batchSchema = z.strictObject({
  /** A queued request waits at most this long before its batch is sent, even a batch of one. */
  maxWaitSeconds: z.int().positive().default(60),
  /** A batch is sent as soon as it holds this many requests (OpenAI allows 50,000; Anthropic 100,000). */
  maxRequests: z.int().positive().max(50_000).default(1_000),
  pollSeconds: z.int().positive().default(30),
  /** Batches a request may ride that end before reaching it; after that it goes to the standard API. */
  maxAttempts: z.int().positive().default(2),
  /** Answers stay collectable this long after they arrive. */
  keepResultsHours: z.int().positive().default(72),
});
export type BatchConfig = z.output<typeof batchSchema>;

export const optimizersSchema = z.strictObject({
  settings: optimizerSettingsSchema.prefault({}),
  batch: batchSchema.prefault({}),
  overrides: z.array(overrideSchema).default([]),
  exactCacheMegabytes: z.int().positive().default(256),
  semanticCache: z
    .strictObject({
      embedder: embedderSchema.default({ kind: 'local', modelDir: '.models/all-MiniLM-L6-v2' }),
      /** Cosine similarity a neighbour needs to be served; per-namespace values override it. */
      threshold: z.number().min(0).max(1).optional(),
      namespaceThresholds: z.record(z.string(), z.number().min(0).max(1)).default({}),
      maxEntriesPerNamespace: z.int().positive().default(10_000),
      ttlSeconds: z.int().positive().default(86_400),
    })
    .default({
      embedder: { kind: 'local', modelDir: '.models/all-MiniLM-L6-v2' },
      namespaceThresholds: {},
      maxEntriesPerNamespace: 10_000,
      ttlSeconds: 86_400,
    }),
});
export type OptimizersConfig = z.output<typeof optimizersSchema>;

const experimentSchema = z.strictObject({
  name: z.string().regex(/^[\w.-]+$/),
  /** Share of treatment units enrolled; enrolled units split evenly between arms a and b. */
  share: z.number().gt(0).max(1).default(1),
  a: partialSettingsSchema.default({}),
  b: partialSettingsSchema.default({}),
});
export type ExperimentConfig = z.infer<typeof experimentSchema>;

export const proofSchema = z.strictObject({
  /** Share of units held out in the control group, which no optimizer touches. */
  controlShare: z.number().min(0).max(0.5).default(0.05),
  /** A unit is the end user (the request's user field or x-apex-user) or the caller's key. */
  splitBy: z.enum(['user', 'key']).default('user'),
  /** Changing it reshuffles every unit, so it is fixed per installation and rarely changed. */
  salt: z.string().default('apex-proof-v1'),
  experiments: z.array(experimentSchema).default([]),
});
export type ProofConfig = z.output<typeof proofSchema>;

/** Every model a routing setting may send requests to, with its config path, for validation. */
export function routingTargets(
  optimizers: OptimizersConfig,
  proof: ProofConfig,
): Array<[PropertyKey[], string]> {
  const sources: Array<[PropertyKey[], PartialSettings]> = [
    [['optimizers', 'settings'], optimizers.settings],
    ...optimizers.overrides.map((o, i): [PropertyKey[], PartialSettings] => [
      ['optimizers', 'overrides', i, 'set'],
      o.set,
    ]),
    ...proof.experiments.flatMap((e, i): Array<[PropertyKey[], PartialSettings]> => [
      [['proof', 'experiments', i, 'a'], e.a],
      [['proof', 'experiments', i, 'b'], e.b],
    ]),
  ];
  const targets: Array<[PropertyKey[], string]> = [];
  for (const [path, settings] of sources) {
    settings.routing?.rules?.forEach((rule, i) =>
      targets.push([[...path, 'routing', 'rules', i, 'to'], rule.to]),
    );
    const cheap = settings.routing?.classifier?.cheapModel;
    if (cheap) targets.push([[...path, 'routing', 'classifier', 'cheapModel'], cheap]);
  }
  return targets;
}
