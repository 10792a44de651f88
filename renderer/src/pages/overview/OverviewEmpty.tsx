import { EmptyState } from '../../components/States.tsx';
import { CodeIcon } from '../../components/icons.tsx';

export function OverviewEmpty({ proxyUrl }: { proxyUrl?: string }) {
  return (
    <EmptyState
      icon={<CodeIcon />}
      title="No requests through Apex yet"
      testId="overview-empty"
      actions={
        <>
          <a className="btn btn--primary" href="#/welcome">
            Connect your SDK
          </a>
          <a className="btn" href="#/waste">
            Import a bill instead
          </a>
        </>
      }
    >
      <p>
        Point your OpenAI or Anthropic SDK at <code>{proxyUrl ? `${proxyUrl}/v1` : 'the Apex proxy'}</code>{' '}
        and every request shows up here with its exact cost. Your code and keys stay as they are; only the
        base URL changes.
      </p>
      <p>Already have a bill or usage export? Import it to see where money is wasted.</p>
    </EmptyState>
  );
}
