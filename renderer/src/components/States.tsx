import type { ReactNode } from 'react';
import { errorMessage } from '../api/client.ts';
import { AlertIcon } from './icons.tsx';

interface ErrorProps {
  title?: string;
  error: unknown;
  onRetry?: () => void;
  retrying?: boolean;
}

/** A failed request: what went wrong, in the server's words, and a way to try again. */
export function ErrorState({ title = 'Could not load this', error, onRetry, retrying }: ErrorProps) {
  return (
    <div className="card state state--error" role="alert" data-testid="error-state">
      <span className="state-icon">
        <AlertIcon />
      </span>
      <h2>{title}</h2>
      <p>{errorMessage(error)}</p>
      {onRetry ? (
        <button type="button" className="btn" onClick={onRetry} disabled={retrying}>
          {retrying ? 'Retrying…' : 'Retry'}
        </button>
      ) : null}
    </div>
  );
}

interface EmptyProps {
  icon: ReactNode;
  title: string;
  children: ReactNode;
  actions?: ReactNode;
  testId?: string;
  headingLevel?: 2 | 3;
}

export function EmptyState({ icon, title, children, actions, testId, headingLevel = 2 }: EmptyProps) {
  const Heading = headingLevel === 2 ? 'h2' : 'h3';
  return (
    <div className="card state" data-testid={testId}>
      <span className="state-icon">{icon}</span>
      <Heading>{title}</Heading>
      <div className="muted stack" style={{ gap: 8 }}>
        {children}
      </div>
      {actions ? <div className="row">{actions}</div> : null}
    </div>
  );
}
