import type { ApexConfig } from '../config/schema.ts';
import type { EmbedderConfig, OptimizersConfig } from '../config/optimizers-schema.ts';
import { ExactCache } from './exact-cache.ts';
import { ComplexityClassifier } from './routing/classifier.ts';
import type { Embedder } from './semantic/embedder.ts';
import { OpenAICompatibleEmbedder } from './semantic/openai-embedder.ts';
import { DEFAULT_SEMANTIC_THRESHOLD, SemanticCache } from './semantic/semantic-cache.ts';
import { WorkerEmbedder } from './semantic/worker-embedder.ts';

/**
 * Optimizer state that outlives config reloads: caches keep their entries when a config edit
 * changes an unrelated field. Settings that size the state apply at start.
 */
export class OptimizerState {
  readonly exactCache: ExactCache;
  /** Learns from cascade outcomes on this installation's own traffic. */
  readonly classifier: ComplexityClassifier;
  /** Null until a config turns the semantic cache on and its embedder loads. */
  semantic: SemanticCache | null = null;
  /** Why the semantic cache is unavailable (model missing...), shown on skipped decisions. */
  semanticProblem: string | null = null;
  private embedderIdentity: string | null = null;

  constructor(config: OptimizersConfig, classifier = new ComplexityClassifier()) {
    this.classifier = classifier;
    this.exactCache = new ExactCache({
      ttlMs: config.settings.exactCache.ttlSeconds * 1000,
      maxBytes: config.exactCacheMegabytes * 1024 * 1024,
    });
  }

  /**
   * Loads the embedder when some setting (base, override or experiment arm) enables the semantic
   * cache; keeps the loaded one across reloads while its config is unchanged. A model that cannot
   * load leaves the cache off with the reason, never the proxy down.
   */
  async prepare(config: ApexConfig): Promise<void> {
    if (!semanticWanted(config)) return;
    const { embedder, threshold, namespaceThresholds, maxEntriesPerNamespace, ttlSeconds } =
      config.optimizers.semanticCache;
    const identity = JSON.stringify(config.optimizers.semanticCache);
    if (identity === this.embedderIdentity) return;
    this.embedderIdentity = identity;
    try {
      this.semantic = new SemanticCache(await loadEmbedder(embedder), {
        threshold: threshold ?? DEFAULT_SEMANTIC_THRESHOLD,
        namespaceThresholds,
        maxEntriesPerNamespace,
        ttlMs: ttlSeconds * 1000,
        allowSampling: true,
      });
      this.semanticProblem = null;
    } catch (error) {
      this.semantic = null;
      this.semanticProblem = (error as Error).message;
    }
  }
}

function semanticWanted(config: ApexConfig): boolean {
  const { settings, overrides } = config.optimizers;
  if (settings.semanticCache.enabled) return true;
  if (overrides.some((override) => override.set.semanticCache?.enabled)) return true;
  return config.proof.experiments.some((e) => e.a.semanticCache?.enabled || e.b.semanticCache?.enabled);
}

async function loadEmbedder(config: EmbedderConfig): Promise<Embedder> {
  if (config.kind === 'local') return WorkerEmbedder.load(config.modelDir);
  const apiKey = config.apiKeyEnv ? process.env[config.apiKeyEnv] : undefined;
  return new OpenAICompatibleEmbedder({
    baseUrl: config.baseUrl,
    model: config.model,
    apiKey,
    timeoutMs: 2_000,
  });
}
