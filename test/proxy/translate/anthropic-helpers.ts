/** Shared loaders for the Anthropic codec tests: fixtures, SSE frames and whole-stream runs. */
import { readFileSync } from 'node:fs';
import { anthropicCodec } from '../../../proxy/translate/anthropic.ts';
import type { ChatRequest, SseFrame, StreamEvent } from '../../../proxy/translate/ir.ts';

const FIXTURES = new URL('./fixtures/anthropic/', import.meta.url);

export function fixture(name: string): Record<string, unknown> {
  return JSON.parse(readFileSync(new URL(name, FIXTURES), 'utf8')) as Record<string, unknown>;
}

export interface StreamFixture {
  frames: Array<{ event: string; data: Record<string, unknown> }>;
  response?: Record<string, unknown>;
}

export function streamFixture(name: string): StreamFixture {
  return fixture(name) as unknown as StreamFixture;
}

export function toFrames(stream: StreamFixture): SseFrame[] {
  return stream.frames.map((f) => ({ event: f.event, data: JSON.stringify(f.data) }));
}

export function decodeStream(frames: SseFrame[]): StreamEvent[] {
  const decode = anthropicCodec.streamDecoder();
  return frames.flatMap((f) => decode(f));
}

export function encodeStream(events: StreamEvent[]): SseFrame[] {
  const encode = anthropicCodec.streamEncoder();
  return events.flatMap((e) => encode(e));
}

/** The decoder stamps start.created with the time it ran: pin it so runs compare. */
export function pinCreated(events: StreamEvent[]): StreamEvent[] {
  return events.map((e) => (e.type === 'start' ? { ...e, created: 0 } : e));
}

export function parsedFrames(frames: SseFrame[]): Array<{ event: string | null; data: unknown }> {
  return frames.map((f) => ({ event: f.event, data: JSON.parse(f.data) as unknown }));
}

export function sseText(frames: SseFrame[]): string {
  return frames.map((f) => `event: ${f.event ?? 'message'}\ndata: ${f.data}\n\n`).join('');
}

/** A deep copy without the listed keys at any depth: the fields a round trip deliberately drops. */
export function without(value: unknown, keys: string[]): unknown {
  if (Array.isArray(value)) return value.map((item) => without(item, keys));
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([key]) => !keys.includes(key))
      .map(([key, item]) => [key, without(item, keys)]),
  );
}

/** A minimal valid IR request; tests override what they exercise. */
export function baseRequest(overrides: Partial<ChatRequest> = {}): ChatRequest {
  return {
    model: 'claude-sonnet-4-5-20250929',
    system: [],
    messages: [{ role: 'user', content: [{ type: 'text', text: 'Hello' }] }],
    tools: [],
    toolChoice: null,
    parallelToolCalls: null,
    maxTokens: 1024,
    temperature: null,
    topP: null,
    topK: null,
    stop: [],
    stream: false,
    responseFormat: null,
    thinkingBudget: null,
    user: null,
    ...overrides,
  };
}

export const WEATHER_TOOL = {
  name: 'get_weather',
  description: 'Get the current weather in a given location',
  parameters: { type: 'object', properties: { location: { type: 'string' } }, required: ['location'] },
};
