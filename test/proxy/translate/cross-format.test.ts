// Translation between formats, through the IR: what an OpenAI client sends reaches Bedrock intact,
// and what Bedrock streams back reaches the OpenAI client as an equivalent stream.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bedrockCodec, type BedrockStreamEvent } from '../../../proxy/translate/bedrock.ts';
import { anthropicCodec } from '../../../proxy/translate/anthropic.ts';
import type { ChatMessage, SseFrame, StreamEvent } from '../../../proxy/translate/ir.ts';
import { openaiChatCodec } from '../../../proxy/translate/openai-chat.ts';

const fixture = (path: string): unknown =>
  JSON.parse(readFileSync(join(import.meta.dirname, 'fixtures', path), 'utf8'));

function parsedArguments(messages: ChatMessage[]): unknown {
  return messages.map((message) => ({
    ...message,
    content: message.content.map((part) =>
      part.type === 'tool_call' ? { ...part, arguments: JSON.parse(part.arguments) as unknown } : part,
    ),
  }));
}

interface Accumulated {
  text: string;
  tools: Array<{ id: string; name: string; arguments: string }>;
  usage: Record<string, number>;
  stop: string | null;
}

function accumulate(events: StreamEvent[]): Accumulated {
  const out: Accumulated = { text: '', tools: [], usage: {}, stop: null };
  const byIndex = new Map<number, { id: string; name: string; arguments: string }>();
  for (const event of events) {
    if (event.type === 'text_delta') out.text += event.text;
    if (event.type === 'tool_call_start') {
      const call = { id: event.id, name: event.name, arguments: '' };
      byIndex.set(event.index, call);
      out.tools.push(call);
    }
    if (event.type === 'tool_call_delta') byIndex.get(event.index)!.arguments += event.arguments;
    if (event.type === 'usage') Object.assign(out.usage, event.usage);
    if (event.type === 'finish') out.stop = event.stopReason;
  }
  return out;
}

describe('OpenAI client, Bedrock provider', () => {
  it('carries system prompt, tool history, tools and sampling into a Converse request and back', () => {
    const original = fixture('openai-chat/request-tools.json');
    const ir = openaiChatCodec.decodeRequest(original);
    const converse = bedrockCodec.encodeRequest(ir) as {
      system: Array<{ text: string }>;
      messages: Array<{ role: string; content: Array<Record<string, unknown>> }>;
      toolConfig: { tools: Array<{ toolSpec: { name: string } }>; toolChoice: unknown };
      inferenceConfig: Record<string, unknown>;
    };
    expect(converse.system).toEqual([{ text: 'You are a weather bot.' }]);
    expect(converse.messages.map((m) => m.role)).toEqual(['user', 'assistant', 'user', 'assistant', 'user']);
    const toolUses = converse.messages[1]!.content.map((block) => block.toolUse as { toolUseId: string });
    const toolResults = converse.messages[2]!.content.map(
      (block) => block.toolResult as { toolUseId: string },
    );
    expect(toolResults.map((r) => r.toolUseId)).toEqual(toolUses.map((u) => u.toolUseId));
    expect(converse.toolConfig.tools.map((t) => t.toolSpec.name)).toEqual(['get_current_weather']);
    expect(converse.toolConfig.toolChoice).toEqual({ tool: { name: 'get_current_weather' } });
    expect(converse.inferenceConfig).toMatchObject({ maxTokens: 1024, temperature: 0.2, topP: 0.9 });

    const back = bedrockCodec.decodeRequest(converse, { model: ir.model });
    // Bedrock carries tool input as an object, so only the arguments' whitespace may change.
    expect(parsedArguments(back.messages)).toEqual(parsedArguments(ir.messages));
    expect(back.tools).toEqual(ir.tools);
    expect(back.system).toEqual(ir.system);
  });

  it('rebuilds a Bedrock tool-use stream as an OpenAI chunk stream, chunk by chunk', () => {
    const frames = fixture('bedrock/stream-tool.json') as BedrockStreamEvent[];
    const decode = bedrockCodec.streamDecoder();
    const events = frames.flatMap((frame) => decode(frame));
    const encode = openaiChatCodec.streamEncoder({ includeUsage: true });
    const sse = events.flatMap((event) => encode(event));
    expect(sse.at(-1)!.data).toBe('[DONE]');
    // Every chunk is valid JSON of the chat.completion.chunk shape before [DONE].
    for (const frame of sse.slice(0, -1))
      expect(JSON.parse(frame.data)).toHaveProperty('object', 'chat.completion.chunk');
    const redecode = openaiChatCodec.streamDecoder();
    const seenByClient = accumulate(sse.flatMap((frame) => redecode(frame)));
    const fromBedrock = accumulate(events);
    expect(seenByClient.tools).toEqual(fromBedrock.tools);
    expect(seenByClient.tools[0]).toMatchObject({ name: 'top_song', arguments: '{"sign": "WZPZ"}' });
    expect(seenByClient.text).toBe(fromBedrock.text);
    expect(seenByClient.stop).toBe('tool_use');
    // Bedrock's inputTokens excludes cache reads; the client sees the whole prompt, as OpenAI counts it.
    expect(seenByClient.usage).toMatchObject({
      inputTokens: 1522,
      cachedInputTokens: 1500,
      outputTokens: 112,
    });
  });
});

