import type { ApiFlavor, Endpoint } from '../../contracts/usage.ts';
import type { ProviderKind } from '../config/schema.ts';
import { anthropicCodec } from './anthropic.ts';
import type { WireCodec } from './ir.ts';
import { openaiChatCodec } from './openai-chat.ts';

/** The chat wire formats a proxied request can be translated between. */
export type ChatWire = 'openai-chat' | 'anthropic';

/** The wire a client request is written in, or null for endpoints that have no counterpart elsewhere. */
export function clientWire(api: ApiFlavor, endpoint: Endpoint): ChatWire | null {
  if (api === 'anthropic') return endpoint === 'messages' ? 'anthropic' : null;
  return endpoint === 'chat' ? 'openai-chat' : null;
}

/** Every provider kind but Anthropic speaks OpenAI chat (Azure and the presets included). */
export function providerWire(kind: ProviderKind): ChatWire {
  return kind === 'anthropic' ? 'anthropic' : 'openai-chat';
}

export function codecOf(wire: ChatWire): WireCodec {
  return wire === 'anthropic' ? anthropicCodec : openaiChatCodec;
}

/** The endpoint the provider is called at when a request is translated into its wire. */
export function endpointOf(wire: ChatWire): Endpoint {
  return wire === 'anthropic' ? 'messages' : 'chat';
}

/**
 * What a request needs on its way to a provider: nothing (same wire), a translation between two
 * chat wires, or nothing possible (e.g. embeddings sent to an Anthropic model).
 */
export type Passage =
  { kind: 'same' } | { kind: 'translate'; from: ChatWire; to: ChatWire } | { kind: 'none' };

export function passageFor(api: ApiFlavor, endpoint: Endpoint, kind: ProviderKind): Passage {
  const speaksAnthropic = kind === 'anthropic';
  if (speaksAnthropic === (api === 'anthropic')) return { kind: 'same' };
  const from = clientWire(api, endpoint);
  return from ? { kind: 'translate', from, to: providerWire(kind) } : { kind: 'none' };
}
