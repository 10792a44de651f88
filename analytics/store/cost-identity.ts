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

/** The stored key of a charge's first occurrence in a file: 96 bits of SHA-1 of its identity. */
export function chargeFingerprint(row: CostRow): string {
  return digest(chargeIdentity(row));
}

/**
 * The stored key of the n-th occurrence (0-based) of a charge within one file: a file may hold
 * genuinely repeated rows, and the n-th repeat in one export matches the n-th in another.
 */
export function occurrenceFingerprint(first: string, occurrence: number): string {
  return occurrence === 0 ? first : digest(`${first}\u001e${occurrence}`);
}

// Collisions are out of reach at any bill size, and SHA-1 is the fastest digest Node has built in.
function digest(text: string): string {
  return hash('sha1', text, 'base64').slice(0, 16);
}

/** Groups prompts that differ only in case and spacing, for the exact-duplicate finding. */
export function promptHash(prompt: string): string {
  return digest(prompt.toLowerCase().replace(/\s+/g, ' ').trim());
}
