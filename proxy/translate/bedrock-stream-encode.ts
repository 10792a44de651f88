/**
 * IR stream events -> ConverseStream output events. Reference: Bedrock API Reference
 * "ConverseStreamOutput" and its event shapes. Bedrock sends contentBlockStart only for tool use,
 * reports usage once in the closing metadata event, and ends every stream with that event.
 */
import { ZERO_USAGE, type TokenUsage } from '../../contracts/usage.ts';
import type { StreamEvent } from './ir.ts';
import type { BedrockStreamEvent } from './bedrock-types.ts';
import { exceptionForStatus, stopReasonToBedrock, usageToBedrock } from './bedrock-usage.ts';

interface EncodeState {
  started: boolean;
  startedAt: number;
  usage: TokenUsage;
  /** IR block index -> contentBlockIndex, numbered from 0 in order of appearance as Bedrock does. */
  indexes: Map<number, number>;
  open: Set<number>;
}

export function createBedrockStreamEncoder(): (event: StreamEvent) => BedrockStreamEvent[] {
  const state: EncodeState = {
    started: false,
    startedAt: Date.now(),
    usage: { ...ZERO_USAGE },
    indexes: new Map(),
    open: new Set(),
  };
  return (event) => {
    if (event.type === 'error') return [exceptionEvent(event.status, event.message)];
    if (event.type === 'start') state.startedAt = Date.now();
    const frames = encodeEvent(event, state);
    if (state.started || (frames.length === 0 && event.type !== 'start')) return frames;
    state.started = true;
    return [{ messageStart: { role: 'assistant' } }, ...frames];
  };
}

function exceptionEvent(status: number, message: string): BedrockStreamEvent {
  const name = exceptionForStatus(status);
  return { [name]: { message } } as BedrockStreamEvent;
}

function encodeEvent(
  event: Exclude<StreamEvent, { type: 'error' }>,
  state: EncodeState,
): BedrockStreamEvent[] {
  switch (event.type) {
    case 'start':
      return [];
    case 'text_delta':
      return [delta(state, event.index, { text: event.text })];
    case 'thinking_delta':
      return [delta(state, event.index, { reasoningContent: { text: event.text } })];
    case 'thinking_signature':
      return [delta(state, event.index, { reasoningContent: { signature: event.signature } })];
    case 'tool_call_start': {
      const start = { toolUse: { toolUseId: event.id, name: event.name } };
      return [{ contentBlockStart: { contentBlockIndex: wire(state, event.index), start } }];
    }
    case 'tool_call_delta':
      return [delta(state, event.index, { toolUse: { input: event.arguments } })];
    case 'block_stop':
      return stop(state, event.index);
    case 'usage':
      state.usage = mergeUsage(state.usage, event.usage);
      return [];
    case 'finish':
      return finish(state, event.stopReason, event.stopSequence);
    case 'end':
      return [metadataEvent(state)];
  }
}

function wire(state: EncodeState, index: number): number {
  let at = state.indexes.get(index);
  if (at === undefined) {
    at = state.indexes.size;
    state.indexes.set(index, at);
    state.open.add(index);
  }
  return at;
}

function delta(
  state: EncodeState,
  index: number,
  body: Extract<BedrockStreamEvent, { contentBlockDelta: unknown }>['contentBlockDelta']['delta'],
): BedrockStreamEvent {
  return { contentBlockDelta: { contentBlockIndex: wire(state, index), delta: body } };
}

function stop(state: EncodeState, index: number): BedrockStreamEvent[] {
  if (!state.open.delete(index)) return [];
  return [{ contentBlockStop: { contentBlockIndex: wire(state, index) } }];
}

function finish(
  state: EncodeState,
  reason: Parameters<typeof stopReasonToBedrock>[0],
  sequence: string | null,
) {
  const frames: BedrockStreamEvent[] = [...state.open].flatMap((index) => stop(state, index));
  const messageStop: { stopReason: string; additionalModelResponseFields?: Record<string, unknown> } = {
    stopReason: stopReasonToBedrock(reason),
  };
  if (sequence !== null) messageStop.additionalModelResponseFields = { stop_sequence: sequence };
  frames.push({ messageStop });
  return frames;
}

/** Later usage replaces earlier usage field by field, as the IR prescribes. */
function mergeUsage(usage: TokenUsage, update: Partial<TokenUsage>): TokenUsage {
  const merged = { ...usage };
  for (const [key, value] of Object.entries(update) as Array<[keyof TokenUsage, number | undefined]>) {
    if (typeof value === 'number') merged[key] = value;
  }
  return merged;
}

/** latencyMs is what the proxy measured from `start` to `end`: the IR carries Bedrock's own figure nowhere. */
function metadataEvent(state: EncodeState): BedrockStreamEvent {
  const latencyMs = Math.max(0, Date.now() - state.startedAt);
  return { metadata: { usage: usageToBedrock(state.usage), metrics: { latencyMs } } };
}
