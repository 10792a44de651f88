import { pino, type Logger } from 'pino';

/**
 * Structured logs on stderr (stdout stays for what a person reads). Secrets are
 * never logged on purpose; the redaction list is the safety net if one slips
 * into an object that gets logged.
 */
export function createLogger(level: string): Logger {
  return pino(
    {
      level,
      base: undefined,
      redact: {
        paths: [
          'apiKey',
          '*.apiKey',
          '*.*.apiKey',
          'headers.authorization',
          'headers["x-api-key"]',
          '*.headers.authorization',
          '*.headers["x-api-key"]',
        ],
        censor: '[redacted]',
      },
    },
    pino.destination({ fd: 2, sync: false }),
  );
}
