import { describe, expect, it } from 'vitest';
import { configSchema } from '../../../proxy/config/schema.ts';

const base = {
  providers: { openai: { kind: 'openai', apiKey: 'k' } },
  models: [
    { name: 'gpt-*', provider: 'openai' },
    { name: 'o3', provider: 'openai' },
  ],
};

describe('optimizer configuration', () => {
  it('fills every default, with exact cache, lossless compression and a 5% control group on', () => {
    const config = configSchema.parse(base);
    expect(config.optimizers.settings.exactCache.enabled).toBe(true);
    expect(config.optimizers.settings.compression).toEqual({
      lossless: true,
      lossy: { enabled: false, budgetTokens: 8000, keepRecentTurns: 6, mode: 'drop' },
    });
    expect(config.optimizers.settings.semanticCache.enabled).toBe(false);
    expect(config.proof).toMatchObject({ controlShare: 0.05, splitBy: 'user', experiments: [] });
  });

  it('keeps overrides partial, so naming one field does not reset its siblings', () => {
    const config = configSchema.parse({
      ...base,
      optimizers: {
        overrides: [{ match: { routes: ['r'] }, set: { compression: { lossy: { budgetTokens: 2000 } } } }],
      },
    });
    expect(config.optimizers.overrides[0]!.set).toEqual({ compression: { lossy: { budgetTokens: 2000 } } });
  });

  it('rejects a routing target no model entry serves, naming where it is', () => {
    const result = configSchema.safeParse({
      ...base,
      optimizers: {
        settings: { routing: { enabled: true, rules: [{ name: 'r', to: 'claude-haiku-4-5' }] } },
        overrides: [
          { match: { keys: ['key_a'] }, set: { routing: { classifier: { cheapModel: 'mistral-small' } } } },
        ],
      },
    });
    expect(result.success).toBe(false);
    const issues = result.error!.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    expect(issues).toEqual([
      'optimizers.settings.routing.rules.0.to: routes to "claude-haiku-4-5", which no entry in models serves',
      'optimizers.overrides.0.set.routing.classifier.cheapModel: routes to "mistral-small", which no entry in models serves',
    ]);
  });

  it('refuses unknown optimizer fields instead of ignoring a typo', () => {
    const result = configSchema.safeParse({
      ...base,
      optimizers: { settings: { exactCache: { enable: true } } },
    });
    expect(result.success).toBe(false);
  });
});
