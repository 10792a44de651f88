/**
 * The control API's shapes, typed once: the server validates every input against these schemas at
 * the edge, and the renderer imports the same types. Money is integer nano-dollars (`...Nanos`).
 */
import { z } from 'zod';
import { AWS_REGION_PATTERN, PROVIDER_KINDS } from './providers.ts';
import type { EvidenceFilter, EvidenceRow } from './waste-report.ts';
import type { SavingsReport } from './savings.ts';
import type { UsageEvent } from './usage.ts';

export { AWS_REGION_PATTERN };

export const overviewQuery = z.object({
  days: z.coerce.number().int().min(1).max(366).default(30),
});
export type OverviewQuery = z.infer<typeof overviewQuery>;

/** GET /api/savings: the proof-of-value report over [now − days, now). */
export const savingsQuery = z.object({
  days: z.coerce.number().int().min(1).max(366).default(30),
});
export type SavingsQuery = z.infer<typeof savingsQuery>;

/** The body of GET /api/savings; see contracts/savings.ts for every field and the billing rule. */
export type SavingsResponse = SavingsReport;

export const requestsQuery = z.object({
  limit: z.coerce.number().int().min(1).max(500).default(100),
  /** Only requests before this time (ms since epoch), for paging back. */
  before: z.coerce.number().int().positive().optional(),
});
export type RequestsQuery = z.infer<typeof requestsQuery>;

export const evidenceFilter = z.object({
  provider: z.string().min(1).max(200),
  kind: z.enum(['cost', 'usage']).optional(),
  model: z.string().max(500).optional(),
  project: z.string().max(500).optional(),
  apiKey: z.string().max(500).optional(),
  resourceId: z.string().max(2000).optional(),
  day: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/)
    .optional(),
  promptHashes: z.array(z.string().max(64)).max(50).optional(),
}) satisfies z.ZodType<EvidenceFilter>;

export const evidenceRequest = z.object({
  filter: evidenceFilter,
  offset: z.number().int().min(0).default(0),
  limit: z.number().int().min(1).max(500).default(50),
});
export type EvidenceRequest = z.infer<typeof evidenceRequest>;

export interface EvidenceResponse {
  rows: EvidenceRow[];
}

export interface StatusResponse {
  version: string;
  demo: boolean;
  /** Demo requests per second the server sends itself (0 when none, or not in demo mode). */
  demoRate: number;
  proxyUrl: string;
  startedAt: string;
}

export interface UsageDay {
  day: string;
  requests: number;
  costNanos: number;
  inputTokens: number;
  outputTokens: number;
}

export interface UsageBreakdown {
  key: string;
  requests: number;
  costNanos: number;
}

export interface OverviewResponse {
  days: UsageDay[];
  byProvider: UsageBreakdown[];
  byModel: UsageBreakdown[];
  byKey: UsageBreakdown[];
  totals: { requests: number; errors: number; costNanos: number };
}

export interface RequestsResponse {
  requests: UsageEvent[];
}

/** What /api/live streams, one server-sent event per proxied request (event name `usage`). */
export type LiveUsageEvent = UsageEvent;

/**
 * Where a provider's credentials come from: 'config' when the config file holds them (a key, or
 * Bedrock's access keys), 'caller' when clients' own keys pass through, 'aws-default-chain' when a
 * Bedrock provider signs with whatever the AWS SDK finds where Apex runs (environment, ~/.aws
 * profiles, SSO, instance or container role).
 */
export type KeySource = 'config' | 'caller' | 'aws-default-chain';

export interface ProviderInfo {
  name: string;
  kind: string;
  baseUrl: string;
  keySource: KeySource;
  /**
   * The key's last four characters (e.g. "…a1b2"), or for Bedrock the access key id's; the key itself
   * never leaves the server.
   */
  keyHint: string | null;
  models: string[];
}

export interface ProvidersResponse {
  providers: ProviderInfo[];
}

/** An AWS region name such as us-east-1 or ap-southeast-2, the same rule the config file applies. */

