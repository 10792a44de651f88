// A proxy whose "aws" provider is Bedrock, pointed at the local Bedrock mock, with static test keys.
import { harnessConfig, startHarness, type Harness } from './apex-harness.ts';
import { startBedrockMock, type BedrockMock, type ExpectedSigner } from './bedrock-mock.ts';

export const AWS_KEY = 'AKIDAPEXTEST0001';
export const AWS_SECRET = 'apex-test-secret-access-key';
export const REGION = 'eu-west-3';
/** Served as the client-facing model "haiku-bedrock". */
export const MODEL_ID = 'anthropic.claude-3-5-haiku-20241022-v1:0';

/** `provider` adds to or overrides the provider's fields; `accessKeyId: undefined` leaves keys to the SDK's chain. */
export async function startBedrockHarness(
  provider: Record<string, unknown> = {},
  signer: ExpectedSigner = { accessKeyId: AWS_KEY, region: REGION, secretAccessKey: AWS_SECRET },
): Promise<{ harness: Harness; mock: BedrockMock }> {
  const mock = await startBedrockMock(signer);
  try {
    const harness = await startHarness({
      config: (openaiUrl, anthropicUrl) => {
        const base = harnessConfig(openaiUrl, anthropicUrl) as { providers: object; models: object[] };
        const fields = { accessKeyId: AWS_KEY, secretAccessKey: AWS_SECRET, ...provider };
        const aws = { kind: 'bedrock', region: REGION, baseUrl: mock.url, ...fields };
        return {
          ...base,
          providers: { ...base.providers, aws },
          models: [{ name: 'haiku-bedrock', provider: 'aws', model: MODEL_ID }, ...base.models],
        };
      },
    });
    return { harness, mock };
  } catch (error) {
    await mock.close();
    throw error;
  }
}
