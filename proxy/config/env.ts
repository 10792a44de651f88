/**
 * Replaces `${NAME}` and `${NAME:-default}` in a config's text so secrets stay in
 * the environment. A missing variable without a default is an error naming it,
 * because silently sending an empty API key upstream fails far from the cause.
 */
export function substituteEnv(text: string, env: NodeJS.ProcessEnv = process.env): string {
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
    throw new ConfigError(
      `environment variable${missing.length > 1 ? 's' : ''} not set: ${missing.join(', ')}`,
    );
  }
  return result;
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}
