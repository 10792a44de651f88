import { describe, expect, it } from 'vitest';
import { proofSchema, optimizersSchema } from '../../../proxy/config/optimizers-schema.ts';
import { assignArm } from '../../../proxy/optimizers/assignment.ts';
import { SettingsResolver } from '../../../proxy/optimizers/settings.ts';

const proof = proofSchema.parse({ controlShare: 0.05 });

describe('proof-of-value assignment', () => {
  it('keeps a unit in one arm and holds out about the configured share', () => {
    const arms = Array.from(
      { length: 20_000 },
      (_, i) => assignArm(proof, {}, { user: `user-${i}` }, 'key_a').arm,
    );
    const control = arms.filter((arm) => arm === 'control').length / arms.length;
    expect(control).toBeGreaterThan(0.045);
    expect(control).toBeLessThan(0.055);
    expect(assignArm(proof, {}, { user: 'user-7' }, 'key_b')).toEqual(
      assignArm(proof, {}, { user: 'user-7' }, 'key_a'),
    );
  });

  it('reads the user from x-apex-user, OpenAI’s user and Anthropic’s metadata, falling back to the key', () => {
    const byHeader = assignArm(proof, { 'x-apex-user': 'alice' }, {}, 'key_a').unitId;
    expect(assignArm(proof, {}, { user: 'alice' }, 'key_z').unitId).toBe(byHeader);
    expect(assignArm(proof, {}, { metadata: { user_id: 'alice' } }, null).unitId).toBe(byHeader);
    expect(assignArm(proof, {}, {}, 'key_a').unitId).not.toBe(byHeader);
    const byKey = proofSchema.parse({ splitBy: 'key' });
    expect(assignArm(byKey, {}, { user: 'alice' }, 'key_a').unitId).toBe(
      assignArm(byKey, {}, {}, 'key_a').unitId,
    );
  });

  it('never exposes the raw user id', () => {
    expect(assignArm(proof, {}, { user: 'alice@example.com' }, null).unitId).not.toContain('alice');
  });

  it('splits enrolled units evenly between experiment arms', () => {
    const withExperiment = proofSchema.parse({
      controlShare: 0,
      experiments: [{ name: 'tier', share: 0.5 }],
    });
    const arms = Array.from(
      { length: 10_000 },
      (_, i) => assignArm(withExperiment, {}, { user: `u${i}` }, null).arm,
    );
    const count = (arm: string) => arms.filter((a) => a === arm).length / arms.length;
    expect(count('exp:tier:a')).toBeCloseTo(0.25, 1);
    expect(count('exp:tier:b')).toBeCloseTo(0.25, 1);
    expect(count('treatment')).toBeCloseTo(0.5, 1);
  });
});

describe('settings resolution', () => {
  const optimizers = optimizersSchema.parse({
    overrides: [
      { match: { keys: ['key_batch'] }, set: { exactCache: { enabled: false } } },
      { match: { models: ['claude-*'] }, set: { compression: { lossy: { enabled: true } } } },
    ],
  });
  const proofWithExperiment = proofSchema.parse({
    experiments: [{ name: 'lossy', a: {}, b: { compression: { lossy: { budgetTokens: 2000 } } } }],
  });
  const resolver = new SettingsResolver(optimizers, proofWithExperiment);
  const subject = { keyId: 'key_batch', route: 'r', model: 'claude-sonnet-4-5' };

  it('applies matching overrides in order, leaving other fields at their defaults', () => {
    const settings = resolver.resolve(subject, { arm: 'treatment', unitId: 'u', experiment: null })!;
    expect(settings.exactCache).toEqual({ enabled: false, ttlSeconds: 3600, cacheSampled: false });
    expect(settings.compression.lossy).toMatchObject({ enabled: true, budgetTokens: 8000 });
    const other = resolver.resolve(
      { ...subject, keyId: 'key_other', model: 'gpt-4o' },
      { arm: 'treatment', unitId: 'u', experiment: null },
    )!;
    expect(other.exactCache.enabled).toBe(true);
    expect(other.compression.lossy.enabled).toBe(false);
  });

  it('layers an experiment arm on top, and gives the control group no optimizer at all', () => {
    const b = resolver.resolve(subject, {
      arm: 'exp:lossy:b',
      unitId: 'u',
      experiment: { name: 'lossy', side: 'b' },
    })!;
    expect(b.compression.lossy).toMatchObject({ enabled: true, budgetTokens: 2000 });
    expect(resolver.resolve(subject, { arm: 'control', unitId: 'u', experiment: null })).toBeNull();
  });
});
