import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { rootPath } from '../../common/resources.ts';
import { ControlError, sendError } from './respond.ts';
import { findRoute, type ControlDeps } from './routes.ts';
import { presentedToken, refuseForeign, tokenMatches } from './security.ts';
import { serveStatic } from './static-files.ts';

export interface ControlServerOptions {
  deps: ControlDeps;
  token: string;
  host?: string;
  port?: number;
  /** Host names besides loopback that may reach it (e.g. a reverse proxy's name). */
  allowedHosts?: readonly string[];
  /** The built renderer; out/renderer by default. */
  rendererDir?: string;
}

export interface RunningControlServer {
  url: string;
  /** The dashboard address with its token, as `apex serve` prints it. */
  dashboardUrl: string;
  close(): Promise<void>;
}

/** The control API and the dashboard, on loopback, behind a per-process session token. */
export async function startControlServer(options: ControlServerOptions): Promise<RunningControlServer> {
  const allowed = new Set((options.allowedHosts ?? []).map((h) => h.toLowerCase()));
  const rendererDir = options.rendererDir ?? rootPath('out/renderer');
  const server = createServer((req, res) => void handle(req, res, options, allowed, rendererDir));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 4100, options.host ?? '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://${options.host ?? '127.0.0.1'}:${port}`;
  return {
    url,
    dashboardUrl: `${url}/?token=${options.token}`,
    close: () => closeServer(server, options.deps),
  };
}

async function handle(
  req: IncomingMessage,
  res: ServerResponse,
  options: ControlServerOptions,
  allowed: ReadonlySet<string>,
  rendererDir: string,
): Promise<void> {
  try {
    const refusal = refuseForeign(req, allowed);
    if (refusal) return sendError(res, refusal.status, refusal.code, refusal.message);
    const url = new URL(req.url ?? '/', 'http://control.invalid');
    if (!url.pathname.startsWith('/api/')) {
      if (req.method !== 'GET' && req.method !== 'HEAD')
        return sendError(res, 405, 'method_not_allowed', 'only GET');
      return await serveStatic(res, rendererDir, url.pathname);
    }
    if (!tokenMatches(presentedToken(req, url), options.token)) {
      return sendError(
        res,
        401,
        'unauthorized',
        'a valid session token is required (see the URL apex serve printed)',
      );
    }
    const route = findRoute(req.method ?? '', url.pathname);
    if (!route) return sendError(res, 404, 'not_found', `no ${req.method} ${url.pathname}`);
    await route.handler({ req, res, url, deps: options.deps, params: route.params });
  } catch (err) {
    if (res.headersSent) res.destroy();
    else if (err instanceof ControlError) sendError(res, err.status, err.code, err.message);
    else sendError(res, 500, 'internal', err instanceof Error ? err.message : String(err));
  }
}

function closeServer(server: Server, deps: ControlDeps): Promise<void> {
  deps.hub.close();
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}
