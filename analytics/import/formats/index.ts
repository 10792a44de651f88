import type { ImportFormat } from '../types.ts';
import { anthropicCostCsv, anthropicCostJson } from './anthropic-cost.ts';
import { anthropicUsageCsv, anthropicUsageJson } from './anthropic-usage.ts';
import { apexRequestLog } from './apex-log.ts';
import { awsCur2 } from './aws-cur.ts';
import { azureCostDetails } from './azure-cost.ts';
import { focus } from './focus.ts';
import { gcpBilling } from './gcp-billing.ts';
import { openaiCostsCsv, openaiCostsJson } from './openai-costs.ts';
import { openaiUsageCsv, openaiUsageJson } from './openai-usage.ts';

/**
 * Every format Apex imports. Detection reads content (columns, keys), never file names; the first
 * format whose detect() accepts a file wins, so more specific formats come first.
 */
export const FORMATS: readonly ImportFormat[] = [
  openaiUsageJson,
  openaiCostsJson,
  openaiUsageCsv,
  openaiCostsCsv,
  anthropicUsageJson,
  anthropicCostJson,
  anthropicUsageCsv,
  anthropicCostCsv,
  awsCur2,
  focus,
  gcpBilling,
  azureCostDetails,
  apexRequestLog,
];
