/**
 * ConverseStream output events -> IR stream events. Reference: Bedrock API Reference
 * "ConverseStreamOutput", "ContentBlockStartEvent", "ContentBlockDeltaEvent", "ContentBlockDelta",
 * "ReasoningContentBlockDelta", "MessageStopEvent", "ConverseStreamMetadataEvent". Order on the wire:
 * messageStart, then per block [contentBlockStart] contentBlockDelta* contentBlockStop, then
 * messageStop and metadata (usage) last; text and reasoning blocks come without a start event.
 */
import { isRecord, stringField } from '../../common/json.ts';
import type { StreamEvent } from './ir.ts';
import type { BedrockExceptionName, BedrockStreamEvent } from './bedrock-types.ts';
import { newBedrockId, nowSeconds, stopSequenceOf } from './bedrock-response.ts';
import { EXCEPTION_STATUS, stopReasonFromBedrock, usageFromBedrock } from './bedrock-usage.ts';

type BlockKind = 'text' | 'thinking' | 'tool';

interface Block {
  index: number;
  kind: BlockKind;
  closed: boolean;
}

interface DecodeState {
  started: boolean;
  /** By Bedrock contentBlockIndex; IR indexes are given in order of appearance. */
  blocks: Map<number, Block>;
}

export function createBedrockStreamDecoder(): (frame: BedrockStreamEvent) => StreamEvent[] {
  const state: DecodeState = { started: false, blocks: new Map() };
  return (frame) => decodeFrame(frame as unknown, state);
}

function decodeFrame(frame: unknown, state: DecodeState): StreamEvent[] {
  if (!isRecord(frame)) return [];
  const exception = exceptionOf(frame);
  if (exception !== null) return [exception];
  const events: StreamEvent[] = [];
  if (isRecord(frame.messageStart)) return ensureStarted(state, events);
  if (isRecord(frame.contentBlockStart)) events.push(...blockStart(frame.contentBlockStart, state));
  else if (isRecord(frame.contentBlockDelta)) events.push(...blockDelta(frame.contentBlockDelta, state));
  else if (isRecord(frame.contentBlockStop))
    events.push(...blockStop(frame.contentBlockStop.contentBlockIndex, state));
  else if (isRecord(frame.messageStop)) events.push(...messageStop(frame.messageStop, state));
  else if (isRecord(frame.metadata)) events.push(...metadata(frame.metadata));
  // A stream whose messageStart went missing still opens with `start` for the IR's consumers.
  return events.length > 0 ? ensureStarted(state, events) : events;
}

function ensureStarted(state: DecodeState, events: StreamEvent[]): StreamEvent[] {
  if (state.started) return events;
  state.started = true;
  return [{ type: 'start', id: newBedrockId(), model: '', created: nowSeconds() }, ...events];
}

function exceptionOf(frame: Record<string, unknown>): StreamEvent | null {
  for (const [name, status] of Object.entries(EXCEPTION_STATUS)) {
    const body = frame[name as BedrockExceptionName];
    if (body === undefined) continue;
    const message = stringField(body, 'message') ?? stringField(body, 'originalMessage') ?? name;
    return { type: 'error', status, message };
  }
  return null;
}

function wireIndex(value: unknown): number | null {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0 ? value : null;
}

function openBlock(state: DecodeState, at: number, kind: BlockKind): Block {
  const block: Block = { index: state.blocks.size, kind, closed: false };
  state.blocks.set(at, block);
  return block;
}

/** Only tool blocks have start information; other starts wait for their first delta. */
function blockStart(event: Record<string, unknown>, state: DecodeState): StreamEvent[] {
  const at = wireIndex(event.contentBlockIndex);
  const toolUse = isRecord(event.start) ? event.start.toolUse : undefined;
  const id = stringField(toolUse, 'toolUseId');
  const name = stringField(toolUse, 'name');
  if (at === null || state.blocks.has(at) || id === null || name === null) return [];
  return [{ type: 'tool_call_start', index: openBlock(state, at, 'tool').index, id, name }];
}

function blockDelta(event: Record<string, unknown>, state: DecodeState): StreamEvent[] {
  const at = wireIndex(event.contentBlockIndex);
  const delta = event.delta;
  if (at === null || !isRecord(delta)) return [];
  const known = state.blocks.get(at);
  if (known?.closed) return [];
  if (typeof delta.text === 'string') {
    const block = known ?? openBlock(state, at, 'text');
    return block.kind === 'text' ? [{ type: 'text_delta', index: block.index, text: delta.text }] : [];
  }
  const input = stringField(delta.toolUse, 'input');
  if (input !== null) {
    return known?.kind === 'tool' ? [{ type: 'tool_call_delta', index: known.index, arguments: input }] : [];
  }
  return isRecord(delta.reasoningContent) ? reasoningDelta(delta.reasoningContent, known, at, state) : [];
}

/** Redacted reasoning has no IR stream event, so its deltas are dropped. */
function reasoningDelta(
  delta: Record<string, unknown>,
  known: Block | undefined,
  at: number,
  state: DecodeState,
): StreamEvent[] {
  const text = stringField(delta, 'text');
  const signature = stringField(delta, 'signature');
  if (text === null && signature === null) return [];
  const block = known ?? openBlock(state, at, 'thinking');
  if (block.kind !== 'thinking') return [];
  if (text !== null) return [{ type: 'thinking_delta', index: block.index, text }];
  return [{ type: 'thinking_signature', index: block.index, signature: signature ?? '' }];
}

function blockStop(value: unknown, state: DecodeState): StreamEvent[] {
  const at = wireIndex(value);
  const block = at === null ? undefined : state.blocks.get(at);
  if (block === undefined || block.closed) return [];
  block.closed = true;
  return [{ type: 'block_stop', index: block.index }];
}

/** Blocks still open when the message stops are closed first, so the IR sequence stays well formed. */
function messageStop(event: Record<string, unknown>, state: DecodeState): StreamEvent[] {
  const events: StreamEvent[] = [];
  for (const [at] of state.blocks) events.push(...blockStop(at, state));
  events.push({
    type: 'finish',
    stopReason: stopReasonFromBedrock(event.stopReason),
    stopSequence: stopSequenceOf(event.additionalModelResponseFields),
  });
  return events;
}

/** Bedrock's last event: usage, then the stream is complete. */
function metadata(event: Record<string, unknown>): StreamEvent[] {
  const usage = usageFromBedrock(event.usage);
  return usage === null ? [{ type: 'end' }] : [{ type: 'usage', usage }, { type: 'end' }];
}
