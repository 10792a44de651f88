import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';
import { SECURITY_HEADERS } from './security.ts';

const TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json; charset=utf-8',
  '.woff2': 'font/woff2',
};

const NOT_BUILT = `<!doctype html><html lang="en"><meta charset="utf-8"><title>Netra Apex</title>
<body style="font-family:system-ui;margin:3rem;max-width:40rem">
<h1>The dashboard is not built</h1><p>Run <code>npm run build</code>, then reload this page.
The control API is running: <code>/api/status</code> answers with your session token.</p></body></html>`;

/**
 * Serves the built renderer (single-page app): files by path, and index.html for any other page so
 * client-side routes survive a reload. Paths are confined to the build folder.
 */
export async function serveStatic(res: ServerResponse, root: string, pathname: string): Promise<void> {
  if (!existsSync(join(root, 'index.html'))) return send(res, 200, '.html', Buffer.from(NOT_BUILT));
  const file = normalize(join(root, decodeURIComponent(pathname)));
  if (!file.startsWith(root + sep) && file !== root) return send(res, 404, '.html', Buffer.from('not found'));
  const type = TYPES[extname(file)];
  if (type && existsSync(file)) return send(res, 200, extname(file), await readFile(file));
  return send(res, 200, '.html', await readFile(join(root, 'index.html')));
}

function send(res: ServerResponse, status: number, ext: string, body: Buffer): void {
  res.writeHead(status, {
    ...SECURITY_HEADERS,
    'content-type': TYPES[ext] ?? 'application/octet-stream',
    'content-length': body.length,
    // Built assets have hashed names; the page itself must always be fresh.
    'cache-control': ext === '.html' ? 'no-store' : 'public, max-age=31536000, immutable',
  });
  res.end(body);
}
