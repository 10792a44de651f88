/**
 * Response headers as any transport hands them over: fetch's Headers, or Node's
 * IncomingHttpHeaders (lower-cased keys, repeated headers as arrays).
 */
export type HeaderSource =
  | { get(name: string): string | null }
  | Readonly<Record<string, string | readonly string[] | number | undefined>>;

/** The header's first value, trimmed, or null when it is missing or empty. */
export function headerValue(headers: HeaderSource | null | undefined, name: string): string | null {
  if (!headers) return null;
  const raw =
    typeof headers.get === 'function' ? headers.get(name) : (headers as Record<string, unknown>)[name];
  const first = Array.isArray(raw) ? raw[0] : raw;
  if (first === undefined || first === null) return null;
  const text = String(first).trim();
  return text === '' ? null : text;
}
