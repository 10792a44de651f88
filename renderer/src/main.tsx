import { QueryClientProvider } from '@tanstack/react-query';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { createQueryClient } from './api/hooks.ts';
import { initSession } from './api/session.ts';
import { App } from './app/App.tsx';
import { normalizeHash } from './app/router.ts';
import { initTheme } from './app/theme.ts';
import './styles/tokens.css';
import './styles/base.css';
import './styles/layout.css';
import './styles/components.css';
import './styles/data.css';
import './styles/states.css';

// Before the first render: the token must leave the address bar and the theme must be on the page.
initSession();
initTheme();
normalizeHash();

const queryClient = createQueryClient();

createRoot(document.getElementById('root') as HTMLElement).render(
  <StrictMode>
    <QueryClientProvider client={queryClient}>
      <App />
    </QueryClientProvider>
  </StrictMode>,
);
