import { estimateMessageTokens, estimatePromptTokens, type TextCounter } from '../tokens.ts';
import { restoreAlternation } from './alternation.ts';
import { describeTurn, noteHeader, noteMessage } from './condense.ts';
import { conversationKey, conversationOf } from './format.ts';
import { buildTurns, type Turn } from './groups.ts';
import type { CompressibleEndpoint, CompressionOptions, Json } from './types.ts';

/**
 * Lossy history trimming: when a prompt is over budget, the oldest unprotected turns are dropped
 * (or condensed into one extractive note) until it fits. Protected: system and developer
 * messages, the first user message (the task statement) and the last `keepRecentTurns` turns.
 * Turns come from buildTurns, so tool calls and their results always leave together.
 *
 * `finalize` (repeated-context dedupe) runs on every candidate, not before planning: dropping the
 * first copy of a document must bring its later copy back in full, never leave a dangling
 * "identical to message #3" reference.
 */

export interface LossyInput {
  endpoint: CompressibleEndpoint;
  /** The request after lossless rewrites, before dedupe. */
  body: Json;
  options: CompressionOptions['lossy'];
  finalize: (body: Json) => Json;
  count: TextCounter;
}

export interface LossyOutcome {
  body: Json;
  step: string;
}

interface Plan {
  messages: readonly unknown[];
  droppable: Turn[];
  /** Note lines per droppable turn (summarize mode only). */
  lines: string[][];
}

function materialize(input: LossyInput, plan: Plan, turns: number, skipLines: number): Json {
  const removed = plan.droppable.slice(0, turns);
  const gone = new Set<number>();
  for (const turn of removed) for (let index = turn.start; index < turn.end; index += 1) gone.add(index);
  let next: unknown[] = plan.messages.filter((_, index) => !gone.has(index));
  if (input.options.mode === 'summarize' && turns > 0) {
    const at = removed[0]!.start;
    const lines = plan.lines.slice(0, turns).flat().slice(skipLines);
    next.splice(at, 0, noteMessage(input.endpoint, turns, lines));
  }
  if (input.endpoint === 'messages') next = restoreAlternation(next);
  return input.finalize({ ...input.body, [conversationKey(input.endpoint)]: next });
}

/** The fewest turns whose removal the additive estimate says reaches the budget. */
function plannedTurns(input: LossyInput, plan: Plan): number {
  const measured = input.finalize(input.body);
  const messages = conversationOf(input.endpoint, measured) ?? [];
  let tokens = estimatePromptTokens(input.endpoint, measured, input.count);
  const summarize = input.options.mode === 'summarize';
  if (summarize) tokens += estimateMessageTokens(noteHeader(plan.droppable.length), input.count);
  for (let turns = 0; turns < plan.droppable.length; turns += 1) {
    if (tokens <= input.options.budgetTokens) return turns;
    const turn = plan.droppable[turns]!;
    for (let index = turn.start; index < turn.end; index += 1) {
      tokens -= estimateMessageTokens(messages[index], input.count);
    }
    if (summarize) for (const line of plan.lines[turns]!) tokens += input.count(line) + 1;
  }
  return plan.droppable.length;
}

function fits(input: LossyInput, body: Json): boolean {
  return estimatePromptTokens(input.endpoint, body, input.count) <= input.options.budgetTokens;
}

/** Smallest value in [low, high] for which `ok` holds, given that it holds at `high` (binary search). */
function smallest(low: number, high: number, ok: (value: number) => boolean): number {
  while (low < high) {
    const middle = Math.floor((low + high) / 2);
    if (ok(middle)) high = middle;
    else low = middle + 1;
  }
  return high;
}

/**
 * The lightest cut that fits, each candidate checked with the real estimate. Removing more turns
 * (or note lines) only shrinks the prompt, so a binary search from the planned cut is enough.
 */
function cut(input: LossyInput, plan: Plan): { body: Json; turns: number } {
  const all = plan.droppable.length;
  const planned = Math.min(Math.max(1, plannedTurns(input, plan)), all);
  const cache = new Map<string, Json>();
  const candidate = (turns: number, skip: number) => {
    const key = `${turns}:${skip}`;
    let body = cache.get(key);
    if (body === undefined) cache.set(key, (body = materialize(input, plan, turns, skip)));
    return body;
  };
  if (fits(input, candidate(all, 0))) {
    const turns = smallest(planned, all, (value) => fits(input, candidate(value, 0)));
    return { body: candidate(turns, 0), turns };
  }
  // Even with every droppable turn condensed the note is too long: shorten it, oldest lines first.
  // With nothing left to cut this is the best effort: every droppable turn gone.
  const lineCount = plan.lines.flat().length;
  const skip = smallest(0, lineCount, (value) => value === lineCount || fits(input, candidate(all, value)));
  return { body: candidate(all, skip), turns: all };
}

export function reduceToBudget(input: LossyInput): LossyOutcome | null {
  const messages = conversationOf(input.endpoint, input.body);
  if (messages === null) return null;
  const droppable = buildTurns(input.endpoint, messages, input.options.keepRecentTurns).filter(
    (turn) => !turn.protected,
  );
  if (droppable.length === 0) return null;
  const lines =
    input.options.mode === 'summarize'
      ? droppable.map((turn) => describeTurn(input.endpoint, messages.slice(turn.start, turn.end)))
      : [];
  const { body, turns } = cut(input, { messages, droppable, lines });
  return { body, step: `${input.options.mode === 'drop' ? 'drop' : 'condense'}-turns:${turns}` };
}
