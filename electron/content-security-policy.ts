// The window's Content-Security-Policy, set on responses from the app's own origins only (after Kong
// Insomnia's content-security-policy.ts). The control API already sends a policy; setting it here as
// well keeps the window locked down whatever serves the page (the dev server sends none).
import { originOf } from './security.ts';

export interface CspOptions {
  /** The control API origin: where the page's data comes from. */
  apiBase: string;
  /** electron-vite's dev server (development only): its HMR needs an inline preamble and a websocket. */
  devServer?: string | null;
}

type Directives = Record<string, readonly string[]>;

const BASE: Directives = {
  'default-src': ["'self'"],
  'script-src': ["'self'"],
  // React and chart libraries set inline style attributes.
  'style-src': ["'self'", "'unsafe-inline'"],
  'img-src': ["'self'", 'data:'],
  'font-src': ["'self'"],
  'connect-src': ["'self'"],
  'worker-src': ["'self'"],
  'object-src': ["'none'"],
  'frame-src': ["'none'"],
  'frame-ancestors': ["'none'"],
  'base-uri': ["'none'"],
  'form-action': ["'none'"],
};

export function contentSecurityPolicy(options: CspOptions): string {
  const directives: Directives = { ...BASE };
  const api = originOf(options.apiBase);
  const dev = originOf(options.devServer);
  if (dev) {
    // Only in development: the page comes from the dev server and talks to the control API.
    directives['script-src'] = ["'self'", "'unsafe-inline'"];
    directives['connect-src'] = ["'self'", ...(api ? [api] : []), dev.replace(/^http/, 'ws')];
  }
  return Object.entries(directives)
    .map(([name, sources]) => `${name} ${sources.join(' ')}`)
    .join('; ');
}

export type ResponseHeaders = Record<string, string[] | string>;

/**
 * The response headers with the policy in force: replaced for the app's origins (one policy, not two
 * that intersect), untouched for anything else (e.g. a link's page before it is handed to the browser).
 */
export function withContentSecurityPolicy(
  url: string,
  headers: ResponseHeaders | undefined,
  appOrigins: readonly string[],
  policy: string,
): ResponseHeaders | undefined {
  const origin = originOf(url);
  if (origin === null || !appOrigins.includes(origin)) return headers;
  const kept = Object.entries(headers ?? {}).filter(
    ([name]) => name.toLowerCase() !== 'content-security-policy',
  );
  return { ...Object.fromEntries(kept), 'Content-Security-Policy': [policy] };
}
