/**
 * Defensive readers for provider usage objects, which arrive as untyped JSON
 * and may be partial, null-filled or garbage. Nothing here throws.
 */

import { isRecord } from '../../common/json.ts';

export { isRecord };

/** A token count: a non-negative safe integer, else null (absent, null, negative, fractional, text). */
export function tokenCount(value: unknown): number | null {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0 ? value : null;
}

/** The count at record[key] where record is itself read defensively. */
export function nestedCount(record: unknown, key: string): number | null {
  return isRecord(record) ? tokenCount(record[key]) : null;
}

/** Keeps a part within what is left of its whole, so disjoint parts never exceed the total. */
export function within(part: number | null, room: number): number {
  return Math.min(part ?? 0, Math.max(0, room));
}
