import type { CostRow } from '../../../contracts/cost.ts';
import { isRecord } from '../../../common/json.ts';
import { count, requiredCount, requiredText, text, timestamp } from '../fields.ts';
import { costRow } from '../row.ts';
import { RowError, type ImportFormat } from '../types.ts';

/** The `object` tag on each line of an Apex request log export. */
export const APEX_LOG_OBJECT = 'apex.request';

/**
 * Apex's own request log: JSON lines, one proxied request each, with the fields of a usage event
 * (contracts/usage.ts) and, when prompt logging is on, the prompt text. `apex usage --export` writes it.
 */
export const apexRequestLog: ImportFormat = {
  id: 'apex-request-log',
  label: 'Netra Apex request log',
  containers: ['jsonl'],
  detect: ({ first }) => isRecord(first) && (first['object'] === APEX_LOG_OBJECT || isUsageEvent(first)),
  toRows: apexRow,
};

function isUsageEvent(value: Record<string, unknown>): boolean {
  return ['id', 'ts', 'modelRequested', 'costNanos', 'inputTokens'].every((key) => key in value);
}

function apexRow(values: Record<string, unknown>): CostRow {
  const ts = timestamp(values, 'ts');
  const latencyMs = Math.round((count(values, 'latencyUs') ?? 0) / 1000);
  const prompt = values['prompt'];
  if (prompt !== undefined && prompt !== null && typeof prompt !== 'string') {
    throw new RowError('prompt is not a string');
  }
  const input = requiredCount(values, 'inputTokens');
  return costRow({
    kind: 'usage',
    provider: requiredText(values, 'provider').toLowerCase(),
    chargePeriodStart: ts,
    chargePeriodEnd: ts + latencyMs,
    serviceName: 'Netra Apex proxy',
    serviceCategory: 'AI and Machine Learning',
    // The request id makes every logged request its own charge, however alike two requests are.
    skuId: requiredText(values, 'id'),
    billedCostNanos: requiredCount(values, 'costNanos'),
    model: text(values, 'modelServed') ?? requiredText(values, 'modelRequested'),
    project: text(values, 'project'),
    apiKey: text(values, 'keyId'),
    inputTokens: input,
    cachedInputTokens: count(values, 'cachedInputTokens') ?? 0,
    cacheWriteTokens: (count(values, 'cacheWriteTokens') ?? 0) + (count(values, 'cacheWrite1hTokens') ?? 0),
    outputTokens: requiredCount(values, 'outputTokens'),
    requests: 1,
    batch: values['batch'] === true,
    prompt: typeof prompt === 'string' && prompt.trim() !== '' ? prompt : null,
  });
}
