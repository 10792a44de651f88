import type { ReactNode } from 'react';
import {
  KeyIcon,
  LiveIcon,
  OverviewIcon,
  SavingsIcon,
  SettingsIcon,
  VirtualKeyIcon,
  WasteIcon,
} from '../components/icons.tsx';
import type { Route } from './router.ts';

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
