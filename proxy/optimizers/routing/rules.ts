import type { IncomingHttpHeaders } from 'node:http';
import { z } from 'zod';

/** Per-request controls a client may send; the proxy strips every `x-apex-*` header before upstream. */
export const ROUTING_HEADERS = {
  /** Send this exact model, whatever the rules say. */
  override: 'x-apex-model-override',
  /** `off` disables routing for this request (the requested model is sent as is). */
  routing: 'x-apex-routing',
  /** Free-form hint that rules can match on (`match.header`), e.g. "summarize" or "agent". */
  hint: 'x-apex-route-hint',
} as const;

const tokenCount = z.int().nonnegative();

const matchSchema = z
  .strictObject({
    /** Caller key fingerprints (exact). */
    keys: z.array(z.string().min(1)).min(1).optional(),
    /** Request paths, `*` matches any run of characters (e.g. "/v1/chat/*"). */
    routes: z.array(z.string().min(1)).min(1).optional(),
    /** Requested model names, `*` matches any run of characters (e.g. "gpt-4o*"). */
    models: z.array(z.string().min(1)).min(1).optional(),
    minPromptTokens: tokenCount.optional(),
    maxPromptTokens: tokenCount.optional(),
    hasTools: z.boolean().optional(),
    /** Exact value of the `x-apex-route-hint` header. */
    header: z.string().min(1).optional(),
  })
  .refine(
    (m) =>
      m.minPromptTokens === undefined ||
      m.maxPromptTokens === undefined ||
      m.minPromptTokens <= m.maxPromptTokens,
    { message: 'minPromptTokens must not exceed maxPromptTokens' },
  );

/** One routing rule; rules are tried in config order and the first match wins. */
export const routingRuleSchema = z.strictObject({
  name: z.string().min(1),
  /** Every condition given must hold; an empty match matches every request. */
  match: matchSchema.default({}),
  /** The model name to send instead (resolved by the model router like any requested name). */
  to: z.string().min(1),
});
export type RoutingRule = z.output<typeof routingRuleSchema>;

export const routingRulesSchema = z.array(routingRuleSchema).superRefine((rules, ctx) => {
  const seen = new Set<string>();
  rules.forEach((rule, index) => {
    if (seen.has(rule.name)) {
      ctx.addIssue({ code: 'custom', path: [index, 'name'], message: `duplicate rule name "${rule.name}"` });
    }
    seen.add(rule.name);
  });
});

/** What the rules look at, computed once per request by the caller. */
export interface RouteInput {
  keyId: string | null;
  route: string;
  model: string;
  promptTokens: number;
  hasTools: boolean;
  hint: string | null;
}

export interface RuleMatch {
  rule: RoutingRule;
  to: string;
}

/** The first rule whose conditions all hold, or null when none does. */
export function matchRule(rules: readonly RoutingRule[], input: RouteInput): RuleMatch | null {
  for (const rule of rules) {
    if (ruleMatches(rule.match, input)) return { rule, to: rule.to };
  }
  return null;
}

function ruleMatches(match: RoutingRule['match'], input: RouteInput): boolean {
  if (match.keys && (input.keyId === null || !match.keys.includes(input.keyId))) return false;
  if (match.routes && !match.routes.some((glob) => globMatch(glob, input.route))) return false;
  if (match.models && !match.models.some((glob) => globMatch(glob, input.model))) return false;
  if (match.minPromptTokens !== undefined && input.promptTokens < match.minPromptTokens) return false;
  if (match.maxPromptTokens !== undefined && input.promptTokens > match.maxPromptTokens) return false;
  if (match.hasTools !== undefined && input.hasTools !== match.hasTools) return false;
  if (match.header !== undefined && input.hint !== match.header) return false;
  return true;
}

// Globs repeat across requests (a handful per config), so compiled patterns are kept.
const globCache = new Map<string, RegExp>();

/** `*` matches any run of characters (including none); everything else is literal. */
export function globMatch(glob: string, value: string): boolean {
  if (!glob.includes('*')) return glob === value;
  let pattern = globCache.get(glob);
  if (!pattern) {
    const escaped = glob.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*');
    pattern = new RegExp(`^${escaped}$`, 's');
    if (globCache.size > 1_000) globCache.clear();
    globCache.set(glob, pattern);
  }
  return pattern.test(value);
}

export interface RoutingControls {
  /** Model forced by `x-apex-model-override`, or null. It wins over every rule. */
  override: string | null;
  /** False when the client sent `x-apex-routing: off`. */
  enabled: boolean;
  /** Value of `x-apex-route-hint`, or null. */
  hint: string | null;
}

/** The routing controls a client sent; repeated headers use their first value. */
export function readRoutingControls(headers: IncomingHttpHeaders): RoutingControls {
  const override = headerValue(headers, ROUTING_HEADERS.override);
  const routing = headerValue(headers, ROUTING_HEADERS.routing);
  return {
    override,
    enabled: routing === null || routing.toLowerCase() !== 'off',
    hint: headerValue(headers, ROUTING_HEADERS.hint),
  };
}

/** Trimmed first value of a header, or null when absent or blank. */
export function headerValue(headers: IncomingHttpHeaders, name: string): string | null {
  const raw = headers[name];
  const value = (Array.isArray(raw) ? raw[0] : raw)?.trim();
  return value ? value : null;
}

/**
 * The model to send: an override beats everything, `x-apex-routing: off` keeps the requested
 * model, otherwise the first matching rule decides. `rule` is null when no rule was applied.
 */
export function resolveRoute(
  rules: readonly RoutingRule[],
  input: RouteInput,
  controls: RoutingControls,
): { model: string; rule: RoutingRule | null; reason: 'override' | 'disabled' | 'rule' | 'none' } {
  if (controls.override) return { model: controls.override, rule: null, reason: 'override' };
  if (!controls.enabled) return { model: input.model, rule: null, reason: 'disabled' };
  const match = matchRule(rules, input);
  return match
    ? { model: match.to, rule: match.rule, reason: 'rule' }
    : { model: input.model, rule: null, reason: 'none' };
}
