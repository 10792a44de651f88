/**
 * Defensive readers for JSON that arrives from clients and upstreams untyped:
 * nothing here throws.
 */

export function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** The parsed body when it is a JSON object (or array), else null: garbage never throws. */
export function parseObject(text: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(text);
    return value !== null && typeof value === 'object' ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/** record[key] when record is an object and the field a string, else null. */
export function stringField(record: unknown, key: string): string | null {
  if (record === null || typeof record !== 'object') return null;
  const field = (record as Record<string, unknown>)[key];
  return typeof field === 'string' ? field : null;
}
