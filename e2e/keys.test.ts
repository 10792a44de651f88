import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { KeysResponse, VirtualKeyInfo } from '../contracts/virtual-keys.ts';
import { accessibilityProblems, screenshot } from './support/browser.ts';
import { useApexAndBrowser } from './support/session.ts';

const session = useApexAndBrowser();
const DOLLAR = 1_000_000_000;

async function keyFromApi(name: string): Promise<VirtualKeyInfo | undefined> {
  const response = await fetch(`${session.apex.apiBase}/api/keys`, {
    headers: { authorization: `Bearer ${session.apex.token}` },
  });
  const body = (await response.json()) as KeysResponse;
  return body.keys.find((key) => key.name === name);
}

async function openKeysPage(page: Page): Promise<void> {
  await page.goto(`${session.apex.dashboardUrl}#/overview`);
  await page.getByTestId('overview-page').waitFor();
  await page.getByTestId('nav-keys').click();
  await page.getByTestId('keys-page').waitFor();
}

async function createKey(page: Page): Promise<string> {
  const fields: Record<string, string> = {
    name: 'e2e-alice',
    project: 'checkout',
    daily: '5',
    monthly: '$100.50',
    rpm: '60',
    tpm: '100,000',
    models: 'gpt-4o*, claude-*',
  };
  for (const [field, value] of Object.entries(fields)) {
    await page.getByTestId(`create-key-${field}`).fill(value);
  }
  await page.getByTestId('create-key-submit').click();
  const secret = (await page.getByTestId('key-secret-value').locator('code').textContent()) ?? '';
  return secret;
}

