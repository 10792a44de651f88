/**
 * POST /v1/responses: the Response object, and its semantic event stream
 * (response.created ... response.completed, each event numbered).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { SimulatorContext } from './context.ts';
import { endStream, sendJson, startEventStream, writeEvent } from './http.ts';
import {
  asEffort,
  missingParameter,
  prepareOpenAI,
  waitForWholeAnswer,
  type OpenAIEndpoint,
  type OpenAIExchange,
} from './openai-common.ts';
import { responsesPrompt } from './prompt-openai.ts';
import { isRecord, positiveInt } from './prompt.ts';
import { hashString, Rng } from './random.ts';
import { responseSteps, type ResponseItems } from './responses-events.ts';
import { paceChunks, pause } from './timing.ts';

const RESPONSES_ENDPOINT: OpenAIEndpoint = {
  path: 'v1/responses',
  kind: 'chat',
  validate: (body) =>
    body.input === undefined && body.previous_response_id === undefined
      ? missingParameter('input')
      : undefined,
  prompt: responsesPrompt,
  maxTokens: (body) => positiveInt(body.max_output_tokens),
  effort: (body) => asEffort(isRecord(body.reasoning) ? body.reasoning.effort : undefined),
};

type Status = 'in_progress' | 'completed' | 'incomplete';

function responsesUsage(exchange: OpenAIExchange) {
  const { prompt, plan, cachedTokens } = exchange;
  return {
    input_tokens: prompt.tokens,
    input_tokens_details: { cached_tokens: cachedTokens },
    output_tokens: plan.outputTokens,
    output_tokens_details: { reasoning_tokens: plan.reasoningTokens },
    total_tokens: prompt.tokens + plan.outputTokens,
  };
}

/** Ids for the response and its items, derived from the request id so they are stable under a seed. */
function itemIds(exchange: OpenAIExchange): ResponseItems['ids'] {
  const rng = new Rng(hashString(exchange.requestId));
  return {
    response: `resp_${rng.hex(48)}`,
    reasoning: `rs_${rng.hex(48)}`,
    message: `msg_${rng.hex(48)}`,
    functionCall: `fc_${rng.hex(48)}`,
    callId: `call_${rng.id(24)}`,
  };
}

function finalStatus(exchange: OpenAIExchange): Status {
  return exchange.plan.finish === 'length' ? 'incomplete' : 'completed';
}

function responseObject(
  exchange: OpenAIExchange,
  body: Record<string, unknown>,
  items: ResponseItems,
  status: Status,
) {
  const done = status !== 'in_progress';
  const effort = exchange.model.reasoning ? (RESPONSES_ENDPOINT.effort(body) ?? 'medium') : null;
  return {
    id: items.ids.response,
    object: 'response',
    created_at: exchange.created,
    status,
    background: false,
    error: null,
    incomplete_details: status === 'incomplete' ? { reason: 'max_output_tokens' } : null,
    instructions: body.instructions ?? null,
    max_output_tokens: body.max_output_tokens ?? null,
    max_tool_calls: null,
    model: exchange.requested,
    output: done ? items.output : [],
    parallel_tool_calls: body.parallel_tool_calls ?? true,
    previous_response_id: body.previous_response_id ?? null,
    reasoning: { effort, summary: null },
    service_tier: 'default',
    store: body.store ?? true,
    temperature: body.temperature ?? 1,
    text: { format: { type: 'text' }, verbosity: 'medium' },
    tool_choice: body.tool_choice ?? 'auto',
    tools: body.tools ?? [],
    top_p: body.top_p ?? 1,
    truncation: 'disabled',
    usage: done ? responsesUsage(exchange) : null,
    user: null,
    metadata: body.metadata ?? {},
  };
}

async function streamResponse(exchange: OpenAIExchange, body: Record<string, unknown>, items: ResponseItems) {
  const { res } = exchange;
  let sequence = 0;
  const emit = (type: string, data: Record<string, unknown>) =>
    writeEvent(res, { type, sequence_number: sequence++, ...data }, type);
  const start = performance.now();
  startEventStream(res, exchange.headers);
  if (!(await pause(exchange.timing.acceptedMs, exchange.signal))) return endStream(res);
  emit('response.created', { response: responseObject(exchange, body, items, 'in_progress') });
  emit('response.in_progress', { response: responseObject(exchange, body, items, 'in_progress') });
  const { prelude, steps } = responseSteps(exchange.plan, items);
  for (const event of prelude) emit(event.type, event.data);
  const counts = steps.map((step) => step.tokens);
  const emitStep = (index: number) => steps[index]?.events.forEach((event) => emit(event.type, event.data));
  const finished = await paceChunks(counts, exchange.timing, exchange.signal, emitStep, start);
  if (!finished) return endStream(res);
  const status = finalStatus(exchange);
  emit(`response.${status}`, { response: responseObject(exchange, body, items, status) });
  endStream(res);
}

export async function handleResponses(
  ctx: SimulatorContext,
  req: IncomingMessage,
  res: ServerResponse,
  body: unknown,
): Promise<void> {
  const exchange = await prepareOpenAI(ctx, req, res, body, RESPONSES_ENDPOINT);
  if (!exchange || !isRecord(body)) return;
  const items = buildItems(exchange);
  if (body.stream === true) return streamResponse(exchange, body, items);
  if (!(await waitForWholeAnswer(exchange))) return;
  sendJson(res, 200, responseObject(exchange, body, items, finalStatus(exchange)), exchange.headers);
}

function buildItems(exchange: OpenAIExchange): ResponseItems {
  const ids = itemIds(exchange);
  const { plan } = exchange;
  const output: Array<Record<string, unknown>> = [];
  if (plan.reasoningTokens > 0) output.push({ id: ids.reasoning, type: 'reasoning', summary: [] });
  if (plan.pieces.length > 0 || (!plan.toolCall && plan.finish !== 'length')) {
    const status = plan.finish === 'length' ? 'incomplete' : 'completed';
    const content = [{ type: 'output_text', annotations: [], logprobs: [], text: plan.text }];
    output.push({ id: ids.message, type: 'message', status, role: 'assistant', content });
  }
  if (plan.toolCall) {
    const { name, arguments: args } = plan.toolCall;
    output.push({
      id: ids.functionCall,
      type: 'function_call',
      status: 'completed',
      arguments: args,
      call_id: ids.callId,
      name,
    });
  }
  return { ids, output };
}
