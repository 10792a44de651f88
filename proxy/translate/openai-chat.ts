/**
 * The OpenAI Chat Completions wire format (POST /v1/chat/completions), also spoken by most
 * OpenAI-compatible servers (Groq, DeepSeek, vLLM, OpenRouter, Ollama, ...).
 *
 * References: OpenAI API reference, "Chat Completions" (create, the chat completion object, the
 * chat completion chunk object, stream_options.include_usage), checked against the request,
 * response and chunk types of the `openai` npm package (resources/chat/completions) and its
 * ChatCompletionStream accumulator (lib/ChatCompletionStream), which the stream encoder must
 * satisfy. Reasoning text follows DeepSeek's `reasoning_content` and OpenRouter's `reasoning`.
 *
 * Supported and dropped fields are listed in each half: openai-chat-request.ts (request body),
 * openai-chat-messages*.ts (messages), openai-chat-tools.ts (tools), openai-chat-response.ts
 * (response) and openai-chat-stream-*.ts (stream).
 */
import type { WireCodec } from './ir.ts';
import { decodeChatRequest, encodeChatRequest } from './openai-chat-request.ts';
import { decodeChatResponse, encodeChatResponse } from './openai-chat-response.ts';
import { openaiChatStreamDecoder } from './openai-chat-stream-decode.ts';
import { openaiChatStreamEncoder } from './openai-chat-stream-encode.ts';

export const openaiChatCodec: WireCodec = {
  decodeRequest: decodeChatRequest,
  encodeRequest: encodeChatRequest,
  decodeResponse: decodeChatResponse,
  encodeResponse: encodeChatResponse,
  streamDecoder: openaiChatStreamDecoder,
  streamEncoder: openaiChatStreamEncoder,
};
