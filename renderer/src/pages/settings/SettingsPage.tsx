import { useStatus } from '../../api/hooks.ts';
import { navigate, setOnboarded } from '../../app/router.ts';
import { setThemePreference, useThemePreference, type ThemePreference } from '../../app/theme.ts';
import { PageHeader } from '../../components/PageHeader.tsx';
import { Segmented } from '../../components/Segmented.tsx';
import { Skeleton } from '../../components/Skeleton.tsx';
import { ErrorState } from '../../components/States.tsx';
import { formatDateTime } from '../../format.ts';

const THEMES: ReadonlyArray<{ value: ThemePreference; label: string }> = [
  { value: 'system', label: 'System' },
  { value: 'light', label: 'Light' },
  { value: 'dark', label: 'Dark' },
];

function Appearance() {
  const preference = useThemePreference();
  return (
    <section className="card stack" style={{ gap: 12 }} aria-labelledby="appearance-heading">
      <h2 id="appearance-heading">Appearance</h2>
      <Segmented
        legend="Theme"
        hideLegend={false}
        options={THEMES}
        value={preference}
        onChange={setThemePreference}
        testIdPrefix="theme"
      />
      <p className="subtle">System follows your operating system's light or dark setting.</p>
    </section>
  );
}

function About() {
  const status = useStatus();
  return (
    <section className="card stack" style={{ gap: 12 }} aria-labelledby="about-heading">
      <h2 id="about-heading">About</h2>
      {status.isPending ? <Skeleton lines={3} /> : null}
      {status.isError ? (
        <ErrorState error={status.error} onRetry={() => void status.refetch()} retrying={status.isFetching} />
      ) : null}
      {status.data ? (
        <dl className="dl-grid" data-testid="about">
          <dt>Version</dt>
          <dd className="num" data-testid="about-version">
            {status.data.version}
          </dd>
          <dt>Mode</dt>
          <dd>{status.data.demo ? 'Demo: simulated providers, nothing is billed' : 'Live providers'}</dd>
          <dt>Proxy URL</dt>
          <dd className="mono" data-testid="about-proxy-url">
            {status.data.proxyUrl}
          </dd>
          <dt>Started</dt>
          <dd className="num" data-testid="about-started-at">
            <time dateTime={status.data.startedAt}>{formatDateTime(status.data.startedAt)}</time>
          </dd>
        </dl>
      ) : null}
    </section>
  );
}

function Onboarding() {
  const restart = () => {
    setOnboarded(false);
    navigate('welcome');
  };
  return (
    <section className="card stack" style={{ gap: 12 }} aria-labelledby="onboarding-heading">
      <h2 id="onboarding-heading">Getting started</h2>
      <p className="muted">Walk through connecting an SDK or importing a bill again.</p>
      <div>
        <button type="button" className="btn" onClick={restart} data-testid="show-onboarding">
          Show onboarding again
        </button>
      </div>
    </section>
  );
}

export default function SettingsPage() {
  return (
    <>
      <PageHeader title="Settings" />
      <div className="stack settings" style={{ maxWidth: 720 }} data-testid="settings-page">
        <Appearance />
        <About />
        <Onboarding />
      </div>
    </>
  );
}
