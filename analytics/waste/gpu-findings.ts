import { applyRate, makeFinding, percent, scaleNanos, usd, type DraftFinding } from './finding.ts';
import { windowDays, type ResourceGroup } from './groups.ts';

// AWS p/g/inf/trn/dl families, GCP accelerator-optimized a2/a3/a4/g2, Azure N-series.
const GPU_TYPE =
  /^(p\d|g\d|gr\d|inf\d|trn\d|dl\d)[a-z]*\.|^(a2|a3|a4|g2|g4)-|^(standard_)?n(c|d|v|g|cc)\d|gpu|nvidia|tesla|a100|h100|h200|v100/i;
const UTILIZATION_TAG = /gpu[-_:.]?util/i;
const INTERRUPTIBLE = /^(true|yes|1)$/i;

/** Below this average GPU utilization an instance is idle; below the next, oversized. */
export const IDLE_UTILIZATION = 0.1;
export const UNDERUSED_UTILIZATION = 0.3;
/** Share of a right-sized instance's cost saved by halving GPU count or size. */
export const RIGHTSIZE_SAVING = 0.5;
/** Billed on at least this share of the window's days counts as always on. */
export const ALWAYS_ON_SHARE = 0.9;
export const BUSY_UTILIZATION = 0.5;
/**
 * Assumed discount of a 1-year, no-upfront commitment (Savings Plan, CUD, reservation) on GPU
 * instances; providers publish roughly 20-40% depending on family. Used only when the bill has no
 * committed GPU usage to measure the rate from.
 */
export const COMMITMENT_DISCOUNT = 0.3;
/** Spot price as a share of on-demand when the bill has no spot GPU usage to measure it from. */
export const DEFAULT_SPOT_RATIO = 0.35;

export function isGpuInstance(resourceType: string): boolean {
  return GPU_TYPE.test(resourceType);
}

export function gpuFindings(resources: readonly ResourceGroup[], storeWindowDays: number): DraftFinding[] {
  const gpus = resources.filter((r) => isGpuInstance(r.resourceType));
  const findings: DraftFinding[] = [];
  for (const r of gpus) {
    if (r.pricingCategory === 'spot' || r.pricingCategory === 'commitment' || r.costNanos <= 0) continue;
    const finding =
      utilizationFinding(r, storeWindowDays) ?? spotFinding(r, gpus) ?? commitmentFinding(r, storeWindowDays);
    if (finding) findings.push(finding);
  }
  return findings;
}

function utilizationFinding(r: ResourceGroup, storeDays: number): DraftFinding | null {
  const util = utilization(r);
  if (util === null || util >= UNDERUSED_UTILIZATION) return null;
  const idle = util < IDLE_UTILIZATION;
  const saving = idle ? r.costNanos : applyRate(r.costNanos, RIGHTSIZE_SAVING);
  return makeFinding({
    ...common(r),
    kind: idle ? 'idle-gpu' : 'underused-gpu',
    title: `${r.resourceType} ${name(r)} is ${idle ? 'idle' : 'underused'} (${percent(util)} GPU utilization)`,
    detail:
      `Billed ${usd(r.costNanos)} on ${r.daysBilled} of ${storeDays} days at ${percent(util)} average GPU ` +
      `utilization (tag). ${idle ? 'Stopping it saves all of it' : `Halving its GPUs saves ${percent(RIGHTSIZE_SAVING)}`}: ` +
      `${usd(saving)}.`,
    action: idle
      ? 'Stop or terminate it (snapshot first), or schedule it to run only when used.'
      : 'Move it to an instance with fewer or smaller GPUs; validate with an Apex sandbox run.',
    savingNanos: saving,
    confidence: 'high',
    metrics: { utilization: util, daysBilled: r.daysBilled, costNanos: r.costNanos },
  });
}

