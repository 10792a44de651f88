/** The Responses API stream for one answer, laid out as paced steps. */
import type { GenerationPlan } from './plan.ts';
import { argumentFragments, StepBuilder, type StreamLayout } from './steps.ts';

export interface ResponseItems {
  ids: { response: string; reasoning: string; message: string; functionCall: string; callId: string };
  output: Array<Record<string, unknown>>;
}

function messageEvents(
  builder: StepBuilder,
  item: Record<string, unknown>,
  index: number,
  plan: GenerationPlan,
) {
  const at = { item_id: item.id, output_index: index, content_index: 0 };
  const emptyPart = { type: 'output_text', annotations: [], logprobs: [], text: '' };
  builder.beforeNext('response.output_item.added', {
    output_index: index,
    item: { ...item, status: 'in_progress', content: [] },
  });
  builder.beforeNext('response.content_part.added', { ...at, part: emptyPart });
  for (const piece of plan.pieces)
    builder.token('response.output_text.delta', { ...at, delta: piece, logprobs: [] });
  builder.afterLast('response.output_text.done', { ...at, text: plan.text, logprobs: [] });
  builder.afterLast('response.content_part.done', { ...at, part: { ...emptyPart, text: plan.text } });
  builder.afterLast('response.output_item.done', { output_index: index, item });
}

function functionCallEvents(builder: StepBuilder, item: Record<string, unknown>, index: number) {
  const args = String(item.arguments);
  const at = { item_id: item.id, output_index: index };
  builder.beforeNext('response.output_item.added', {
    output_index: index,
    item: { ...item, status: 'in_progress', arguments: '' },
  });
  for (const delta of argumentFragments(args))
    builder.token('response.function_call_arguments.delta', { ...at, delta });
  builder.afterLast('response.function_call_arguments.done', { ...at, name: item.name, arguments: args });
  builder.afterLast('response.output_item.done', { output_index: index, item });
}

export function responseSteps(plan: GenerationPlan, items: ResponseItems): StreamLayout {
  const builder = new StepBuilder();
  items.output.forEach((item, index) => {
    if (item.type === 'reasoning') {
      // Reasoning starts at once and ends when the first visible token appears.
      builder.atOpen('response.output_item.added', { output_index: index, item });
      builder.beforeNext('response.output_item.done', { output_index: index, item });
    } else if (item.type === 'message') {
      messageEvents(builder, item, index, plan);
    } else {
      functionCallEvents(builder, item, index);
    }
  });
  return builder.finish();
}
