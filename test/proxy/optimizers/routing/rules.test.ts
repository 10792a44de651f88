import { describe, expect, it } from 'vitest';
import {
  globMatch,
  matchRule,
  readRoutingControls,
  resolveRoute,
  routingRuleSchema,
  routingRulesSchema,
  type RouteInput,
  type RoutingRule,
} from '../../../../proxy/optimizers/routing/rules.ts';

const input: RouteInput = {
  keyId: 'key-a',
  route: '/v1/chat/completions',
  model: 'gpt-4o',
  promptTokens: 500,
  hasTools: false,
  hint: null,
};

function rules(raw: unknown[]): RoutingRule[] {
  return routingRulesSchema.parse(raw);
}

describe('routing rule schema', () => {
  it('defaults an omitted match to "every request" and rejects unknown fields', () => {
    expect(routingRuleSchema.parse({ name: 'all', to: 'gpt-4o-mini' }).match).toEqual({});
    expect(() => routingRuleSchema.parse({ name: 'x', to: 'm', match: { model: 'gpt-4o' } })).toThrow();
    expect(() => routingRuleSchema.parse({ name: 'x', to: 'm', priority: 1 })).toThrow();
  });

  it('rejects an empty token range, negative counts and duplicate names', () => {
    expect(() =>
      routingRuleSchema.parse({ name: 'x', to: 'm', match: { minPromptTokens: 10, maxPromptTokens: 5 } }),
    ).toThrow(/minPromptTokens/);
    expect(() => routingRuleSchema.parse({ name: 'x', to: 'm', match: { minPromptTokens: -1 } })).toThrow();
    expect(() =>
      rules([
        { name: 'a', to: 'm' },
        { name: 'a', to: 'n' },
      ]),
    ).toThrow(/duplicate rule name/);
  });
});

describe('matchRule', () => {
  it('returns the first matching rule in config order', () => {
    const list = rules([
      { name: 'long', match: { minPromptTokens: 10_000 }, to: 'gpt-4.1' },
      { name: 'gpt', match: { models: ['gpt-4o*'] }, to: 'gpt-4o-mini' },
      { name: 'catch-all', to: 'never' },
    ]);
    expect(matchRule(list, input)).toEqual({ rule: list[1], to: 'gpt-4o-mini' });
    expect(matchRule(list, { ...input, promptTokens: 20_000 })?.rule.name).toBe('long');
    expect(matchRule(list, { ...input, model: 'claude-sonnet-4-5' })?.rule.name).toBe('catch-all');
  });

  it('requires every given condition to hold', () => {
    const [rule] = rules([
      {
        name: 'all',
        match: {
          keys: ['key-a'],
          routes: ['/v1/chat/*'],
          models: ['gpt-*'],
          minPromptTokens: 100,
          maxPromptTokens: 1000,
          hasTools: false,
          header: 'bulk',
        },
        to: 'cheap',
      },
    ]);
    const list = [rule!];
    const hinted = { ...input, hint: 'bulk' };
    expect(matchRule(list, hinted)?.to).toBe('cheap');
    expect(matchRule(list, { ...hinted, keyId: 'key-b' })).toBeNull();
    expect(matchRule(list, { ...hinted, keyId: null })).toBeNull();
    expect(matchRule(list, { ...hinted, route: '/v1/responses' })).toBeNull();
    expect(matchRule(list, { ...hinted, model: 'claude-3-haiku' })).toBeNull();
    expect(matchRule(list, { ...hinted, promptTokens: 99 })).toBeNull();
    expect(matchRule(list, { ...hinted, promptTokens: 1001 })).toBeNull();
    expect(matchRule(list, { ...hinted, promptTokens: 1000 })?.to).toBe('cheap');
    expect(matchRule(list, { ...hinted, hasTools: true })).toBeNull();
    expect(matchRule(list, input)).toBeNull();
  });

  it('returns null when nothing matches', () => {
    expect(matchRule([], input)).toBeNull();
    expect(matchRule(rules([{ name: 'tools', match: { hasTools: true }, to: 'x' }]), input)).toBeNull();
  });
});

describe('globMatch', () => {
  it('treats * as any run and everything else literally', () => {
    expect(globMatch('gpt-4o*', 'gpt-4o')).toBe(true);
    expect(globMatch('gpt-4o*', 'gpt-4o-mini-2024-07-18')).toBe(true);
    expect(globMatch('*-mini', 'o4-mini')).toBe(true);
    expect(globMatch('gpt-4.1', 'gpt-4x1')).toBe(false);
    expect(globMatch('gpt-4.*', 'gpt-4o')).toBe(false);
    expect(globMatch('claude-*', 'gpt-claude-x')).toBe(false);
    expect(globMatch('exact', 'exact')).toBe(true);
  });
});

describe('routing controls', () => {
  it('reads the override, off switch and hint headers', () => {
    expect(readRoutingControls({})).toEqual({ override: null, enabled: true, hint: null });
    expect(
      readRoutingControls({
        'x-apex-model-override': ' gpt-4.1 ',
        'x-apex-routing': 'OFF',
        'x-apex-route-hint': ['bulk', 'other'],
      }),
    ).toEqual({ override: 'gpt-4.1', enabled: false, hint: 'bulk' });
    expect(readRoutingControls({ 'x-apex-routing': 'on', 'x-apex-model-override': '  ' })).toEqual({
      override: null,
      enabled: true,
      hint: null,
    });
  });

  it('lets an override win over rules and "off" keep the requested model', () => {
    const list = rules([{ name: 'all', to: 'gpt-4o-mini' }]);
    const on = { override: null, enabled: true, hint: null };
    expect(resolveRoute(list, input, on)).toEqual({ model: 'gpt-4o-mini', rule: list[0], reason: 'rule' });
    expect(resolveRoute(list, input, { ...on, override: 'o3' })).toEqual({
      model: 'o3',
      rule: null,
      reason: 'override',
    });
    expect(resolveRoute(list, input, { ...on, enabled: false })).toEqual({
      model: 'gpt-4o',
      rule: null,
      reason: 'disabled',
    });
    expect(resolveRoute([], input, on)).toEqual({ model: 'gpt-4o', rule: null, reason: 'none' });
  });
});