function spotFinding(r: ResourceGroup, gpus: readonly ResourceGroup[]): DraftFinding | null {
  if (!isInterruptible(r)) return null;
  const measured = spotPrices(gpus.filter((g) => g.provider === r.provider));
  const ratio = measured ? measured.costNanos / measured.listNanos : DEFAULT_SPOT_RATIO;
  const spotCost = measured
    ? scaleNanos(r.costNanos, measured.costNanos, measured.listNanos)
    : applyRate(r.costNanos, DEFAULT_SPOT_RATIO);
  const saving = r.costNanos - spotCost;
  return makeFinding({
    ...common(r),
    kind: 'spot-gpu',
    title: `Interruptible ${r.resourceType} ${name(r)} runs on demand`,
    detail:
      `Billed ${usd(r.costNanos)} on demand and tagged as interruptible work. Spot GPU capacity in this bill costs ` +
      `${percent(ratio)} of on-demand${measured === null ? ' (assumed: no spot GPU lines to measure)' : ' (measured from its spot lines)'}, ` +
      `so the same hours would cost ${usd(spotCost)}: ${usd(saving)} saved.`,
    action: 'Run it on spot capacity with checkpointing (the workload is tagged interruptible).',
    savingNanos: saving,
    confidence: measured === null ? 'low' : 'medium',
    metrics: { spotRatio: ratio, costNanos: r.costNanos },
  });
}

function commitmentFinding(r: ResourceGroup, storeDays: number): DraftFinding | null {
  const util = utilization(r);
  if (util === null || util < BUSY_UTILIZATION || r.daysBilled < ALWAYS_ON_SHARE * storeDays) return null;
  const saving = applyRate(r.costNanos, COMMITMENT_DISCOUNT);
  return makeFinding({
    ...common(r),
    kind: 'gpu-commitment',
    title: `Steady ${r.resourceType} ${name(r)} pays on-demand rates`,
    detail:
      `Billed ${usd(r.costNanos)} on demand on ${r.daysBilled} of ${storeDays} days at ${percent(util)} GPU ` +
      `utilization. A 1-year commitment at an assumed ${percent(COMMITMENT_DISCOUNT)} discount saves ${usd(saving)}.`,
    action:
      'Cover it with a Savings Plan, committed use discount or reservation after checking the quoted rate.',
    savingNanos: saving,
    confidence: 'low',
    metrics: {
      utilization: util,
      daysBilled: r.daysBilled,
      discount: COMMITMENT_DISCOUNT,
      costNanos: r.costNanos,
    },
  });
}

/** What a provider's spot GPU lines cost against their on-demand list cost; null without any. */
function spotPrices(gpus: readonly ResourceGroup[]): { costNanos: number; listNanos: number } | null {
  const spot = gpus.filter((g) => g.pricingCategory === 'spot' && g.listNanos > g.costNanos);
  const listNanos = spot.reduce((s, g) => s + g.listNanos, 0);
  return listNanos > 0 ? { costNanos: spot.reduce((s, g) => s + g.costNanos, 0), listNanos } : null;
}

function utilization(r: ResourceGroup): number | null {
  for (const [key, value] of Object.entries(r.tags)) {
    if (!UTILIZATION_TAG.test(key)) continue;
    const n = Number.parseFloat(value);
    if (Number.isFinite(n) && n >= 0) return n > 1 ? n / 100 : n;
  }
  return null;
}

function isInterruptible(r: ResourceGroup): boolean {
  return Object.entries(r.tags).some(
    ([key, value]) =>
      (/interruptible|spot[-_]?ok/i.test(key) && INTERRUPTIBLE.test(value)) || /spot[-_]?ok/i.test(value),
  );
}

function name(r: ResourceGroup): string {
  const tagName = Object.entries(r.tags).find(([k]) => /(^|:)name$/i.test(k))?.[1];
  const id = r.resourceId.split('/').pop() ?? r.resourceId;
  return tagName && tagName !== id ? `${id} (${tagName})` : id;
}

function common(r: ResourceGroup) {
  return {
    provider: r.provider,
    windowDays: windowDays(r.periodStart, r.periodEnd),
    scope: `resource:${r.provider}:${r.resourceId}`,
    filter: { provider: r.provider, kind: 'cost' as const, resourceId: r.resourceId },
    evidenceRows: r.rows,
    evidenceCostNanos: r.costNanos,
    firstRowId: r.firstRowId,
  };
}
