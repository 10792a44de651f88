import { z } from 'zod';
import { optimizersSchema, proofSchema, routingTargets } from './optimizers-schema.ts';
import { globMatches } from '../optimizers/settings.ts';
import { bedrockConfigIssue } from '../upstream/bedrock-config.ts';
import { resilienceSchema } from './resilience-schema.ts';

import { AWS_REGION_PATTERN, PROVIDER_KINDS, type ProviderKind } from '../../contracts/providers.ts';

export { PROVIDER_KINDS, type ProviderKind };

const DEFAULT_BASE_URLS: Record<ProviderKind, string | undefined> = {
  openai: 'https://api.openai.com/v1',
  anthropic: 'https://api.anthropic.com',
  'openai-compatible': undefined,
  azure: undefined,
  gemini: 'https://generativelanguage.googleapis.com',
  bedrock: 'https://bedrock-runtime.{region}.amazonaws.com',
  mistral: 'https://api.mistral.ai/v1',
  groq: 'https://api.groq.com/openai/v1',
  deepseek: 'https://api.deepseek.com/v1',
  together: 'https://api.together.xyz/v1',
  openrouter: 'https://openrouter.ai/api/v1',
  ollama: 'http://127.0.0.1:11434/v1',
  vllm: 'http://127.0.0.1:8000/v1',
};

/**
 * Mistral rejects request fields it does not know (422 extra_forbidden) and reports usage on its
 * last stream chunk unasked, so Apex does not add `stream_options` there.
 */
const STREAM_USAGE_UNSUPPORTED: ReadonlySet<ProviderKind> = new Set(['mistral']);

const usdPerMillion = z.union([z.string().regex(/^\d+(\.\d+)?(e-?\d+)?$/i), z.number().nonnegative()]);

const priceSchema = z.strictObject({
  input: usdPerMillion,
  output: usdPerMillion,
  cachedInput: usdPerMillion.optional(),
  cacheWrite: usdPerMillion.optional(),
  cacheWrite1h: usdPerMillion.optional(),
});
export type UsdPrice = z.infer<typeof priceSchema>;

const providerSchema = z
  .strictObject({
    kind: z.enum(PROVIDER_KINDS),
    baseUrl: z.url({ protocol: /^https?$/ }).optional(),
    /** Omit (or leave empty) to forward the caller's own key: the SDK's key passes straight through. */
    apiKey: z
      .string()
      .optional()
      .transform((key) => (key === '' ? undefined : key)),
    headers: z.record(z.string(), z.string()).default({}),
    /**
     * Azure OpenAI: the api-version of deployment URLs (/openai/deployments/{model}/...), or "v1"
     * for Azure's v1 API (/openai/v1/..., the deployment named in the body's model field).
     */
    apiVersion: z.string().min(1).optional(),
    /** AWS Bedrock: the region (required); the endpoint defaults to bedrock-runtime.{region}.amazonaws.com. */
    region: z.string().regex(AWS_REGION_PATTERN, 'an AWS region such as us-east-1').optional(),
    /** AWS Bedrock: static credentials (as ${ENV} references); omitted, the AWS SDK's default chain applies. */
    accessKeyId: z
      .string()
      .optional()
      .transform((value) => (value === '' ? undefined : value)),
    secretAccessKey: z
      .string()
      .optional()
      .transform((value) => (value === '' ? undefined : value)),
    sessionToken: z
      .string()
      .optional()
      .transform((value) => (value === '' ? undefined : value)),
    /** Price lookups use this provider id (e.g. "groq", "deepseek"); defaults to the kind. */
    pricingProvider: z.string().optional(),
    /** Ask OpenAI-style streams for usage; turn off for servers that reject stream_options. */
    streamUsage: z.boolean().optional(),
    connections: z.int().positive().max(4096).default(256),
    connectTimeoutMs: z.int().positive().default(10_000),
    /** Longest silence allowed between two body chunks (LLMs can think for minutes). */
    idleTimeoutMs: z.int().positive().default(600_000),
  })
  .transform((provider, ctx) => {
    const bedrockIssue = provider.kind === 'bedrock' ? bedrockConfigIssue(provider) : null;
    if (bedrockIssue) {
      ctx.addIssue({ code: 'custom', message: bedrockIssue });
      return z.NEVER;
    }
    const template = provider.baseUrl ?? DEFAULT_BASE_URLS[provider.kind];
    const baseUrl = template?.replace('{region}', provider.region ?? '');
    if (!baseUrl) {
      ctx.addIssue({ code: 'custom', message: `baseUrl is required for kind "${provider.kind}"` });
      return z.NEVER;
    }
    const streamUsage = provider.streamUsage ?? !STREAM_USAGE_UNSUPPORTED.has(provider.kind);
    return { ...provider, streamUsage, baseUrl: normalizeBaseUrl(provider.kind, baseUrl) };
  });
