import { describe, expect, it } from 'vitest';
import {
  appOrigins,
  isExternalUrl,
  isTrustedSender,
  mayNavigate,
  originOf,
  pageUrl,
  permissionAllowed,
} from '../../electron/security.ts';

const API = 'http://127.0.0.1:4100';
const ORIGINS = [API];

describe('isTrustedSender', () => {
  it('accepts any page of the app origin', () => {
    expect(isTrustedSender(`${API}/`, ORIGINS)).toBe(true);
    expect(isTrustedSender(`${API}/usage?days=7#top`, ORIGINS)).toBe(true);
  });

  it('refuses other origins, even near misses', () => {
    for (const url of [
      'http://127.0.0.1:4101/',
      'https://127.0.0.1:4100/',
      'http://localhost:4100/',
      'http://127.0.0.1.evil.com:4100/',
      'http://evil.com/?u=http://127.0.0.1:4100',
      'http://user@evil.com:4100/',
    ]) {
      expect(isTrustedSender(url, ORIGINS), url).toBe(false);
    }
  });

  it('refuses opaque and missing frames', () => {
    for (const url of [
      'file:///index.html',
      'about:blank',
      'data:text/html,hi',
      'javascript:alert(1)',
      '',
      null,
      undefined,
    ]) {
      expect(isTrustedSender(url, ORIGINS), String(url)).toBe(false);
    }
  });

  it('refuses everything before the server is up (no origins)', () => {
    expect(isTrustedSender(`${API}/`, [])).toBe(false);
  });
});

describe('navigation, links and permissions', () => {
  it('keeps navigation on the app', () => {
    expect(mayNavigate(`${API}/settings`, ORIGINS)).toBe(true);
    expect(mayNavigate('https://netra.ai/', ORIGINS)).toBe(false);
  });

  it('opens only http(s) links in the browser', () => {
    expect(isExternalUrl('https://docs.netra.ai/apex')).toBe(true);
    expect(isExternalUrl('http://example.com')).toBe(true);
    for (const url of [
      'file:///etc/passwd',
      'javascript:alert(1)',
      'smb://host/share',
      'ms-settings:',
      'nope',
      42,
      null,
    ]) {
      expect(isExternalUrl(url), String(url)).toBe(false);
    }
    expect(isExternalUrl(`https://example.com/${'a'.repeat(9000)}`)).toBe(false);
  });

  it('denies every permission but writing the clipboard from the app', () => {
    expect(permissionAllowed('clipboard-sanitized-write', `${API}/`, ORIGINS)).toBe(true);
    expect(permissionAllowed('clipboard-sanitized-write', 'https://evil.com/', ORIGINS)).toBe(false);
    for (const permission of ['media', 'notifications', 'geolocation', 'clipboard-read', 'openExternal']) {
      expect(permissionAllowed(permission, `${API}/`, ORIGINS), permission).toBe(false);
    }
  });
});

describe('app origins and the page to load', () => {
  it('is the control API, plus the dev server in development', () => {
    expect(appOrigins(`${API}/`, null)).toEqual([API]);
    expect(appOrigins(API, 'http://localhost:5173/')).toEqual([API, 'http://localhost:5173']);
    expect(appOrigins(null, null)).toEqual([]);
    expect(originOf('http://[::1]:80/x')).toBe('http://[::1]');
  });

  it('loads the dashboard the control API serves, or the dev server', () => {
    expect(pageUrl(API, null)).toBe(`${API}/`);
    expect(pageUrl(`${API}/`, null)).toBe(`${API}/`);
    expect(pageUrl(API, 'http://localhost:5173')).toBe('http://localhost:5173');
  });
});
