import { Suspense, useRef, type MouseEvent } from 'react';
import { useUnauthorized } from '../api/auth-state.ts';
import { useStatus } from '../api/hooks.ts';
import { CardSkeleton } from '../components/Skeleton.tsx';
import { AuthScreen } from './AuthScreen.tsx';
import { ErrorBoundary } from './ErrorBoundary.tsx';
import { Header } from './Header.tsx';
import { Nav } from './Nav.tsx';
import { PAGES } from './pages.ts';
import { useRoute, type Route } from './router.ts';

function PageFallback() {
  return <CardSkeleton label="Loading page" />;
}

function Shell({ route }: { route: Exclude<Route, 'welcome'> }) {
  const status = useStatus();
  const main = useRef<HTMLElement>(null);
  const Page = PAGES[route];
  // A plain #main-content link would replace the route in the hash, so focus the landmark directly.
  const skip = (e: MouseEvent) => {
    e.preventDefault();
    main.current?.focus();
  };
  return (
    <div className="shell">
      <a className="skip-link" href="#main-content" onClick={skip}>
        Skip to content
      </a>
      <Header demo={status.data?.demo ?? false} />
      <Nav current={route} version={status.data?.version} />
      <main className="main" id="main-content" ref={main} tabIndex={-1}>
        <div className="main-inner">
          <ErrorBoundary key={route}>
            <Suspense fallback={<PageFallback />}>
              <Page />
            </Suspense>
          </ErrorBoundary>
        </div>
      </main>
    </div>
  );
}

export function App() {
  const unauthorized = useUnauthorized();
  const route = useRoute();
  if (unauthorized) return <AuthScreen />;
  if (route === 'welcome') {
    const Welcome = PAGES.welcome;
    return (
      <ErrorBoundary>
        <Suspense fallback={<PageFallback />}>
          <Welcome />
        </Suspense>
      </ErrorBoundary>
    );
  }
  return <Shell route={route} />;
}
