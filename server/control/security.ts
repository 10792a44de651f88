import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { isAllowedHost } from '../../proxy/http/identity.ts';

/** A fresh session token per process: 32 random bytes, URL-safe. */
export function createSessionToken(): string {
  return randomBytes(32).toString('base64url');
}

/** The token a request presents: `Authorization: Bearer`, or `?token=` (EventSource cannot set headers). */
export function presentedToken(req: IncomingMessage, url: URL): string | null {
  const header = req.headers.authorization;
  const match = header ? /^Bearer\s+(\S+)$/i.exec(header) : null;
  return match?.[1] ?? url.searchParams.get('token');
}

export function tokenMatches(presented: string | null, expected: string): boolean {
  if (presented === null) return false;
  const a = Buffer.from(presented);
  const b = Buffer.from(expected);
  // Compared in constant time so response timing does not leak the token a byte at a time.
  return a.length === b.length && timingSafeEqual(a, b);
}

export type Refusal = { status: 403 | 421; code: string; message: string } | null;

/**
 * DNS rebinding and cross-site requests: the Host must be a loopback name (or one the user allowed)
 * and an Origin, when a browser sends one, must be this server itself. CORS stays closed: no
 * Access-Control-* header is ever sent, so other sites cannot read responses.
 */
export function refuseForeign(req: IncomingMessage, allowedHosts: ReadonlySet<string>): Refusal {
  const host = req.headers.host;
  if (!isAllowedHost(host, allowedHosts)) {
    return { status: 421, code: 'host_not_allowed', message: `Host "${host ?? ''}" is not allowed` };
  }
  const origin = req.headers.origin;
  if (origin !== undefined && origin !== `http://${host}`) {
    return {
      status: 403,
      code: 'origin_not_allowed',
      message: `cross-origin requests from ${origin} are refused`,
    };
  }
  return null;
}

/** Headers on every response: no sniffing, no framing, no referrer, nothing loaded from elsewhere. */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'content-security-policy':
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; " +
    "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
};
