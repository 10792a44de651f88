import type { CostRow, PricingCategory } from '../../../contracts/cost.ts';
import { quantity, text } from '../fields.ts';
import { RowError } from '../types.ts';
import { azureOpenAiModel, spelledOut } from './azure-openai.ts';
import { vertexModel } from './gcp-vertex.ts';
import { instanceTypeFrom } from './gpu-types.ts';
import { bedrockModel, tokenColumns, tokenLineKind, tokensFromQuantity } from './llm-lines.ts';

type Values = Record<string, unknown>;

// FOCUS leaves provider names free-form; findings compare them with the lower-case ids the other
// importers write, so the big three are folded onto those.
const PROVIDERS: Readonly<Record<string, string>> = {
  aws: 'aws',
  'amazon web services': 'aws',
  'amazon web services, inc.': 'aws',
  amazon: 'aws',
  microsoft: 'azure',
  'microsoft azure': 'azure',
  azure: 'azure',
  'google cloud': 'gcp',
  'google cloud platform': 'gcp',
  google: 'gcp',
  gcp: 'gcp',
};

/** FOCUS 1.3 names the seller ServiceProviderName; 1.0 to 1.2 call it ProviderName. */
export function focusProvider(values: Values): string {
  const name = text(values, 'ServiceProviderName') ?? text(values, 'ProviderName');
  if (name === null) throw new RowError('ProviderName is missing');
  const lower = name.toLowerCase();
  return PROVIDERS[lower] ?? lower;
}

const CATEGORIES: Readonly<Record<string, PricingCategory>> = {
  standard: 'on-demand',
  dynamic: 'spot',
  committed: 'commitment',
};

export function focusPricingCategory(values: Values): PricingCategory | null {
  const category = text(values, 'PricingCategory');
  if (category === null) return null;
  return CATEGORIES[category.toLowerCase()] ?? 'other';
}

/**
 * FOCUS has no instance-type column, but the size is in the SKU details, the charge description or a
 * provider's x_ columns (AWS 1.0 x_UsageType "BoxUsage:p4d.24xlarge", Azure x_SkuMeterName).
 */
export function focusResourceType(values: Values): string | null {
  const type = instanceTypeFrom(detailsText(values['SkuPriceDetails']));
  if (type) return type;
  for (const key of SIZE_COLUMNS) {
    const candidate = values[key];
    const found = typeof candidate === 'string' ? instanceTypeFrom(candidate) : null;
    if (found) return found;
  }
  return null;
}

// A fixed list: Azure's FOCUS export has dozens of x_ columns, and this runs for every row.
const SIZE_COLUMNS = [
  'ChargeDescription',
  'SkuMeter',
  'x_UsageType',
  'x_SkuMeterName',
  'x_SkuDescription',
  'x_SkuDetails',
];

// SkuPriceDetails is a JSON object: a string in CSV, an object or map in Parquet.
function detailsText(details: unknown): string | null {
  if (typeof details === 'string') return details;
  if (details === null || typeof details !== 'object') return null;
  try {
    return JSON.stringify(details instanceof Map ? Object.fromEntries(details) : details);
  } catch {
    return null; // a BigInt or cyclic value: no size to read, and no reason to reject the charge
  }
}

const AI_SERVICE = /bedrock|openai|vertex|gemini|foundry|cognitive|generative|machine learning/i;

/**
 * Model and token columns of an LLM token line (Bedrock, Azure OpenAI, Vertex AI). They enter the charge
 * identity, so for AWS they equal what aws-cur.ts derives from the CUR line of the same charge.
 */
export function focusTokenDetail(
  values: Values,
  provider: string,
  resourceId: string | null,
): Partial<CostRow> {
  const service = `${text(values, 'ServiceName') ?? ''} ${text(values, 'ServiceCategory') ?? ''}`;
  if (!AI_SERVICE.test(service)) return {};
  const description = text(values, 'ChargeDescription');
  const meter = text(values, 'SkuMeter') ?? text(values, 'x_SkuMeterName');
  const kind = tokenLineKind(spelledOut(description), text(values, 'x_UsageType'), spelledOut(meter));
  if (!kind) return {};
  const tokens = tokenCount(values);
  if (tokens === null) return {};
  return { model: modelOf(provider, resourceId, meter ?? description), ...tokenColumns(kind, tokens) };
}

// ConsumedQuantity counts tokens; PricingQuantity counts the priced blocks ("1K tokens").
function tokenCount(values: Values): number | null {
  const consumed = quantity(values, 'ConsumedQuantity');
  if (consumed !== null) return tokensFromQuantity(consumed, text(values, 'ConsumedUnit'));
  const priced = quantity(values, 'PricingQuantity');
  return priced === null ? null : tokensFromQuantity(priced, text(values, 'PricingUnit'));
}

function modelOf(provider: string, resourceId: string | null, meter: string | null): string | null {
  if (provider === 'aws') return bedrockModel(resourceId);
  if (provider === 'azure') return azureOpenAiModel(meter);
  if (provider === 'gcp') return vertexModel(meter);
  return null;
}
