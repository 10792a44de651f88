import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { CHROMIUM, launchBrowser } from '../../e2e/support/browser.ts';

const RENDERER = join(import.meta.dirname, '..', '..', 'out', 'renderer', 'index.html');

/**
 * Milliseconds from navigation to the Overview showing data (its spend figure), in a fresh headless
 * Chromium; null when Chromium or the built dashboard is missing.
 */
export async function firstRenderMs(dashboardUrl: string): Promise<number | null> {
  if (!existsSync(CHROMIUM) || !existsSync(RENDERER)) return null;
  const browser = await launchBrowser();
  try {
    const context = await browser.newContext();
    // Skip first-run onboarding so the Overview is what renders.
    await context.addInitScript(() => localStorage.setItem('apex.onboarded', '1'));
    const page = await context.newPage();
    const started = performance.now();
    await page.goto(`${dashboardUrl}#/overview`);
    await page.getByTestId('stat-spend').waitFor({ state: 'visible', timeout: 10_000 });
    return performance.now() - started;
  } finally {
    await browser.close();
  }
}
