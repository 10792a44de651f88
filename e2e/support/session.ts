import type { Browser } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { startApex, type RunningApex } from './apex-serve.ts';
import { launchBrowser } from './browser.ts';

export interface E2eSession {
  apex: RunningApex;
  browser: Browser;
}

/**
 * One demo `apex serve` and one Chromium for a whole test file, started together and stopped after.
 * The returned object is filled in before the first test runs.
 */
export function useApexAndBrowser(): E2eSession {
  const session = {} as E2eSession;
  beforeAll(async () => {
    [session.apex, session.browser] = await Promise.all([startApex({ demoRate: 5 }), launchBrowser()]);
  }, 60_000);
  afterAll(async () => {
    await session.browser?.close();
    await session.apex?.stop();
  });
  return session;
}
