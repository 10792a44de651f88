import { describe, expect, it } from 'vitest';
import {
  applyFlex,
  batchDiscountShare,
  flexEligible,
  isLowUrgency,
  withoutFlex,
} from '../../../../proxy/optimizers/discounts/service-tier.ts';

describe('flexEligible', () => {
  it('accepts the models OpenAI prices for flex, with dated snapshots', () => {
    for (const model of [
      'o3',
      'o4-mini',
      'o3-2025-04-16',
      'o4-mini-2025-04-16',
      'gpt-5',
      'gpt-5-mini',
      'gpt-5-nano',
    ]) {
      expect(flexEligible(model), model).toBe(true);
    }
    for (const model of ['gpt-5-2025-08-07', 'gpt-5.1', 'gpt-5.2', 'GPT-5-Mini'])
      expect(flexEligible(model), model).toBe(true);
  });

  it('rejects models without flex (a flex request to them fails with 400)', () => {
    for (const model of [
      'gpt-4o',
      'gpt-4o-mini',
      'gpt-4.1',
      'o3-mini',
      'o3-pro',
      'o4-mini-deep-research',
      'gpt-5-pro',
    ]) {
      expect(flexEligible(model), model).toBe(false);
    }
    for (const model of ['gpt-5-chat-latest', 'gpt-5-codex', 'claude-sonnet-4-5', 'o30'])
      expect(flexEligible(model), model).toBe(false);
  });

  it('accepts extra models from config', () => {
    expect(flexEligible('gpt-9', ['gpt-9'])).toBe(true);
  });
});

describe('applyFlex', () => {
  it('sets flex on eligible models without mutating the request', () => {
    const body = Object.freeze({ model: 'o3', input: 'hi' });
    const result = applyFlex(body, 'o3');
    expect(result).toEqual({ body: { model: 'o3', input: 'hi', service_tier: 'flex' }, applied: true });
    expect(body).not.toHaveProperty('service_tier');
  });

  it('keeps a tier the client chose and skips ineligible models', () => {
    const chosen = { model: 'o3', service_tier: 'priority' };
    expect(applyFlex(chosen, 'o3')).toEqual({ body: chosen, applied: false });
    const mini = { model: 'gpt-4o-mini' };
    expect(applyFlex(mini, 'gpt-4o-mini')).toEqual({ body: mini, applied: false });
  });

  it('can drop flex for a standard-tier retry', () => {
    expect(withoutFlex({ model: 'o3', service_tier: 'flex' })).toEqual({ model: 'o3' });
    const standard = { model: 'o3', service_tier: 'default' };
    expect(withoutFlex(standard)).toBe(standard);
  });
});

describe('urgency and batch discounts', () => {
  it('reads x-apex-urgency: low', () => {
    expect(isLowUrgency({ 'x-apex-urgency': 'low' })).toBe(true);
    expect(isLowUrgency({ 'x-apex-urgency': [' LOW ', 'high'] })).toBe(true);
    expect(isLowUrgency({ 'x-apex-urgency': 'high' })).toBe(false);
    expect(isLowUrgency({})).toBe(false);
  });

  it('halves the price on OpenAI and Anthropic batches only', () => {
    expect(batchDiscountShare('openai')).toBe(0.5);
    expect(batchDiscountShare('anthropic')).toBe(0.5);
    expect(batchDiscountShare('openai-compatible')).toBe(0);
  });
});
