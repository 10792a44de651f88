import type { CostRow } from '../../../contracts/cost.ts';
import { text } from '../fields.ts';
import { tokenColumns, tokenLineKind, tokensFromQuantity } from './llm-lines.ts';
import { azureText, column } from './azure-fields.ts';

type Values = Record<string, unknown>;

// Meter names abbreviate: "gpt-4o-0806 Inp glbl 1K Tokens", "o1 cchd Inp regnl 1K Tokens".
const MODEL_END =
  /\s(?:inp|input|outp|output|out|cached|cchd|cache|prompt|completion|glbl|global|regnl|regional|dzone|batch|\d+[KM]|tokens?)\b/i;

/** "gpt-4o-0806 Inp glbl 1K Tokens" → "gpt-4o-0806"; best effort, null when nothing precedes. */
export function azureOpenAiModel(meter: string | null): string | null {
  if (!meter) return null;
  const end = MODEL_END.exec(meter);
  if (end === null) return null;
  const name = meter.slice(0, end.index).trim();
  return name === '' ? null : name.toLowerCase().replace(/\s+/g, '-');
}

const AI_METER = /openai|foundry|cognitive services|ai services/i;

/** Model and token columns of an Azure OpenAI / Foundry token meter; {} for any other row. */
export function azureTokenDetail(values: Values, quantity: number | null): Partial<CostRow> {
  const category = `${azureText(values, 'MeterCategory') ?? ''} ${azureText(values, 'MeterSubCategory') ?? ''}`;
  if (quantity === null || !AI_METER.test(category)) return {};
  const meter = azureText(values, 'MeterName');
  const product = azureText(values, 'ProductName', 'Product');
  const kind = tokenLineKind(spelledOut(meter), product);
  if (!kind) return {};
  // "1K" in UnitOfMeasure, or only in the meter name ("... 1K Tokens") when the unit is a bare count.
  const unit = text(values, column(values, 'UnitOfMeasure'));
  const scaleText = /\d/.test(unit ?? '') ? unit : meter;
  return {
    model: azureOpenAiModel(meter) ?? azureOpenAiModel(productModel(product)),
    ...tokenColumns(kind, tokensFromQuantity(quantity, scaleText)),
  };
}

/** Azure meter abbreviations spelled out: the shared token-kind patterns know "cached input", not "cchd Inp". */
export function spelledOut(meter: string | null): string | null {
  return (
    meter
      ?.replace(/\bcchd\b/gi, 'cached')
      .replace(/\binp\b/gi, 'input')
      .replace(/\boutp\b/gi, 'output') ?? null
  );
}

// ProductName "Azure OpenAI - gpt-4o-0806 Input Global Tokens": the model follows the last dash.
function productModel(product: string | null): string | null {
  if (!product) return null;
  const dash = product.lastIndexOf(' - ');
  return dash >= 0 ? product.slice(dash + 3) : null;
}
