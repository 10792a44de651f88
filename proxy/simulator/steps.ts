/**
 * Lays out an event stream as paced steps: each step carries the tokens it
 * represents and the events that go out when it is due. Opening events ride
 * with a block's first token, closing events with its last, which is how the
 * real providers interleave their framing events with content.
 */

export interface StreamEvent {
  type: string;
  data: Record<string, unknown>;
}

export interface Step {
  tokens: number;
  events: StreamEvent[];
}

export interface StreamLayout {
  /** Events sent as soon as the stream opens. */
  prelude: StreamEvent[];
  steps: Step[];
}

export class StepBuilder {
  private readonly prelude: StreamEvent[] = [];
  private readonly steps: Step[] = [];
  private pending: StreamEvent[] = [];

  atOpen(type: string, data: Record<string, unknown>): void {
    this.prelude.push({ type, data });
  }

  /** Goes out with the next token. */
  beforeNext(type: string, data: Record<string, unknown>): void {
    this.pending.push({ type, data });
  }

  token(type: string, data: Record<string, unknown>, tokens = 1): void {
    this.steps.push({ tokens, events: [...this.pending, { type, data }] });
    this.pending = [];
  }

  /** Goes out right after the latest token. */
  afterLast(type: string, data: Record<string, unknown>): void {
    const last = this.steps[this.steps.length - 1];
    if (last && this.pending.length === 0) last.events.push({ type, data });
    else this.pending.push({ type, data });
  }

  finish(): StreamLayout {
    if (this.pending.length > 0)
      this.steps.push({ tokens: this.steps.length === 0 ? 1 : 0, events: this.pending });
    this.pending = [];
    return { prelude: this.prelude, steps: this.steps };
  }
}

/** Splits tool-call JSON into token-sized fragments (about four characters each). */
export function argumentFragments(json: string): string[] {
  const fragments: string[] = [];
  for (let start = 0; start < json.length; start += 4) fragments.push(json.slice(start, start + 4));
  return fragments;
}
