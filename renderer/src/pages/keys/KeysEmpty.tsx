import { CodeBlock } from '../../components/CodeBlock.tsx';
import { EmptyState } from '../../components/States.tsx';
import { KeyIcon } from '../../components/icons.tsx';
import { keyEnvSnippet } from './usage.ts';

/** No key yet: what virtual keys are for, and how a developer uses one. */
export function KeysEmpty({ proxyUrl }: { proxyUrl?: string }) {
  return (
    <EmptyState icon={<KeyIcon />} title="No virtual keys yet" testId="keys-empty">
      <p>
        Give each person, team or app its own key instead of sharing a provider key. Every key belongs to a
        project and can have a daily and a monthly budget in dollars, requests- and tokens-per-minute limits,
        and a list of allowed models. Past a limit Apex answers 429 in the caller's own API format; the real
        provider keys never leave this machine.
      </p>
      <p>Create one below, then the developer sets two environment variables and changes no code:</p>
      <CodeBlock code={keyEnvSnippet('sk-apex-...', proxyUrl)} label="how an app uses a virtual key" />
    </EmptyState>
  );
}
