/**
 * chat.completion response body <-> IR ChatResponse. Only choices[0] is read: requests with
 * n > 1 are refused on the way in.
 *
 * Thinking: OpenAI's own models never return reasoning text, but DeepSeek
 * (`message.reasoning_content`) and OpenRouter (`message.reasoning`) do; both decode to an IR
 * thinking part. Encoding drops thinking, since neither field is part of OpenAI's reference
 * (the reasoning token count still travels in usage).
 */
import { isRecord, stringField } from '../../common/json.ts';
import { ZERO_USAGE } from '../../contracts/usage.ts';
import { usageFromOpenAI } from '../usage/openai.ts';
import { TranslationError } from './ir.ts';
import type { ChatResponse, TextPart, ThinkingPart, ToolCallPart } from './ir.ts';
import { encodeUsage, finishFromStop, stopFromFinish, unixSeconds } from './openai-chat-fields.ts';
import { encodeToolCall } from './openai-chat-messages-encode.ts';

type ResponsePart = TextPart | ToolCallPart | ThinkingPart;

export function decodeChatResponse(body: unknown): ChatResponse {
  if (!isRecord(body)) throw new TranslationError('response body must be a JSON object');
  const choice = Array.isArray(body.choices) ? body.choices[0] : undefined;
  if (!isRecord(choice)) throw new TranslationError('response has no choices', 'choices');
  const message = choice.message;
  if (!isRecord(message)) throw new TranslationError('choices[0].message must be an object', 'choices');
  const refused = typeof message.refusal === 'string' && message.refusal !== '';
  const stop = stopFromFinish(choice.finish_reason, choice.stop_reason, refused);
  return {
    id: stringField(body, 'id') ?? '',
    model: stringField(body, 'model') ?? '',
    content: responseContent(message),
    stopReason: stop.stopReason,
    stopSequence: stop.stopSequence,
    usage: usageFromOpenAI(body.usage) ?? { ...ZERO_USAGE },
    created: unixSeconds(body.created),
  };
}

/** Reasoning first, as the model produced it, then the answer (or refusal), then tool calls. */
function responseContent(message: Record<string, unknown>): ResponsePart[] {
  const parts: ResponsePart[] = [];
  const reasoning = stringField(message, 'reasoning_content') || stringField(message, 'reasoning');
  if (reasoning) parts.push({ type: 'thinking', text: reasoning, signature: null });
  parts.push(...responseText(message.content));
  const refusal = stringField(message, 'refusal');
  if (refusal) parts.push({ type: 'text', text: refusal });
  if (Array.isArray(message.tool_calls)) {
    message.tool_calls.forEach((call, k) => {
      const part = responseToolCall(call, `call_${k}`);
      if (part) parts.push(part);
    });
  }
  const legacy = responseToolCall({ function: message.function_call }, 'call_0');
  if (legacy) parts.push(legacy);
  return parts;
}

/** A string, or (some compatible servers) an array of text parts. */
function responseText(content: unknown): TextPart[] {
  if (typeof content === 'string') return content === '' ? [] : [{ type: 'text', text: content }];
  if (!Array.isArray(content)) return [];
  return content.flatMap((part): TextPart[] => {
    const text = stringField(part, 'text');
    return text ? [{ type: 'text', text }] : [];
  });
}

/** Lenient: a call without a function name is skipped; a missing id gets a positional one. */
function responseToolCall(call: unknown, fallbackId: string): ToolCallPart | null {
  if (!isRecord(call) || !isRecord(call.function)) return null;
  const name = stringField(call.function, 'name');
  if (!name) return null;
  const args = call.function.arguments;
  return {
    type: 'tool_call',
    id: stringField(call, 'id') || fallbackId,
    name,
    arguments: typeof args === 'string' ? args : JSON.stringify(args ?? {}),
  };
}

export function encodeChatResponse(response: ChatResponse): Record<string, unknown> {
  return {
    id: response.id,
    object: 'chat.completion',
    created: response.created,
    model: response.model,
    choices: [
      {
        index: 0,
        message: responseMessage(response),
        logprobs: null,
        finish_reason: finishFromStop(response.stopReason),
      },
    ],
    usage: encodeUsage(response.usage),
  };
}

/** A refusal's text goes in message.refusal with null content, as OpenAI returns it. */
function responseMessage(response: ChatResponse): Record<string, unknown> {
  const text = response.content.flatMap((part) => (part.type === 'text' ? [part.text] : [])).join('');
  const calls = response.content.filter((part): part is ToolCallPart => part.type === 'tool_call');
  const refused = response.stopReason === 'refusal';
  const message: Record<string, unknown> = {
    role: 'assistant',
    content: refused || (text === '' && calls.length > 0) ? null : text,
    refusal: refused ? text : null,
  };
  if (calls.length > 0) message.tool_calls = calls.map(encodeToolCall);
  return message;
}
