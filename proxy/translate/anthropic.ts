/**
 * The Anthropic Messages wire format (POST /v1/messages), as a client's format and as a provider's.
 * References: Anthropic API reference "Messages" (https://docs.anthropic.com/en/api/messages),
 * "Streaming Messages" (https://docs.anthropic.com/en/docs/build-with-claude/streaming), "Errors"
 * (https://docs.anthropic.com/en/api/errors), and the types and stream accumulator of @anthropic-ai/sdk
 * (src/resources/messages/messages.ts, src/lib/MessageStream.ts).
 *
 * Deliberately not carried (the IR has no place for them): cache_control TTLs, breakpoints on
 * tools, images and tool_use blocks (a tool_result's moves onto its last text), citations,
 * document / search_result / server-tool blocks and file image sources (refused in requests,
 * skipped in answers), adaptive thinking (refused), output_config.effort, stop_details, container,
 * service_tier, and redacted thinking in streams (the IR stream has no event for it).
 */
import { decodeRequest } from './anthropic-request-decode.ts';
import { encodeRequest } from './anthropic-request-encode.ts';
import { decodeResponse, encodeResponse } from './anthropic-response.ts';
import { createStreamDecoder } from './anthropic-stream-decode.ts';
import { createStreamEncoder } from './anthropic-stream-encode.ts';
import type { WireCodec } from './ir.ts';

export const anthropicCodec: WireCodec = {
  decodeRequest,
  encodeRequest,
  decodeResponse,
  encodeResponse,
  streamDecoder: createStreamDecoder,
  // Anthropic streams always carry usage, so the include-usage option has nothing to switch.
  streamEncoder: () => createStreamEncoder(),
};
