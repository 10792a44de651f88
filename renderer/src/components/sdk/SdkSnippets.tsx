import { CodeBlock } from '../CodeBlock.tsx';
import { Tabs } from '../Tabs.tsx';
import { sdkSnippet, type SdkFlavor } from './snippets.ts';

const FLAVOR_NAME: Record<SdkFlavor, string> = { openai: 'OpenAI', anthropic: 'Anthropic' };

interface Props {
  flavor: SdkFlavor;
  proxyUrl: string;
  model?: string;
  /** Distinguishes several snippet blocks on one page for tests and labels. */
  name?: string;
}

/** Python and TypeScript versions of one SDK's setup, as tabs. */
export function SdkSnippets({ flavor, proxyUrl, model, name }: Props) {
  const sdk = FLAVOR_NAME[flavor];
  const prefix = name ?? flavor;
  return (
    <Tabs
      label={`${sdk} SDK language`}
      testId={`snippets-${prefix}`}
      tabs={[
        {
          id: `${prefix}-python`,
          label: 'Python',
          content: (
            <CodeBlock
              code={sdkSnippet(flavor, 'python', proxyUrl, model)}
              label={`${sdk} Python snippet`}
              testId={`snippet-${prefix}-python`}
            />
          ),
        },
        {
          id: `${prefix}-typescript`,
          label: 'TypeScript',
          content: (
            <CodeBlock
              code={sdkSnippet(flavor, 'typescript', proxyUrl, model)}
              label={`${sdk} TypeScript snippet`}
              testId={`snippet-${prefix}-typescript`}
            />
          ),
        },
      ]}
    />
  );
}
