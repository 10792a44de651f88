/**
 * The waste report: what `apex report --format json` writes and the control API returns. Every money
 * field is integer nano-dollars and ends in `Nanos`; days are UTC `YYYY-MM-DD`. README documents it.
 */

export const WASTE_REPORT_SCHEMA_VERSION = 1;

export type FindingKind =
  | 'model-routing'
  | 'prompt-caching'
  | 'batch-api'
  | 'duplicate-prompts'
  | 'near-duplicate-prompts'
  | 'oversized-prompts'
  | 'idle-gpu'
  | 'underused-gpu'
  | 'spot-gpu'
  | 'gpu-commitment'
  | 'spend-spike';

export type Confidence = 'high' | 'medium' | 'low';

/**
 * Which stored rows a finding rests on; the control API lists them with file and line. An empty
 * string matches rows that have no value in that column.
 */
export interface EvidenceFilter {
  provider: string;
  kind?: 'cost' | 'usage';
  model?: string;
  project?: string;
  apiKey?: string;
  resourceId?: string;
  /** Only this UTC day. */
  day?: string;
  /** Only rows whose prompt has one of these hashes (duplicate findings). */
  promptHashes?: string[];
}

export interface EvidenceRow {
  file: string;
  line: number;
  day: string;
  costNanos: number;
}

export interface Evidence {
  filter: EvidenceFilter;
  /** Rows behind the finding and what they cost over the window. */
  rows: number;
  costNanos: number;
  /** The first rows, for a reader to open the source file at the right line. */
  sample: EvidenceRow[];
}

export interface Finding {
  /** Stable across runs on the same data. */
  id: string;
  kind: FindingKind;
  title: string;
  /** How the saving was computed, with the figures, so a reader can redo it by hand. */
  detail: string;
  /** What to do about it. */
  action: string;
  provider: string;
  /** Saving over the evidence window. */
  savingNanos: number;
  /** savingNanos x 30 / windowDays; spikes are one-off and give 0. */
  monthlySavingNanos: number;
  windowDays: number;
  confidence: Confidence;
  /** False for findings that are anomalies (spikes) rather than recurring savings Apex delivers. */
  countsTowardRoi: boolean;
  /** Groups findings that rest on the same spend; ROI counts only the largest saving per scope. */
  scope: string;
  metrics: Record<string, number | string>;
  evidence: Evidence;
}

export interface SpendLine {
  key: string;
  spendNanos: number;
  /** 'billed' when a bill or cost report gave the money, 'estimated' when priced from token usage. */
  basis: 'billed' | 'estimated' | 'mixed';
  inputTokens: number;
  outputTokens: number;
  requests: number | null;
}

export interface SpendTotals {
  spendNanos: number;
  byProvider: SpendLine[];
  byService: SpendLine[];
  byModel: SpendLine[];
  byProject: SpendLine[];
  /** From usage exports and Apex's log only (bills do not say which key spent what): estimated. */
  byKey: SpendLine[];
  byDay: SpendLine[];
}

export interface RoiAssumptions {
  feeShare: number;
  setupHours: number;
  hourlyRateNanos: number;
}

export interface Roi {
  assumptions: RoiAssumptions;
  monthlySpendNanos: number;
  projectedMonthlySavingsNanos: number;
  /** Savings as a share of monthly spend, 0..1. */
  savingsShare: number;
  apexMonthlyFeeNanos: number;
  netMonthlyBenefitNanos: number;
  netAnnualBenefitNanos: number;
  setupCostNanos: number;
  /** Days of net benefit that pay back the setup effort; null when there is no benefit. */
  paybackDays: number | null;
}

export interface ReportSource {
  file: string;
  format: string;
  importedAt: string;
  rowsImported: number;
  rowsSkipped: number;
}

export interface WasteReport {
  schemaVersion: typeof WASTE_REPORT_SCHEMA_VERSION;
  generatedAt: string;
  currency: string;
  /** First and last day with data, and the days between (inclusive); null for an empty store. */
  period: { start: string; end: string; days: number } | null;
  sources: ReportSource[];
  totals: SpendTotals;
  findings: Finding[];
  roi: Roi;
  /** Things a reader should know that are not savings (e.g. "the Batch API is never used"). */
  notes: string[];
}
