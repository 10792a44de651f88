/**
 * Model-name normalization for price matching. Providers and routers spell
 * one model many ways ("openai/gpt-4o", "gpt-4o-2024-08-06",
 * "claude-sonnet-4-5@20250929", "anthropic/claude-sonnet-4.5"); each spelling
 * yields the names to try, most specific first, so an exact entry (such as
 * gpt-4o-2024-05-13, which has its own older price) always wins.
 */

// -2024-08-06, -20250929, @20250929 (Vertex), -latest
const DATED_SUFFIX = /(?:-\d{4}-\d{2}-\d{2}|-\d{8}|@\d{8}|-latest)$/;
// Routers write version numbers with dots where the vendor uses dashes (claude-sonnet-4.5).
const DOTTED_VERSION = /(\d)\.(\d)/g;

export function normalizeName(name: string): string {
  return name.trim().toLowerCase();
}

/** Names to try, in order: exact, provider prefix stripped, date/-latest suffix stripped, dots as dashes. */
export function modelNameCandidates(model: string): string[] {
  const exact = normalizeName(model);
  const unprefixed = withoutPrefixes(exact);
  const undated = [exact, ...unprefixed].map(withoutDatedSuffix);
  const primary = unique([exact, ...unprefixed, ...undated]);
  const dashed = primary.map((name) => name.replace(DOTTED_VERSION, '$1-$2'));
  return unique([...primary, ...dashed]).filter((name) => name.length > 0);
}

/** "openrouter/openai/gpt-4o" -> ["openai/gpt-4o", "gpt-4o"]. */
function withoutPrefixes(name: string): string[] {
  const names: string[] = [];
  let rest = name;
  for (let slash = rest.indexOf('/'); slash >= 0; slash = rest.indexOf('/')) {
    rest = rest.slice(slash + 1);
    names.push(rest);
  }
  return names;
}

function withoutDatedSuffix(name: string): string {
  return name.replace(DATED_SUFFIX, '');
}

function unique(names: string[]): string[] {
  return [...new Set(names)];
}
