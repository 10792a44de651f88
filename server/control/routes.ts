import type Database from 'better-sqlite3';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { existsSync } from 'node:fs';
import {
  evidenceRequest,
  addProviderRequest,
  overviewQuery,
  providerCheckRequest,
  type ProviderCheckResponse,
  requestsQuery,
  savingsQuery,
  type EvidenceResponse,
  type OverviewResponse,
  type ProviderInfo,
  type ProvidersResponse,
  type RequestsResponse,
  type SavingsResponse,
  type StatusResponse,
} from '../../contracts/control-api.ts';
import { importInWorker } from '../../analytics/import/run-in-worker.ts';
import { openStore } from '../../analytics/store/db.ts';
import { recentRequests, usageOverview } from '../../analytics/store/usage-overview.ts';
import { evidenceRows } from '../../analytics/waste/evidence.ts';
import { buildWasteReport } from '../../analytics/waste/report.ts';
import type { WasteReport } from '../../contracts/waste-report.ts';
import type { PriceBook } from '../../pricing/types.ts';
import type { ProviderConfig } from '../../proxy/config/schema.ts';
import { checkProvider } from './provider-check.ts';
import { addProviderToConfig } from './config-edit.ts';
import { describeProviders } from './providers.ts';
import { storeFile } from '../paths.ts';
import type { LiveHub } from './live.ts';
import { createKey, listKeys, revokeKey, updateKey, type KeyDeps } from './keys-route.ts';
import { parse, readJson } from './request-body.ts';
import { ControlError, sendJson } from './respond.ts';
import { createSavingsCache, trailingSavingsReport } from './savings-route.ts';
import { saveUpload } from './uploads.ts';

export interface ControlDeps {
  status: StatusResponse;
  /** Where the proxy records requests (the demo store in demo mode). */
  usageDbFile: string;
  /** Imports and the waste report use the real store in here. */
  dataDir: string;
  prices: PriceBook;
  hub: LiveHub;
  /** The proxy's providers as configured now (the config hot-reloads). */
  providers: () => ProviderInfo[];
  /** The config file `apex serve` runs from; null in demo mode, where providers are simulated. */
  configFile: string | null;
  /** One provider's full config, keys included: for server-side checks only, never sent out. */
  providerConfig: (name: string) => ProviderConfig | undefined;
  /**
   * The proxy's virtual keys: the store to edit and the ledger that knows their spend. Absent where
   * no proxy runs beside the control API (the dashboard benchmark); /api/keys then answers 503.
   */
  keys?: KeyDeps;
}

export interface RouteContext {
  req: IncomingMessage;
  res: ServerResponse;
  url: URL;
  deps: ControlDeps;
  /** The `:name` segments of the route's path, decoded; empty for fixed paths. */
  params: Readonly<Record<string, string>>;
}

type Handler = (ctx: RouteContext) => Promise<void> | void;

const DAY_MS = 86_400_000;
/** Fields that would carry a secret itself; the API takes only the names of variables holding them. */
const RAW_SECRET_FIELDS = ['apiKey', 'accessKeyId', 'secretAccessKey', 'sessionToken'];

