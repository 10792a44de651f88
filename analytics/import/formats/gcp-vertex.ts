import type { CostRow } from '../../../contracts/cost.ts';
import { quantity, text } from '../fields.ts';
import { tokenColumns, tokenLineKind, tokensFromQuantity } from './llm-lines.ts';

type Values = Record<string, unknown>;

const AI_SERVICE = /vertex|gemini|generative language/i;

// The model name is what a token SKU says before its modality ("Gemini 2.5 Pro Input Text Tokens").
const MODEL_END =
  /\s(?:input|output|text|image|audio|video|cached|cache|caching|tokens?|characters?|predictions?|thinking|long|short|batch)\b/i;

/** "Gemini 2.5 Pro Input Text Tokens" → "gemini-2.5-pro"; best effort, null when nothing precedes. */
export function vertexModel(sku: string | null): string | null {
  if (!sku) return null;
  const end = MODEL_END.exec(sku);
  const name = (end ? sku.slice(0, end.index) : sku).trim();
  if (name === '' || end === null) return null;
  return name.toLowerCase().replace(/\s+/g, '-');
}

/** Model and token columns of a Vertex AI / Gemini API token SKU row; {} for any other row. */
export function vertexTokenDetail(values: Values): Partial<CostRow> {
  if (!AI_SERVICE.test(text(values, 'service.description') ?? '')) return {};
  const sku = text(values, 'sku.description');
  const kind = tokenLineKind(sku);
  if (!kind) return {};
  const tokens = tokenCount(values);
  if (tokens === null) return {};
  return { model: vertexModel(sku), ...tokenColumns(kind, tokens) };
}

// usage.amount counts tokens when its unit does; otherwise the pricing units say the block size.
function tokenCount(values: Values): number | null {
  const unit = text(values, 'usage.unit');
  const amount = quantity(values, 'usage.amount');
  if (amount !== null && (unit === null || /^count$|token/i.test(unit)))
    return tokensFromQuantity(amount, unit);
  const priced = quantity(values, 'usage.amount_in_pricing_units');
  return priced === null ? null : tokensFromQuantity(priced, text(values, 'usage.pricing_unit'));
}
