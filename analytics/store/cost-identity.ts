import { hash } from 'node:crypto';
import type { CostRow } from '../../contracts/cost.ts';

/**
 * What makes two rows the same charge, whichever export they came from. Format-specific ids (CUR's
 * identity_line_item_id, FOCUS's SkuPriceId) and units are left out on purpose, so the same AWS charge
 * imported from a CUR file and from a FOCUS file is stored once.
 */
export function chargeIdentity(row: CostRow): string {
  return [
    row.kind,
    row.provider,
    row.chargePeriodStart,
    row.chargePeriodEnd,
    row.account ?? '',
    row.resourceId ?? '',
    row.chargeDescription ?? row.skuId ?? '',
    row.billedCostNanos,
    row.model ?? '',
    row.project ?? '',
    row.apiKey ?? '',
    row.inputTokens ?? '',
    row.cachedInputTokens ?? '',
    row.cacheWriteTokens ?? '',
    row.outputTokens ?? '',
    row.requests ?? '',
    row.batch === null ? '' : row.batch ? 1 : 0,
    row.prompt ?? '',
  ].join('\u001f');
}

/**
 * The stored key of the n-th occurrence (0-based) of an identity within one file: a file may hold
 * genuinely repeated rows, and the n-th repeat in one export matches the n-th in another.
 */
export function fingerprintOf(identity: string, occurrence: number): string {
  const input = occurrence === 0 ? identity : `${identity}\u001e${occurrence}`;
  // 96 bits of SHA-1: collisions are out of reach at any bill size, and it is the fastest digest here.
  return hash('sha1', input, 'base64').slice(0, 16);
}

/** Groups prompts that differ only in case and spacing, for the exact-duplicate finding. */
export function promptHash(prompt: string): string {
  return hash('sha1', prompt.toLowerCase().replace(/\s+/g, ' ').trim(), 'base64').slice(0, 22);
}