export const ROUTES: Readonly<Record<string, Handler>> = {
  'GET /api/status': ({ res, deps }) => sendJson(res, 200, deps.status),
  'GET /api/usage/overview': ({ res, url, deps }) => {
    const { days } = parse(overviewQuery, Object.fromEntries(url.searchParams));
    const body: OverviewResponse = withUsageStore(deps, (db) =>
      usageOverview(db, Date.now() - days * DAY_MS),
    );
    sendJson(res, 200, body);
  },
  'GET /api/usage/requests': ({ res, url, deps }) => {
    const { limit, before } = parse(requestsQuery, Object.fromEntries(url.searchParams));
    const body: RequestsResponse = {
      requests: withUsageStore(deps, (db) => recentRequests(db, limit, before)),
    };
    sendJson(res, 200, body);
  },
  'GET /api/savings': async ({ res, url, deps }) => {
    const { days } = parse(savingsQuery, Object.fromEntries(url.searchParams));
    // Keyed by store too: tests and a restarted server in one process must not share reports.
    const body: SavingsResponse = await savingsCache.get(`${deps.usageDbFile}\u0000${days}`, () =>
      trailingSavingsReport(deps.usageDbFile, days),
    );
    sendJson(res, 200, body);
  },
  'GET /api/live': ({ res, deps }) => deps.hub.attach(res),
  'GET /api/providers': ({ res, deps }) =>
    sendJson(res, 200, { providers: deps.providers() } satisfies ProvidersResponse),
  'GET /api/report': ({ res, deps }) =>
    sendJson(
      res,
      200,
      withWasteStore(deps, (db) => cachedReport(db, deps)),
    ),
  'POST /api/providers': async ({ req, res, deps }) => {
    if (!deps.configFile) {
      throw new ControlError(
        409,
        'demo_mode',
        'demo mode has simulated providers; start apex serve --config FILE to add real ones',
      );
    }
    const body = await readJson(req);
    if (body !== null && typeof body === 'object' && RAW_SECRET_FIELDS.some((field) => field in body)) {
      throw new ControlError(
        400,
        'key_not_accepted',
        'keys are never written to the config file: send apiKeyEnv (for Bedrock accessKeyIdEnv and ' +
          'secretAccessKeyEnv), the name of the environment variable that holds the key',
      );
    }
    const config = await addProviderToConfig(deps.configFile, parse(addProviderRequest, body));
    sendJson(res, 201, { providers: describeProviders(config) } satisfies ProvidersResponse);
  },
  'POST /api/providers/check': async ({ req, res, deps }) => {
    const { name } = parse(providerCheckRequest, await readJson(req));
    const provider = deps.providerConfig(name);
    if (!provider) throw new ControlError(404, 'not_found', `no provider named "${name}"`);
    sendJson(res, 200, (await checkProvider(provider)) satisfies ProviderCheckResponse);
  },
  'POST /api/evidence': async ({ req, res, deps }) => {
    const request = parse(evidenceRequest, await readJson(req));
    const rows = withWasteStore(deps, (db) => evidenceRows(db, request.filter, request));
    sendJson(res, 200, { rows } satisfies EvidenceResponse);
  },
  'POST /api/imports': async ({ req, res, deps }) => {
    const path = await saveUpload(req, deps.dataDir);
    const [summary] = await importInWorker({ dbFile: storeFile(deps.dataDir, false), paths: [path] });
    sendJson(res, 200, summary);
  },
  'GET /api/keys': listKeys,
  'POST /api/keys': createKey,
  'PATCH /api/keys/:id': updateKey,
  'POST /api/keys/:id/revoke': revokeKey,
};

interface RoutePattern {
  method: string;
  /** Fixed segments as text, parameters as their name after `:`. */
  segments: readonly string[];
  handler: Handler;
}

// Only routes with a `:param` segment; fixed paths are found by one map lookup.
const PATTERNS: readonly RoutePattern[] = Object.entries(ROUTES)
  .filter(([key]) => key.includes('/:'))
  .map(([key, handler]) => {
    const [method = '', path = ''] = key.split(' ');
    return { method, segments: path.split('/'), handler };
  });

/** The handler for a request and its path parameters, or null (404). */
export function findRoute(
  method: string,
  pathname: string,
): { handler: Handler; params: Record<string, string> } | null {
  const exact = ROUTES[`${method} ${pathname}`];
  if (exact) return { handler: exact, params: {} };
  const segments = pathname.split('/');
  for (const pattern of PATTERNS) {
    if (pattern.method !== method || pattern.segments.length !== segments.length) continue;
    const params = matchSegments(pattern.segments, segments);
    if (params) return { handler: pattern.handler, params };
  }
  return null;
}

function matchSegments(pattern: readonly string[], actual: readonly string[]): Record<string, string> | null {
  const params: Record<string, string> = {};
  for (const [i, expected] of pattern.entries()) {
    const segment = actual[i] ?? '';
    if (!expected.startsWith(':')) {
      if (segment !== expected) return null;
      continue;
    }
    const value = decodeSegment(segment);
    if (!value) return null;
    params[expected.slice(1)] = value;
  }
  return params;
}

/** A parameter must be a non-empty, well-formed, single segment; anything else matches no route. */
function decodeSegment(segment: string): string | null {
  try {
    const value = decodeURIComponent(segment);
    return value && !value.includes('/') ? value : null;
  } catch {
    return null;
  }
}

const savingsCache = createSavingsCache();

// The report changes only when an import commits; rebuilding it on every page view would cost a
// quarter of a second at a million imported rows.
let reportCache: { version: string; report: WasteReport } | null = null;

function cachedReport(db: Database.Database, deps: ControlDeps): WasteReport {
  const version = `${deps.dataDir}:${db.prepare("SELECT coalesce(max(id), 0) || ':' || count(*) FROM import_files").pluck().get()}`;
  if (reportCache?.version !== version) {
    reportCache = { version, report: buildWasteReport(db, { prices: deps.prices }) };
  }
  return reportCache.report;
}

function withUsageStore<T>(deps: ControlDeps, read: (db: Database.Database) => T): T {
  // Before the first request the writer has not created its file: answer as an empty store would.
  const db = existsSync(deps.usageDbFile)
    ? openStore(deps.usageDbFile, { readonly: true })
    : openStore(':memory:');
  try {
    return read(db);
  } finally {
    db.close();
  }
}

function withWasteStore<T>(deps: ControlDeps, read: (db: Database.Database) => T): T {
  const db = openStore(storeFile(deps.dataDir, false));
  try {
    return read(db);
  } finally {
    db.close();
  }
}
