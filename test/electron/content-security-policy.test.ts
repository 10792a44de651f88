import { describe, expect, it } from 'vitest';
import { contentSecurityPolicy, withContentSecurityPolicy } from '../../electron/content-security-policy.ts';

const API = 'http://127.0.0.1:4100';

function directives(policy: string): Map<string, string[]> {
  return new Map(
    policy.split(';').map((part) => {
      const [name = '', ...sources] = part.trim().split(/\s+/);
      return [name, sources];
    }),
  );
}

describe('contentSecurityPolicy', () => {
  it('locks a packaged app to its own origin: no inline script, no eval, no frames, no plugins', () => {
    const csp = directives(contentSecurityPolicy({ apiBase: API }));
    expect(csp.get('default-src')).toEqual(["'self'"]);
    expect(csp.get('script-src')).toEqual(["'self'"]);
    expect(csp.get('connect-src')).toEqual(["'self'"]);
    expect(csp.get('object-src')).toEqual(["'none'"]);
    expect(csp.get('frame-ancestors')).toEqual(["'none'"]);
    expect(csp.get('base-uri')).toEqual(["'none'"]);
    expect(csp.get('form-action')).toEqual(["'none'"]);
    expect(contentSecurityPolicy({ apiBase: API })).not.toMatch(/unsafe-eval|\*/);
  });

  it('lets a dev page reach the control API and the HMR websocket, and nothing more', () => {
    const csp = directives(
      contentSecurityPolicy({ apiBase: `${API}/`, devServer: 'http://localhost:5173/' }),
    );
    expect(csp.get('connect-src')).toEqual(["'self'", API, 'ws://localhost:5173']);
    expect(csp.get('script-src')).toEqual(["'self'", "'unsafe-inline'"]);
    expect(csp.get('object-src')).toEqual(["'none'"]);
  });

  it('ignores a dev server given as null', () => {
    expect(contentSecurityPolicy({ apiBase: API, devServer: null })).toBe(
      contentSecurityPolicy({ apiBase: API }),
    );
  });
});

describe('withContentSecurityPolicy', () => {
  const policy = "default-src 'self'";

  it('replaces any policy on responses from the app, whatever the header case', () => {
    const headers = withContentSecurityPolicy(
      `${API}/index.html`,
      { 'content-security-policy': ['default-src *'], 'Content-Type': ['text/html'] },
      [API],
      policy,
    );
    expect(headers).toEqual({ 'Content-Type': ['text/html'], 'Content-Security-Policy': [policy] });
  });

  it('adds a policy when the app response has none (the dev server sends none)', () => {
    expect(withContentSecurityPolicy(`${API}/`, undefined, [API], policy)).toEqual({
      'Content-Security-Policy': [policy],
    });
  });

  it('leaves responses from other origins, other ports and opaque URLs as they are', () => {
    const headers = { 'content-type': ['text/html'] };
    for (const url of ['https://example.com/', 'http://127.0.0.1:4101/', 'file:///etc/passwd', 'not a url']) {
      expect(withContentSecurityPolicy(url, headers, [API], policy)).toBe(headers);
    }
  });
});