describe('Bedrock answers for an OpenAI client', () => {
  it('turns a Converse response into a chat completion with the same text, tool calls and usage', () => {
    const response = bedrockCodec.decodeResponse(fixture('bedrock/response-tool.json'));
    const completion = openaiChatCodec.encodeResponse({
      ...response,
      model: 'anthropic.claude-sonnet-4',
    }) as {
      object: string;
      model: string;
      choices: Array<{
        finish_reason: string;
        message: { tool_calls?: Array<{ function: { name: string } }> };
      }>;
      usage: { prompt_tokens: number; completion_tokens: number };
    };
    expect(completion).toMatchObject({ object: 'chat.completion', model: 'anthropic.claude-sonnet-4' });
    expect(completion.choices[0]!.finish_reason).toBe('tool_calls');
    const again = openaiChatCodec.decodeResponse(completion);
    expect(again.content.filter((p) => p.type === 'tool_call')).toEqual(
      response.content.filter((p) => p.type === 'tool_call'),
    );
    expect(again.usage.inputTokens).toBe(response.usage.inputTokens);
    expect(again.usage.outputTokens).toBe(response.usage.outputTokens);
  });
});

describe('OpenAI client, Anthropic provider (and back)', () => {
  it('moves the system prompt out of the messages and supplies the max_tokens Anthropic requires', () => {
    const ir = openaiChatCodec.decodeRequest(fixture('openai-chat/request-tools.json'));
    const body = anthropicCodec.encodeRequest({ ...ir, model: 'claude-sonnet-4-5' }) as {
      system: unknown;
      messages: Array<{ role: string; content: unknown }>;
      max_tokens: number;
      tools: Array<{ name: string; input_schema: unknown }>;
      tool_choice: unknown;
    };
    expect(JSON.stringify(body.system)).toContain('You are a weather bot.');
    expect(body.messages.every((m) => m.role === 'user' || m.role === 'assistant')).toBe(true);
    expect(body.max_tokens).toBe(1024);
    expect(body.tools[0]).toMatchObject({ name: 'get_current_weather', input_schema: { type: 'object' } });
    expect(body.tool_choice).toMatchObject({ type: 'tool', name: 'get_current_weather' });
    const back = anthropicCodec.decodeRequest(body);
    expect(parsedArguments(back.messages)).toEqual(parsedArguments(ir.messages));
  });

  it('turns an Anthropic tool-use stream into OpenAI chunks an OpenAI client accumulates the same way', () => {
    const transcript = fixture('anthropic/stream-tool-use.json') as {
      frames: Array<{ event: string; data: unknown }>;
    };
    const frames: SseFrame[] = transcript.frames.map((f) => ({
      event: f.event,
      data: JSON.stringify(f.data),
    }));
    const decode = anthropicCodec.streamDecoder();
    const events = frames.flatMap((frame) => decode(frame));
    const encode = openaiChatCodec.streamEncoder({ includeUsage: true });
    const redecode = openaiChatCodec.streamDecoder();
    const seen = accumulate(events.flatMap((event) => encode(event)).flatMap((frame) => redecode(frame)));
    const original = accumulate(events);
    expect(seen.tools).toEqual(original.tools);
    expect(seen.text).toBe(original.text);
    expect(seen.stop).toBe('tool_use');
    expect(seen.usage.inputTokens).toBe(original.usage.inputTokens);
    expect(seen.usage.outputTokens).toBe(original.usage.outputTokens);
  });

  it('answers an Anthropic client from an OpenAI completion', () => {
    const response = openaiChatCodec.decodeResponse(fixture('openai-chat/response-tool-calls.json'));
    const message = anthropicCodec.encodeResponse(response) as { type: string; stop_reason: string };
    expect(message).toMatchObject({ type: 'message', stop_reason: 'tool_use' });
    const again = anthropicCodec.decodeResponse(message);
    expect(parsedArguments([{ role: 'assistant', content: again.content }])).toEqual(
      parsedArguments([{ role: 'assistant', content: response.content }]),
    );
    expect(again.usage).toEqual(response.usage);
  });
});
