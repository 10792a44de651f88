import { Component, type ReactNode } from 'react';
import { ErrorState } from '../components/States.tsx';

interface State {
  error: unknown;
}

/** Keeps one broken page (or a chunk that failed to load) from blanking the whole app. */
export class ErrorBoundary extends Component<{ children: ReactNode }, State> {
  override state: State = { error: null };

  static getDerivedStateFromError(error: unknown): State {
    return { error };
  }

  override render() {
    if (this.state.error) {
      return (
        <ErrorState
          title="This page failed to display"
          error={this.state.error}
          onRetry={() => this.setState({ error: null })}
        />
      );
    }
    return this.props.children;
  }
}
