import type Database from 'better-sqlite3';
import { makeFinding, usd, type DraftFinding } from './finding.ts';
import { windowDays } from './groups.ts';
import { NEAR_DUPLICATE_JACCARD, nearDuplicateClusters } from './near-duplicates.ts';

/** Prompts sharing a normalized hash within one provider and model: what one exact-cache entry serves. */
interface PromptGroup {
  provider: string;
  model: string;
  project: string;
  apiKey: string;
  promptHash: string;
  prompt: string;
  requests: number;
  costNanos: number;
  /** Cost of the group's first request, which a cache could not have served. */
  firstCostNanos: number;
  firstRowId: number;
  periodStart: number;
  periodEnd: number;
}

const PROMPT_GROUPS = `
WITH g AS (
  SELECT provider, model, coalesce(project, '') AS project, coalesce(api_key, '') AS apiKey,
         prompt_hash AS promptHash, min(prompt) AS prompt, count(*) AS requests,
         sum(billed_nanos) AS costNanos, min(id) AS firstRowId,
         min(period_start) AS periodStart, max(period_end) AS periodEnd
  FROM cost_rows WHERE prompt_hash IS NOT NULL
  GROUP BY provider, model, project, api_key, prompt_hash)
SELECT g.*, f.billed_nanos AS firstCostNanos FROM g JOIN cost_rows f ON f.id = g.firstRowId`;

const MAX_HASHES_IN_FILTER = 50;

export function duplicateFindings(db: Database.Database): DraftFinding[] {
  const groups = db.prepare(PROMPT_GROUPS).all() as PromptGroup[];
  const byKey = new Map<string, PromptGroup[]>();
  for (const g of groups) {
    const key = [g.provider, g.model, g.project, g.apiKey].join('\u001f');
    byKey.set(key, [...(byKey.get(key) ?? []), g]);
  }
  return [...byKey.values()].flatMap((key) => [exact(key), near(key)].filter((f) => f !== null));
}

function exact(groups: PromptGroup[]): DraftFinding | null {
  const repeated = groups.filter((g) => g.requests > 1);
  if (repeated.length === 0) return null;
  const saving = repeated.reduce((s, g) => s + g.costNanos - g.firstCostNanos, 0);
  const repeats = repeated.reduce((s, g) => s + g.requests - 1, 0);
  const all = repeated.reduce((s, g) => s + g.requests, 0);
  const top = [...repeated].sort((a, b) => b.requests - a.requests)[0] as PromptGroup;
  return makeFinding({
    ...common(repeated),
    kind: 'duplicate-prompts',
    title: `${repeats} ${top.model} requests repeat an earlier prompt word for word`,
    detail:
      `${repeated.length} prompts were sent ${all} times (most often: ${top.requests}x "${excerpt(top.prompt)}"). ` +
      `An exact cache answers every repeat after the first: the ${repeats} repeats cost ${usd(saving)}.`,
    action: 'Turn on the Apex exact cache for these keys (deterministic requests are served from cache).',
    savingNanos: saving,
    confidence: 'high',
    metrics: { distinctPrompts: repeated.length, requests: all, repeats },
  });
}

function near(groups: PromptGroup[]): DraftFinding | null {
  const clusters = nearDuplicateClusters(groups.map((g) => g.prompt));
  if (clusters.length === 0) return null;
  const members = clusters.map((c) => c.map((i) => groups[i] as PromptGroup));
  // Exact repeats are the exact cache's; a semantic cache adds the first request of each other variant.
  const saving = members.reduce((s, c) => s + c.slice(1).reduce((t, g) => t + g.firstCostNanos, 0), 0);
  const variants = members.reduce((s, c) => s + c.length, 0);
  const flat = members.flat();
  return makeFinding({
    ...common(flat),
    kind: 'near-duplicate-prompts',
    title: `${variants} ${flat[0]?.model} prompts are near-duplicates of each other in ${clusters.length} groups`,
    detail:
      `Prompts sharing at least ${NEAR_DUPLICATE_JACCARD * 100}% of their word trigrams (e.g. ` +
      `"${excerpt(members[0]?.[0]?.prompt ?? '')}" and "${excerpt(members[0]?.[1]?.prompt ?? '')}"). A semantic ` +
      `cache answers all but one variant per group: their first requests cost ${usd(saving)}.`,
    action: 'Turn on the Apex semantic cache for this route and check its wrong-hit rate on the evidence.',
    savingNanos: saving,
    confidence: 'medium',
    metrics: { groups: clusters.length, variants },
  });
}

function common(groups: PromptGroup[]) {
  const first = groups[0] as PromptGroup;
  return {
    provider: first.provider,
    windowDays: windowDays(
      Math.min(...groups.map((g) => g.periodStart)),
      Math.max(...groups.map((g) => g.periodEnd)),
    ),
    // Same scope as the key's other LLM findings: a cached repeat cannot also be rerouted or compressed.
    scope: `llm:${first.provider}:${first.model}:${first.project}:${first.apiKey}`,
    filter: {
      provider: first.provider,
      model: first.model,
      project: first.project,
      apiKey: first.apiKey,
      promptHashes: groups.slice(0, MAX_HASHES_IN_FILTER).map((g) => g.promptHash),
    },
    evidenceRows: groups.reduce((s, g) => s + g.requests, 0),
    evidenceCostNanos: groups.reduce((s, g) => s + g.costNanos, 0),
    firstRowId: Math.min(...groups.map((g) => g.firstRowId)),
  };
}

function excerpt(prompt: string): string {
  const flat = prompt.replace(/\s+/g, ' ').trim();
  return flat.length > 60 ? `${flat.slice(0, 57)}...` : flat;
}
