/**
 * Replaces `${NAME}` and `${NAME:-default}` in a config's string values so
 * secrets stay in the environment. It runs on parsed values, not the file's
 * text, so comments are left alone and a secret containing YAML syntax (`#`,
 * `: `) cannot change the document's structure. A missing variable without a
 * default is an error naming it and where it is used, because silently sending
 * an empty API key upstream fails far from the cause.
 */
export function substituteEnv(text: string, env: NodeJS.ProcessEnv = process.env, where = ''): string {
  const missing: string[] = [];
  const result = text.replace(
    /\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g,
    (_match, name: string, fallback?: string) => {
      const value = env[name];
      if (value !== undefined && value !== '') return value;
      if (fallback !== undefined) return fallback;
      missing.push(name);
      return '';
    },
  );
  if (missing.length > 0) {
    const plural = missing.length > 1 ? 's' : '';
    throw new ConfigError(
      `environment variable${plural} not set: ${missing.join(', ')}${where ? ` (at ${where})` : ''}`,
    );
  }
  return result;
}

/** Applies substituteEnv to every string in a parsed document. */
export function substituteEnvDeep(value: unknown, env: NodeJS.ProcessEnv, path: string[] = []): unknown {
  if (typeof value === 'string') return substituteEnv(value, env, path.join('.'));
  if (Array.isArray(value))
    return value.map((item, index) => substituteEnvDeep(item, env, [...path, String(index)]));
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value).map(([key, item]) => [
      key,
      substituteEnvDeep(item, env, [...path, key]),
    ]);
    return Object.fromEntries(entries);
  }
  return value;
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}
