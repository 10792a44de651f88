import type { ApiFlavor, Endpoint } from '../../contracts/usage.ts';
import type { ProviderKind } from '../config/schema.ts';
import { bedrockSseCodec } from '../upstream/bedrock-sse.ts';
import { anthropicCodec } from './anthropic.ts';
import { bedrockPath } from './bedrock.ts';
import { geminiCodec, geminiPath } from './gemini.ts';
import type { WireCodec } from './ir.ts';
import { openaiChatCodec } from './openai-chat.ts';

/** The chat wire formats a proxied request can be translated between. */
export type ChatWire = 'openai-chat' | 'anthropic' | 'gemini' | 'bedrock';

/** The wire a client request is written in, or null for endpoints that have no counterpart elsewhere. */
export function clientWire(api: ApiFlavor, endpoint: Endpoint): ChatWire | null {
  if (api === 'anthropic') return endpoint === 'messages' ? 'anthropic' : null;
  return endpoint === 'chat' ? 'openai-chat' : null;
}

/** Every provider kind but Anthropic, Gemini and Bedrock speaks OpenAI chat (Azure and the presets included). */
export function providerWire(kind: ProviderKind): ChatWire {
  if (kind === 'anthropic' || kind === 'gemini' || kind === 'bedrock') return kind;
  return 'openai-chat';
}

const CODECS: Record<ChatWire, WireCodec> = {
  'openai-chat': openaiChatCodec,
  anthropic: anthropicCodec,
  gemini: geminiCodec,
  // Bedrock's stream reaches the relay as SSE frames written by the Bedrock target (upstream/bedrock-sse.ts).
  bedrock: bedrockSseCodec,
};

export function codecOf(wire: ChatWire): WireCodec {
  return CODECS[wire];
}

/** Where a translated request goes, relative to the provider's base path. */
export function translatedPath(wire: ChatWire, model: string, stream: boolean): string {
  if (wire === 'gemini') return geminiPath(model, stream);
  if (wire === 'bedrock') return bedrockPath(model, stream);
  return wire === 'anthropic' ? '/messages' : '/chat/completions';
}

/**
 * What a request needs on its way to a provider: nothing (same wire), a translation between two
 * chat wires, or nothing possible (e.g. embeddings sent to an Anthropic model).
 */
export type Passage =
  { kind: 'same' } | { kind: 'translate'; from: ChatWire; to: ChatWire } | { kind: 'none' };

export function passageFor(api: ApiFlavor, endpoint: Endpoint, kind: ProviderKind): Passage {
  const to = providerWire(kind);
  // No client speaks Gemini or Bedrock, so requests to them are always translated.
  if (to !== 'gemini' && to !== 'bedrock' && (to === 'anthropic') === (api === 'anthropic'))
    return { kind: 'same' };
  const from = clientWire(api, endpoint);
  return from ? { kind: 'translate', from, to } : { kind: 'none' };
}