const envName = (example: string) =>
  z.string().regex(/^[A-Z_][A-Z0-9_]{0,127}$/, `an environment variable name such as ${example}`);

/** The request fields that only Bedrock takes. */
const BEDROCK_ONLY = ['region', 'accessKeyIdEnv', 'secretAccessKeyEnv', 'sessionTokenEnv'] as const;

/**
 * POST /api/providers: adds a provider (and the model names it serves) to the config file. A key is
 * never sent here: the request names the environment variable that holds it, and the config file gets
 * `apiKey: ${VAR}`, so no secret is ever written to disk in plain text. Bedrock takes a region and,
 * optionally, the variables holding its access keys (none: the AWS SDK default credential chain).
 */
export const addProviderRequest = z
  .strictObject({
    name: z.string().regex(/^[\w.-]{1,64}$/, 'use letters, digits, dot, dash or underscore'),
    kind: z.enum(PROVIDER_KINDS),
    baseUrl: z.url({ protocol: /^https?$/ }).optional(),
    apiKeyEnv: envName('OPENAI_API_KEY').optional(),
    region: z.string().regex(AWS_REGION_PATTERN, 'an AWS region such as us-east-1').optional(),
    accessKeyIdEnv: envName('AWS_ACCESS_KEY_ID').optional(),
    secretAccessKeyEnv: envName('AWS_SECRET_ACCESS_KEY').optional(),
    sessionTokenEnv: envName('AWS_SESSION_TOKEN').optional(),
    models: z.array(z.string().min(1).max(200)).min(1).max(50),
  })
  .superRefine((request, ctx) => {
    const issues = request.kind === 'bedrock' ? bedrockIssues(request) : notBedrockIssues(request);
    for (const [field, message] of issues) ctx.addIssue({ code: 'custom', path: [field], message });
  });
export type AddProviderRequest = z.infer<typeof addProviderRequest>;

type FieldIssue = [field: string, message: string];
type KindFields = Partial<Record<(typeof BEDROCK_ONLY)[number] | 'apiKeyEnv', string>>;

/** Checked here, not only when the written config loads, so the form can name the field at fault. */
function bedrockIssues(request: KindFields): FieldIssue[] {
  const issues: FieldIssue[] = [];
  if (request.region === undefined) {
    issues.push(['region', 'required for kind "bedrock": an AWS region such as us-east-1']);
  }
  if (request.apiKeyEnv !== undefined) {
    issues.push([
      'apiKeyEnv',
      'does not apply to kind "bedrock", which signs with AWS credentials: send accessKeyIdEnv and ' +
        'secretAccessKeyEnv, or neither to use the AWS default credential chain',
    ]);
  }
  if ((request.accessKeyIdEnv === undefined) !== (request.secretAccessKeyEnv === undefined)) {
    issues.push([
      request.accessKeyIdEnv === undefined ? 'accessKeyIdEnv' : 'secretAccessKeyEnv',
      'accessKeyIdEnv and secretAccessKeyEnv go together: send both, or neither to use the AWS default credential chain',
    ]);
  }
  if (request.sessionTokenEnv !== undefined && request.accessKeyIdEnv === undefined) {
    issues.push(['sessionTokenEnv', 'a session token goes with accessKeyIdEnv and secretAccessKeyEnv']);
  }
  return issues;
}

function notBedrockIssues(request: KindFields): FieldIssue[] {
  return BEDROCK_ONLY.filter((field) => request[field] !== undefined).map((field) => [
    field,
    'applies only to kind "bedrock"',
  ]);
}

export const providerCheckRequest = z.object({ name: z.string().min(1).max(200) });

/** POST /api/providers/check: one call to the provider's model list with its configured key. */
export interface ProviderCheckResponse {
  ok: boolean;
  /** The provider's HTTP status, or null when it could not be reached. */
  status: number | null;
  latencyMs: number;
  /** Models the provider listed, when it answered with a list. */
  models: number | null;
  message: string;
}

export interface ApiErrorBody {
  error: { code: string; message: string };
}
