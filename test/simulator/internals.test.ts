import { describe, expect, it } from 'vitest';
import { PromptCache } from '../../proxy/simulator/cache.ts';
import { resolveModel } from '../../proxy/simulator/models.ts';
import { messagesPrompt } from '../../proxy/simulator/prompt-anthropic.ts';
import { chatPrompt } from '../../proxy/simulator/prompt-openai.ts';
import { Rng } from '../../proxy/simulator/random.ts';
import { answerPieces } from '../../proxy/simulator/text.ts';
import { longText } from './helpers.ts';

describe('prompt token estimates', () => {
  it('counts about four characters a token plus message framing', () => {
    const prompt = chatPrompt({ messages: [{ role: 'user', content: 'x'.repeat(400) }] });
    expect(prompt.tokens).toBeGreaterThanOrEqual(100);
    expect(prompt.tokens).toBeLessThan(115);
    const image = chatPrompt({
      messages: [{ role: 'user', content: [{ type: 'image_url', image_url: { url: 'data:' } }] }],
    });
    expect(image.tokens).toBeGreaterThan(700);
  });
});

describe('Anthropic prompt cache', () => {
  const sonnet = resolveModel('claude-sonnet-4-5', 'anthropic')!;
  const system = [{ type: 'text', text: longText(1500, 'sys'), cache_control: { type: 'ephemeral' } }];
  const turn = (history: Array<{ role: string; content: string }>) =>
    messagesPrompt({
      system,
      messages: history.map((message, index) =>
        index === history.length - 1
          ? {
              role: message.role,
              content: [{ type: 'text', text: message.content, cache_control: { type: 'ephemeral' } }],
            }
          : message,
      ),
    });

  it('reads the previous turn from the cache as a conversation grows', () => {
    const cache = new PromptCache();
    const history = [{ role: 'user', content: 'first question' }];
    const first = cache.anthropicUsage(sonnet, turn(history).segments);
    expect(first.readTokens).toBe(0);
    const firstPrefix = turn(history).tokens;
    expect(first.write5mTokens).toBe(firstPrefix);
    history.push({ role: 'assistant', content: 'an answer' }, { role: 'user', content: 'a follow-up' });
    const second = cache.anthropicUsage(sonnet, turn(history).segments);
    expect(second.readTokens).toBe(firstPrefix);
    expect(second.write5mTokens).toBe(turn(history).tokens - firstPrefix);
  });

  it('expires entries after their TTL', () => {
    let now = 0;
    const cache = new PromptCache(() => now);
    const segments = turn([{ role: 'user', content: 'q' }]).segments;
    cache.anthropicUsage(sonnet, segments);
    now += 6 * 60_000;
    expect(cache.anthropicUsage(sonnet, segments).readTokens).toBe(0);
  });
});

describe('filler text', () => {
  it('ends natural answers on a full stop and is deterministic per seed', () => {
    const pieces = answerPieces(new Rng(9), 60);
    expect(pieces.length).toBeGreaterThanOrEqual(60);
    expect(pieces.join('').trim()).toMatch(/\.$/);
    expect(answerPieces(new Rng(9), 60)).toEqual(pieces);
    expect(answerPieces(new Rng(10), 60)).not.toEqual(pieces);
  });
});
