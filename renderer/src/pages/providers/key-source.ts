import type { KeySource } from '../../../../contracts/control-api.ts';

/** How the Key row names each credential source; Bedrock's are AWS credentials, not an API key. */
export const KEY_SOURCE_LABELS: Record<KeySource, string> = {
  config: 'Set in the config',
  caller: "Callers' own keys",
  'aws-default-chain': 'AWS credentials (default chain)',
};
