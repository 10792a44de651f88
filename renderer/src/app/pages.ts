import { lazy } from 'react';

/** One chunk per page, so recharts loads only with the pages that draw charts. */
export const PAGES = {
  overview: lazy(() => import('../pages/overview/OverviewPage.tsx')),
  savings: lazy(() => import('../pages/savings/SavingsPage.tsx')),
  live: lazy(() => import('../pages/live/LivePage.tsx')),
  waste: lazy(() => import('../pages/waste/WastePage.tsx')),
  providers: lazy(() => import('../pages/providers/ProvidersPage.tsx')),
  keys: lazy(() => import('../pages/keys/KeysPage.tsx')),
  settings: lazy(() => import('../pages/settings/SettingsPage.tsx')),
  welcome: lazy(() => import('../pages/welcome/WelcomePage.tsx')),
};
