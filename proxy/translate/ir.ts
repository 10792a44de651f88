/**
 * The provider-neutral shape of one chat request, its answer and its stream, through which every
 * wire format (OpenAI chat, Anthropic messages, Gemini generateContent, Bedrock Converse) is
 * translated: N codecs instead of N² translators. It keeps what any of the four can express and a
 * client may rely on (system prompts, images, tool calls, thinking, stop reasons, usage); anything a
 * target format cannot carry is dropped by its encoder, never silently invented.
 */
import type { TokenUsage } from '../../contracts/usage.ts';

export interface TextPart {
  type: 'text';
  text: string;
  /** The client marked a prompt-cache breakpoint after this part (Anthropic cache_control, Bedrock cachePoint). */
  cacheBreakpoint?: boolean;
}

export type ImageSource = { kind: 'url'; url: string } | { kind: 'base64'; mediaType: string; data: string };

export interface ImagePart {
  type: 'image';
  source: ImageSource;
}

export interface ToolCallPart {
  type: 'tool_call';
  /** Provider-issued id; formats without ids (Gemini) get a generated one, stable within the exchange. */
  id: string;
  name: string;
  /** The arguments as JSON text, exactly as the model produced them. */
  arguments: string;
}

export interface ToolResultPart {
  type: 'tool_result';
  toolCallId: string;
  /** Gemini matches results by function name, not id, so the name travels with the result. */
  name: string | null;
  content: Array<TextPart | ImagePart>;
  isError: boolean;
}

export interface ThinkingPart {
  type: 'thinking';
  text: string;
  /** Anthropic/Bedrock signature that must be sent back unchanged with the thinking block. */
  signature: string | null;
  /** Redacted thinking (opaque data), kept only to be returned to the same provider family. */
  redacted?: string;
}

export type ContentPart = TextPart | ImagePart | ToolCallPart | ToolResultPart | ThinkingPart;

export interface ChatMessage {
  role: 'user' | 'assistant';
  content: ContentPart[];
}

export interface ToolDefinition {
  name: string;
  description: string | null;
  /** JSON Schema of the arguments (an object schema). */
  parameters: Record<string, unknown>;
}

export type ToolChoice =
  { type: 'auto' } | { type: 'none' } | { type: 'required' } | { type: 'tool'; name: string };

export type ResponseFormat =
  | { type: 'text' }
  | { type: 'json_object' }
  | { type: 'json_schema'; name: string; schema: Record<string, unknown>; strict: boolean };

export interface ChatRequest {
  model: string;
  /** System and developer instructions, in order. */
  system: TextPart[];
  messages: ChatMessage[];
  tools: ToolDefinition[];
  toolChoice: ToolChoice | null;
  parallelToolCalls: boolean | null;
  maxTokens: number | null;
  temperature: number | null;
  topP: number | null;
  topK: number | null;
  stop: string[];
  stream: boolean;
  responseFormat: ResponseFormat | null;
  /** Extended thinking budget in tokens (Anthropic thinking, Gemini thinkingBudget); null when off. */
  thinkingBudget: number | null;
  /** The end user, for providers that take one (OpenAI user, Anthropic metadata.user_id). */
  user: string | null;
}

/** Why generation stopped, in one vocabulary; each codec maps its own values to and from it. */
export type StopReason =
  'end_turn' | 'max_tokens' | 'stop_sequence' | 'tool_use' | 'content_filter' | 'refusal';

export interface ChatResponse {
  id: string;
  model: string;
  /** Text, tool calls and thinking, in the order the model produced them. */
  content: Array<TextPart | ToolCallPart | ThinkingPart>;
  stopReason: StopReason;
  /** The stop sequence that ended generation, when the provider reports it. */
  stopSequence: string | null;
  usage: TokenUsage;
  /** Unix seconds. */
  created: number;
}

/**
 * One step of a streamed answer. Content blocks are numbered in order of appearance; a block is
 * text, thinking or one tool call, and ends with `block_stop`. Usage may arrive in several events
 * (Anthropic sends input tokens first and output tokens last); later values replace earlier ones
 * field by field.
 */
export type StreamEvent =
  | { type: 'start'; id: string; model: string; created: number }
  | { type: 'text_delta'; index: number; text: string }
  | { type: 'thinking_delta'; index: number; text: string }
  | { type: 'thinking_signature'; index: number; signature: string }
  | { type: 'tool_call_start'; index: number; id: string; name: string }
  | { type: 'tool_call_delta'; index: number; arguments: string }
  | { type: 'block_stop'; index: number }
  | { type: 'usage'; usage: Partial<TokenUsage> }
  | { type: 'finish'; stopReason: StopReason; stopSequence: string | null }
  | { type: 'error'; status: number; message: string }
  /** The stream is complete (OpenAI `[DONE]`, Anthropic `message_stop`, Bedrock `metadata`, Gemini's last chunk). */
  | { type: 'end' };

/** A request the target format cannot express, or a malformed one: the client gets a 400 naming `param`. */
export class TranslationError extends Error {
  readonly param: string | null;

  constructor(message: string, param: string | null = null) {
    super(message);
    this.name = 'TranslationError';
    this.param = param;
  }
}

/** One server-sent event as read from or written to the wire. */
export interface SseFrame {
  event: string | null;
  data: string;
}

/**
 * A wire format. Decoders accept what the format's clients and servers send (lenient, defensive:
 * untyped JSON in, TranslationError on what cannot be understood); encoders produce exactly what
 * the format's reference documents.
 */
export interface DecodeHints {
  /** Formats that carry the model in the URL (Gemini, Bedrock) get it here. */
  model?: string;
  /** Formats that choose streaming by endpoint (Gemini streamGenerateContent, Bedrock ConverseStream). */
  stream?: boolean;
}

export interface StreamEncodeOptions {
  /** OpenAI: the client asked for a usage chunk (`stream_options.include_usage`). */
  includeUsage?: boolean;
}

export interface WireCodec<Frame = SseFrame> {
  decodeRequest(body: unknown, hints?: DecodeHints): ChatRequest;
  encodeRequest(request: ChatRequest): Record<string, unknown>;
  decodeResponse(body: unknown): ChatResponse;
  encodeResponse(response: ChatResponse): Record<string, unknown>;
  /** Stateful: feed the provider's stream frames in order, get IR events. */
  streamDecoder(): (frame: Frame) => StreamEvent[];
  /** Stateful: feed IR events in order, get the frames this format's clients expect. */
  streamEncoder(options?: StreamEncodeOptions): (event: StreamEvent) => Frame[];
}
