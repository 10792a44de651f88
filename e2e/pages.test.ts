import { describe, expect, it } from 'vitest';
import { accessibilityProblems, screenshot } from './support/browser.ts';
import { useApexAndBrowser } from './support/session.ts';

const PAGES = ['overview', 'savings', 'live', 'waste', 'providers', 'keys', 'settings'] as const;
const THEMES = ['light', 'dark'] as const;
const session = useApexAndBrowser();

describe('every page in both themes', { timeout: 90_000 }, () => {
  for (const theme of THEMES) {
    it(`has no serious or critical accessibility violations in the ${theme} theme (screenshots saved)`, async () => {
      const context = await session.browser.newContext({
        viewport: { width: 1280, height: 900 },
        colorScheme: theme,
      });
      await context.addInitScript(() => localStorage.setItem('apex.onboarded', '1'));
      const page = await context.newPage();
      const problems: string[] = [];
      for (const name of PAGES) {
        await page.goto(`${session.apex.dashboardUrl}#/${name}`);
        await page.getByTestId(`${name}-page`).waitFor();
        await page.waitForLoadState('networkidle').catch(() => undefined);
        problems.push(...(await accessibilityProblems(page)).map((p) => `${name}: ${p}`));
        await screenshot(page, `${name}-${theme}`);
      }
      await page.goto(session.apex.dashboardUrl.replace(/\?token=.*/, '') + '#/welcome');
      await screenshot(page, `no-token-${theme}`);
      expect(problems).toEqual([]);
      await context.close();
    });
  }

  it('is usable by keyboard: Tab reaches the navigation and Enter opens a page', async () => {
    const context = await session.browser.newContext();
    await context.addInitScript(() => localStorage.setItem('apex.onboarded', '1'));
    const page = await context.newPage();
    await page.goto(`${session.apex.dashboardUrl}#/overview`);
    await page.getByTestId('overview-page').waitFor();
    let reached = false;
    for (let i = 0; i < 15 && !reached; i++) {
      await page.keyboard.press('Tab');
      reached = await page.getByTestId('nav-live').evaluate((el) => el === el.ownerDocument.activeElement);
    }
    expect(reached).toBe(true);
    await page.keyboard.press('Enter');
    await page.getByTestId('live-page').waitFor();
    await context.close();
  });
});
