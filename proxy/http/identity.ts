import { hash } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

const fingerprints = new Map<string, string>();
const MAX_REMEMBERED_KEYS = 1024;

/**
 * A stable, non-reversible id for the caller's key, so usage can be grouped per
 * key without ever storing or logging the key. Memoized: SDKs send the same key
 * on every request and hashing is the costliest step here.
 */
export function callerKeyId(headers: IncomingHttpHeaders): string | null {
  const key =
    bearerToken(headers.authorization) ?? firstValue(headers['x-api-key']) ?? firstValue(headers['api-key']);
  if (!key) return null;
  let id = fingerprints.get(key);
  if (id === undefined) {
    id = `key_${hash('sha256', key, 'base64url').slice(0, 16)}`;
    if (fingerprints.size >= MAX_REMEMBERED_KEYS) fingerprints.clear();
    fingerprints.set(key, id);
  }
  return id;
}

/** The token of an `Authorization: Bearer ...` header, trimmed; undefined for any other value. */
export function bearerToken(value: string | undefined): string | undefined {
  if (!value) return undefined;
  const match = /^Bearer\s+(.+)$/i.exec(value);
  return match?.[1]?.trim() || undefined;
}

function firstValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/** Loopback names always accepted in Host, so a rebinding DNS name cannot reach the proxy. */
const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);

export function isAllowedHost(hostHeader: string | undefined, allowed: ReadonlySet<string>): boolean {
  if (!hostHeader) return false;
  const host = hostHeader.startsWith('[')
    ? hostHeader.slice(0, hostHeader.indexOf(']') + 1)
    : hostHeader.split(':')[0]!;
  const lower = host.toLowerCase();
  return LOOPBACK_HOSTS.has(lower) || allowed.has(lower);
}