describe('virtual keys in the dashboard', { timeout: 90_000 }, () => {
  it('creates a key, shows its secret once, lists it, edits it and revokes it after confirmation', async () => {
    const context = await session.browser.newContext({ viewport: { width: 1400, height: 900 } });
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: session.apex.apiBase });
    await context.addInitScript(() => localStorage.setItem('apex.onboarded', '1'));
    const page = await context.newPage();
    const problems: string[] = [];
    const audit = async (step: string) =>
      problems.push(...(await accessibilityProblems(page)).map((p) => `${step}: ${p}`));

    await openKeysPage(page);
    await page.getByTestId('keys-empty').waitFor();
    expect(await page.getByTestId('keys-empty').textContent()).toContain(
      `OPENAI_API_KEY=sk-apex-... OPENAI_BASE_URL=${session.apex.proxyUrl}/v1`,
    );
    await audit('empty');

    // Invalid input is caught in the page, next to the field, and nothing is created.
    await page.getByTestId('create-key-daily').fill('5.5.5');
    await page.getByTestId('create-key-submit').click();
    await expect.poll(() => page.getByTestId('create-key-name').getAttribute('aria-invalid')).toBe('true');
    expect(await page.getByTestId('create-key-daily').getAttribute('aria-invalid')).toBe('true');
    expect(await keyFromApi('e2e-alice')).toBeUndefined();
    await audit('invalid');
    await page.getByTestId('create-key-daily').fill('');

    const secret = await createKey(page);
    expect(secret).toMatch(/^sk-apex-[0-9A-Za-z]{32}$/);
    expect(await page.getByTestId('key-secret').textContent()).toContain('You will not see this key again');
    expect(await page.getByTestId('key-secret-env').textContent()).toContain(
      `OPENAI_API_KEY=${secret} OPENAI_BASE_URL=${session.apex.proxyUrl}/v1`,
    );
    // Audited before copying: CopyButton's "Copied" text is not part of its aria-label for 2 s.
    await audit('secret');
    await screenshot(page, 'keys-secret');
    await page.getByTestId('key-secret-value').getByTestId('copy-button').click();
    await expect.poll(() => page.evaluate('navigator.clipboard.readText()')).toBe(secret);

    const created = await keyFromApi('e2e-alice');
    expect(created).toMatchObject({
      project: 'checkout',
      budgetDailyNanos: 5 * DOLLAR,
      budgetMonthlyNanos: 100.5 * DOLLAR,
      rpm: 60,
      tpm: 100_000,
      models: ['gpt-4o*', 'claude-*'],
      revokedAt: null,
    });

    await page.getByTestId('key-secret-done').click();
    await page.getByTestId('create-key-form').waitFor();
    expect(await page.content()).not.toContain(secret);
    const row = page.locator(`[data-testid="key-row"][data-key-id="${created?.id}"]`);
    await row.waitFor();
    const rowText = (await row.textContent()) ?? '';
    expect(rowText).toContain('e2e-alice');
    expect(rowText).toContain(created?.hint);
    expect(rowText).toContain('$0.00 of $5.00');
    expect(rowText).toContain('$0.00 of $100.50');
    expect(rowText).toContain('60 req/min');
    expect(rowText).not.toContain(secret);
    await audit('listed');

    await row.getByTestId('key-edit').click();
    const edit = page.getByTestId('edit-dialog');
    await edit.waitFor();
    expect(await page.getByTestId('edit-key-monthly').inputValue()).toBe('100.5');
    await audit('edit dialog');
    await screenshot(page, 'keys-edit-dialog');
    await page.getByTestId('edit-key-daily').fill('7.25');
    await page.getByTestId('edit-key-rpm').fill('');
    await page.getByTestId('edit-key-submit').click();
    await edit.waitFor({ state: 'detached' });
    await expect.poll(async () => (await row.textContent()) ?? '').toContain('$0.00 of $7.25');
    expect(await keyFromApi('e2e-alice')).toMatchObject({ budgetDailyNanos: 7_250_000_000, rpm: null });

    await row.getByTestId('key-revoke').click();
    const dialog = page.getByTestId('revoke-dialog');
    await dialog.waitFor();
    expect(await dialog.textContent()).toContain(created?.hint);
    await audit('revoke dialog');
    await screenshot(page, 'keys-revoke-dialog');
    await page.getByTestId('revoke-cancel').click();
    await dialog.waitFor({ state: 'detached' });
    expect(await row.getAttribute('data-status')).toBe('active');
    expect((await keyFromApi('e2e-alice'))?.revokedAt).toBeNull();

    await row.getByTestId('key-revoke').click();
    await page.getByTestId('revoke-confirm').click();
    await expect.poll(() => row.getAttribute('data-status')).toBe('revoked');
    expect(await row.textContent()).toContain('Revoked');
    expect(await row.getByTestId('key-revoke').count()).toBe(0);
    expect((await keyFromApi('e2e-alice'))?.revokedAt).toEqual(expect.any(Number));
    await audit('revoked');
    await screenshot(page, 'keys-revoked');

    expect(problems).toEqual([]);
    await context.close();
  });

  it('has no serious accessibility violations in the dark theme, dialog open included', async () => {
    const context = await session.browser.newContext({ colorScheme: 'dark' });
    await context.addInitScript(() => localStorage.setItem('apex.onboarded', '1'));
    const page = await context.newPage();
    const created = await fetch(`${session.apex.apiBase}/api/keys`, {
      method: 'POST',
      headers: { authorization: `Bearer ${session.apex.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'e2e-dark', budgetDailyNanos: 1_000_000_000, models: ['gpt-4o'] }),
    });
    expect(created.status).toBe(201);
    await openKeysPage(page);
    await page.locator('[data-testid="key-row"][data-status="active"]').waitFor();
    const problems = await accessibilityProblems(page);
    await screenshot(page, 'keys-dark');
    await page.locator('[data-status="active"]').getByTestId('key-revoke').click();
    await page.getByTestId('revoke-dialog').waitFor();
    problems.push(...(await accessibilityProblems(page)));
    await screenshot(page, 'keys-revoke-dialog-dark');
    expect(problems).toEqual([]);
    await context.close();
  });
});
