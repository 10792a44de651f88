import { roleOf } from './format.ts';
import { isRecord, type CompressibleEndpoint } from './types.ts';

/**
 * Splits a conversation into turns that can be dropped as a whole without breaking the
 * providers' pairing rules. A turn is one message, grown to keep together:
 * - chat: an assistant message with tool_calls and the tool (or legacy function) messages after it;
 * - messages: an assistant message with tool_use blocks and the user message with the tool_result
 *   blocks that must follow it;
 * - responses: every item from a call to its output with the same call_id (parallel calls
 *   interleave, so overlapping spans merge), and reasoning items with the item after them,
 *   since a function_call sent without its reasoning item is rejected.
 */

export interface Turn {
  start: number;
  /** Exclusive. */
  end: number;
  /** System or developer instructions, the task statement, or one of the most recent turns. */
  protected: boolean;
}

const INSTRUCTION_ROLES = new Set(['system', 'developer']);

function hasToolResult(message: unknown): boolean {
  return (
    isRecord(message) &&
    Array.isArray(message['content']) &&
    message['content'].some((block) => isRecord(block) && block['type'] === 'tool_result')
  );
}

function responsesLinks(items: readonly unknown[], joinNext: boolean[]): void {
  const firstSeen = new Map<string, number>();
  items.forEach((item, index) => {
    if (!isRecord(item)) return;
    if (item['type'] === 'reasoning' && index + 1 < items.length) joinNext[index] = true;
    const callId = item['call_id'];
    if (typeof callId !== 'string') return;
    const first = firstSeen.get(callId);
    if (first === undefined) firstSeen.set(callId, index);
    else for (let at = first; at < index; at += 1) joinNext[at] = true;
  });
}

/** joinNext[i]: entries i and i + 1 must stay in the same turn. */
function pairingLinks(endpoint: CompressibleEndpoint, messages: readonly unknown[]): boolean[] {
  const joinNext = new Array<boolean>(messages.length).fill(false);
  if (endpoint === 'responses') {
    responsesLinks(messages, joinNext);
    return joinNext;
  }
  messages.forEach((message, index) => {
    if (index === 0) return;
    const role = roleOf(message);
    const isResult = endpoint === 'chat' ? role === 'tool' || role === 'function' : hasToolResult(message);
    if (isResult) joinNext[index - 1] = true;
  });
  return joinNext;
}

export function buildTurns(
  endpoint: CompressibleEndpoint,
  messages: readonly unknown[],
  keepRecentTurns: number,
): Turn[] {
  const joinNext = pairingLinks(endpoint, messages);
  const turns: Turn[] = [];
  let start = 0;
  for (let index = 0; index < messages.length; index += 1) {
    if (joinNext[index] && index + 1 < messages.length) continue;
    turns.push({ start, end: index + 1, protected: false });
    start = index + 1;
  }
  protectTurns(messages, turns, keepRecentTurns);
  return turns;
}

function protectTurns(messages: readonly unknown[], turns: Turn[], keepRecentTurns: number): void {
  const roles = (turn: Turn) => messages.slice(turn.start, turn.end).map(roleOf);
  let taskFound = false;
  const conversational: Turn[] = [];
  for (const turn of turns) {
    const turnRoles = roles(turn);
    if (turnRoles.some((role) => INSTRUCTION_ROLES.has(role))) turn.protected = true;
    else conversational.push(turn);
    if (!taskFound && turnRoles.includes('user')) {
      turn.protected = true;
      taskFound = true;
    }
  }
  for (const turn of conversational.slice(Math.max(0, conversational.length - keepRecentTurns))) {
    turn.protected = true;
  }
}
