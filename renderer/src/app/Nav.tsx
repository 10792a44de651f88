import type { ReactNode } from 'react';
import {
  KeyIcon,
  LiveIcon,
  OverviewIcon,
  SavingsIcon,
  SettingsIcon,
  WasteIcon,
} from '../components/icons.tsx';
import type { Route } from './router.ts';

/** A key on a card: one issued key per person or app, told apart from the providers' key icon. */
const VirtualKeyIcon = () => (
  <svg
    viewBox="0 0 24 24"
    fill="none"
    stroke="currentColor"
    strokeWidth={1.8}
    strokeLinecap="round"
    strokeLinejoin="round"
    aria-hidden="true"
    focusable="false"
  >
    <rect x="2.5" y="5.5" width="19" height="13" rx="2.5" />
    <circle cx="8" cy="12" r="2.2" />
    <path d="M10.2 12h7.3M15 12v2.4M17.5 12v2" />
  </svg>
);

const LINKS: ReadonlyArray<{ route: Route; label: string; icon: ReactNode }> = [
  { route: 'overview', label: 'Overview', icon: <OverviewIcon /> },
  { route: 'savings', label: 'Savings', icon: <SavingsIcon /> },
  { route: 'live', label: 'Live', icon: <LiveIcon /> },
  { route: 'waste', label: 'Waste report', icon: <WasteIcon /> },
  { route: 'providers', label: 'Providers & keys', icon: <KeyIcon /> },
  { route: 'keys', label: 'Virtual keys', icon: <VirtualKeyIcon /> },
  { route: 'settings', label: 'Settings', icon: <SettingsIcon /> },
];

export function Nav({ current, version }: { current: Route; version?: string }) {
  return (
    <nav className="sidebar" aria-label="Main">
      <div className="sidebar-inner">
        <ul className="nav-list">
          {LINKS.map((link) => (
            <li key={link.route}>
              <a
                className="nav-link"
                href={`#/${link.route}`}
                aria-current={current === link.route ? 'page' : undefined}
                data-testid={`nav-${link.route}`}
              >
                {link.icon}
                {link.label}
              </a>
            </li>
          ))}
        </ul>
        {version ? <p className="nav-footer">Netra Apex {version}</p> : null}
      </div>
    </nav>
  );
}
