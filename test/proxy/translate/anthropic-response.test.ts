import { describe, expect, it } from 'vitest';
import { anthropicCodec } from '../../../proxy/translate/anthropic.ts';
import { encodeUsage, errorStatus, errorType } from '../../../proxy/translate/anthropic-response.ts';
import type { ChatResponse, StopReason } from '../../../proxy/translate/ir.ts';
import { usageFromAnthropic } from '../../../proxy/usage/anthropic.ts';
import { fixture, without } from './anthropic-helpers.ts';

const { decodeResponse, encodeResponse } = anthropicCodec;

/** Fields the IR deliberately does not keep: the serving tier is not part of the answer. */
const DROPPED = ['service_tier'];

const RICH_RESPONSE: ChatResponse = {
  id: 'msg_rich',
  model: 'claude-sonnet-4-5-20250929',
  content: [
    { type: 'thinking', text: 'Plan the call.', signature: 'sig-1' },
    { type: 'thinking', text: '', signature: null, redacted: 'redacted-blob' },
    { type: 'text', text: 'Calling two tools.' },
    { type: 'tool_call', id: 'toolu_a', name: 'get_weather', arguments: '{"location":"Paris","days":[1,2]}' },
    { type: 'tool_call', id: 'toolu_b', name: 'get_time', arguments: '{}' },
  ],
  stopReason: 'tool_use',
  stopSequence: null,
  usage: {
    inputTokens: 5000,
    outputTokens: 400,
    cachedInputTokens: 3000,
    cacheWriteTokens: 900,
    cacheWrite1hTokens: 100,
    reasoningTokens: 250,
  },
  created: 1_700_000_000,
};

describe('anthropic response: fixture wire -> IR -> wire', () => {
  it.each(['response-text.json', 'response-tool-use.json', 'response-thinking.json'])(
    '%s round-trips',
    (name) => {
      const wire = fixture(name);
      const again = encodeResponse(decodeResponse(wire));
      expect(again).toEqual(without(wire, DROPPED));
      expect((wire.usage as Record<string, unknown>).service_tier).toBe('standard');
      expect(again.usage).not.toHaveProperty('service_tier');
    },
  );

  it('decodes usage into whole-prompt input tokens', () => {
    const ir = decodeResponse(fixture('response-tool-use.json'));
    expect(ir.usage).toEqual({
      inputTokens: 50 + 1200 + 3000,
      outputTokens: 89,
      cachedInputTokens: 3000,
      cacheWriteTokens: 1000,
      cacheWrite1hTokens: 200,
      reasoningTokens: 0,
    });
    expect(ir.stopReason).toBe('tool_use');
    expect(ir.content[1]).toEqual({
      type: 'tool_call',
      id: 'toolu_01A09q90qw90lq917835lq9',
      name: 'get_weather',
      arguments: '{"location":"San Francisco, CA","unit":"celsius"}',
    });
  });

  it('keeps stop sequences, thinking signatures and redacted thinking', () => {
    const ir = decodeResponse(fixture('response-thinking.json'));
    expect(ir.stopReason).toBe('stop_sequence');
    expect(ir.stopSequence).toBe('\n\nHuman:');
    expect(ir.usage.reasoningTokens).toBe(220);
    expect(ir.content.map((part) => part.type)).toEqual(['thinking', 'thinking', 'text']);
    expect(ir.content[1]).toMatchObject({ signature: null, redacted: expect.any(String) });
  });
});

describe('anthropic response: IR -> wire -> IR', () => {
  it('is the identity for a rich response, except created, which a Message does not carry', () => {
    const again = decodeResponse(encodeResponse(RICH_RESPONSE));
    expect({ ...again, created: RICH_RESPONSE.created }).toEqual(RICH_RESPONSE);
    expect(Math.abs(again.created - Date.now() / 1000)).toBeLessThan(5);
  });

  it.each([
    ['end_turn', 'end_turn', 'end_turn'],
    ['max_tokens', 'max_tokens', 'max_tokens'],
    ['stop_sequence', 'stop_sequence', 'stop_sequence'],
    ['tool_use', 'tool_use', 'tool_use'],
    ['refusal', 'refusal', 'refusal'],
    ['content_filter', 'refusal', 'refusal'],
  ] as Array<[StopReason, string, StopReason]>)('stop reason %s is written %s', (reason, wire, back) => {
    const encoded = encodeResponse({ ...RICH_RESPONSE, stopReason: reason });
    expect(encoded.stop_reason).toBe(wire);
    expect(decodeResponse(encoded).stopReason).toBe(back);
  });
});

describe('anthropic response details', () => {
  it.each([
    ['pause_turn', 'end_turn'],
    ['model_context_window_exceeded', 'max_tokens'],
    [null, 'end_turn'],
    ['something_new', 'end_turn'],
  ])('reads stop_reason %s as %s', (wire, reason) => {
    const body = { ...fixture('response-text.json'), stop_reason: wire };
    expect(decodeResponse(body).stopReason).toBe(reason);
  });

  it('skips server-tool blocks and citations, and tolerates missing fields', () => {
    const ir = decodeResponse({
      type: 'message',
      content: [
        { type: 'server_tool_use', id: 'srvtoolu_1', name: 'web_search', input: { query: 'x' } },
        { type: 'web_search_tool_result', tool_use_id: 'srvtoolu_1', content: [] },
        { type: 'text', text: 'Found it.', citations: [{ type: 'web_search_result_location', url: 'u' }] },
        { type: 'text' },
        'garbage',
      ],
    });
    expect(ir).toMatchObject({ id: '', model: '', stopReason: 'end_turn', stopSequence: null });
    expect(ir.content).toEqual([{ type: 'text', text: 'Found it.' }]);
    expect(ir.usage.inputTokens).toBe(0);
  });

  it('answers a tool call whose arguments are not JSON with an empty input', () => {
    const broken: ChatResponse = {
      ...RICH_RESPONSE,
      content: [{ type: 'tool_call', id: 't', name: 'f', arguments: '{"cut": "short' }],
      stopReason: 'max_tokens',
    };
    expect(encodeResponse(broken).content).toEqual([{ type: 'tool_use', id: 't', name: 'f', input: {} }]);
  });

  it('gives unsigned thinking the empty signature ThinkingBlock requires', () => {
    const unsigned: ChatResponse = {
      ...RICH_RESPONSE,
      content: [{ type: 'thinking', text: 'r', signature: null }],
    };
    expect(encodeResponse(unsigned).content).toEqual([{ type: 'thinking', thinking: 'r', signature: '' }]);
  });

  it('writes usage that usageFromAnthropic reads back unchanged', () => {
    expect(usageFromAnthropic(encodeUsage(RICH_RESPONSE.usage))).toEqual(RICH_RESPONSE.usage);
    expect(encodeUsage(RICH_RESPONSE.usage)).toMatchObject({
      input_tokens: 1000,
      cache_creation_input_tokens: 1000,
      cache_read_input_tokens: 3000,
      cache_creation: { ephemeral_5m_input_tokens: 900, ephemeral_1h_input_tokens: 100 },
    });
  });

  it('maps error types to statuses and back', () => {
    expect(errorStatus('overloaded_error')).toBe(529);
    expect(errorStatus('rate_limit_error')).toBe(429);
    expect(errorStatus(42)).toBe(500);
    expect(errorType(529)).toBe('overloaded_error');
    expect(errorType(400)).toBe('invalid_request_error');
    expect(errorType(502)).toBe('api_error');
  });
});
