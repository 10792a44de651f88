import type { IncomingMessage } from 'node:http';
import { parseObject } from '../../common/json.ts';
import { decide } from '../optimizers/decisions.ts';
import type { RequestPlan } from '../optimizers/pipeline.ts';
import { escalationSignal } from '../optimizers/routing/cascade.ts';
import type { OptimizerState } from '../optimizers/state.ts';
import type { Pricing } from './exchange.ts';
import type { Exchange } from './exchange.ts';
import { usageOf } from './outcome.ts';

export type Verdict = { escalate: true } | { escalate: false; status: number; body: Buffer };

/**
 * Reads the routed (cheaper) model's whole answer before the client sees any of it, and decides
 * whether to retry on the model the client asked for. An escalation's first attempt is still
 * billed by the provider, so its cost is carried into the event as routing's waste; the verdict
 * also trains the classifier when the classifier chose the cheap model.
 */
export async function judgeRoutedAnswer(
  upstream: IncomingMessage,
  exchange: Exchange,
  plan: RequestPlan,
  deps: { state: OptimizerState; pricing: Pricing },
): Promise<Verdict> {
  const body = await readAll(upstream);
  const status = upstream.statusCode ?? 502;
  const parsed = parseObject(body.toString('utf8'));
  const endpoint = exchange.endpoint === 'embeddings' ? 'chat' : exchange.endpoint;
  const reason = escalationSignal(endpoint, status, parsed, plan.body);
  if (plan.classifierFeatures) deps.state.classifier.update(plan.classifierFeatures, reason !== null);
  if (reason === null) return { escalate: false, status, body };
  const usage = parsed ? usageOf(exchange.endpoint, parsed['usage']) : null;
  if (usage) {
    const model = typeof parsed?.['model'] === 'string' ? parsed['model'] : null;
    exchange.counterfactual!.wastedCostNanos += deps.pricing.price(plan.deployment, model, usage).costNanos;
  }
  decide(exchange, 'routing', 'escalated', `${plan.deployment.upstreamModel} answer: ${reason}`);
  return { escalate: true };
}

export async function readAll(stream: AsyncIterable<Buffer>): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    chunks.push(chunk);
    size += chunk.length;
  }
  return chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size);
}
