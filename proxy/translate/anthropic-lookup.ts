/**
 * Safe reads of wire values that pick table entries or appear in error messages: request bodies
 * are untyped JSON, where "constructor" is a possible type and {"toString": 1} a possible value.
 */

/** table[key] for the table's own keys only, so a wire value never reaches Object.prototype. */
export function lookup<T>(table: Readonly<Record<string, T>>, key: unknown): T | undefined {
  return typeof key === 'string' && Object.hasOwn(table, key) ? table[key] : undefined;
}

/** A wire value for an error message: the string itself, else its JSON type (String() can throw). */
export function label(value: unknown): string {
  if (typeof value === 'string') return value;
  return value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value;
}
