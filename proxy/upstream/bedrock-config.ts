/**
 * What a Bedrock provider's config must say, checked when the config loads so a mistake is reported
 * with the file rather than on the first request. Kept apart from the schema so the rules live with
 * the target that relies on them.
 */

export interface BedrockFields {
  region?: string | undefined;
  apiKey?: string | undefined;
  accessKeyId?: string | undefined;
  secretAccessKey?: string | undefined;
}

/** Null when the fields are usable; otherwise the message to show against the provider. */
export function bedrockConfigIssue(fields: BedrockFields): string | null {
  if (!fields.region) {
    return 'region is required for kind "bedrock" (e.g. us-east-1): it picks the endpoint and signs the requests';
  }
  if (fields.apiKey !== undefined) {
    return (
      'apiKey does not apply to kind "bedrock": requests are signed with AWS credentials ' +
      '(accessKeyId and secretAccessKey, or the AWS SDK default chain: environment, profile, SSO, role)'
    );
  }
  if ((fields.accessKeyId === undefined) !== (fields.secretAccessKey === undefined)) {
    return 'accessKeyId and secretAccessKey go together: set both, or neither to use the AWS SDK default chain';
  }
  return null;
}
