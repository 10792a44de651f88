import { Badge } from '../components/Badge.tsx';
import { BrandMark, MoonIcon, SunIcon } from '../components/icons.tsx';
import { setThemePreference, useResolvedTheme } from './theme.ts';

function ThemeToggle() {
  const theme = useResolvedTheme();
  const next = theme === 'dark' ? 'light' : 'dark';
  return (
    <button
      type="button"
      className="btn btn--ghost icon-btn"
      onClick={() => setThemePreference(next)}
      aria-label={`Switch to ${next} theme`}
      title={`Switch to ${next} theme`}
      data-testid="theme-toggle"
    >
      {theme === 'dark' ? <SunIcon /> : <MoonIcon />}
    </button>
  );
}

export function Header({ demo }: { demo: boolean }) {
  return (
    <header className="app-header">
      <a className="brand" href="#/overview" aria-label="Netra Apex, go to overview">
        <BrandMark className="brand-mark" />
        <span>
          Netra <span className="brand-name">Apex</span>
        </span>
      </a>
      {demo ? (
        <Badge
          tone="warning"
          testId="demo-badge"
          title="Simulated providers and demo traffic; nothing is billed"
        >
          Demo mode
        </Badge>
      ) : null}
      <span className="header-spacer" />
      <ThemeToggle />
    </header>
  );
}