export type ProviderConfig = z.output<typeof providerSchema>;

/** Azure's endpoint is the resource (https://NAME.openai.azure.com); a pasted ".../openai" suffix is dropped. */
function normalizeBaseUrl(kind: ProviderKind, baseUrl: string): string {
  const trimmed = baseUrl.replace(/\/+$/, '');
  return kind === 'azure' ? trimmed.replace(/\/openai(\/v1)?$/, '') : trimmed;
}

const modelSchema = z.strictObject({
  /** The name clients send; `*` matches any run of characters (e.g. "claude-*"). */
  name: z.string().min(1),
  provider: z.string().min(1),
  /** The upstream's model name; defaults to the requested name. */
  model: z.string().min(1).optional(),
  project: z.string().optional(),
  price: priceSchema.optional(),
  /** Routes sharing a name are balanced; a route's share of traffic under weighted balancing. */
  weight: z.number().positive().default(1),
  /** Model names tried in order once this route (and any route sharing its name) keeps failing. */
  fallbacks: z.array(z.string().min(1)).default([]),
});
export type ModelRoute = z.infer<typeof modelSchema>;

const serverSchema = z.strictObject({
  maxBodyBytes: z
    .int()
    .positive()
    .default(32 * 1024 * 1024),
  /** Host header values accepted besides loopback names (for team deployments behind a name). */
  allowedHosts: z.array(z.string()).default([]),
  /** Refuse callers without an Apex virtual key (sk-apex-...) instead of passing their own key through. */
  requireVirtualKeys: z.boolean().default(false),
});

export const configSchema = z
  .strictObject({
    providers: z.record(z.string().regex(/^[\w.-]+$/), providerSchema),
    models: z.array(modelSchema).min(1),
    prices: z
      .strictObject({
        overrides: z.record(z.string(), priceSchema).default({}),
        /** A LiteLLM model_prices_and_context_window.json, relative to the config file. */
        litellm: z.string().optional(),
      })
      .default({ overrides: {} }),
    server: serverSchema.default(serverSchema.parse({})),
    optimizers: optimizersSchema.default(optimizersSchema.parse({})),
    proof: proofSchema.default(proofSchema.parse({})),
    resilience: resilienceSchema.default(resilienceSchema.parse({})),
  })
  .superRefine((config, ctx) => {
    for (const [path, model] of routingTargets(config.optimizers, config.proof)) {
      if (!config.models.some((route) => globMatches(route.name, model))) {
        ctx.addIssue({
          code: 'custom',
          path,
          message: `routes to "${model}", which no entry in models serves`,
        });
      }
    }
    config.models.forEach((route, index) => {
      if (!(route.provider in config.providers)) {
        ctx.addIssue({
          code: 'custom',
          path: ['models', index, 'provider'],
          message: `unknown provider "${route.provider}" (defined: ${Object.keys(config.providers).join(', ')})`,
        });
      }
      route.fallbacks.forEach((name, at) => {
        if (!config.models.some((other) => globMatches(other.name, name))) {
          ctx.addIssue({
            code: 'custom',
            path: ['models', index, 'fallbacks', at],
            message: `falls back to "${name}", which no entry in models serves`,
          });
        }
      });
    });
  });

export type ApexConfig = z.output<typeof configSchema>;
