import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { startApex } from './support/apex-serve.ts';
import { screenshot } from './support/browser.ts';
import { useApexAndBrowser } from './support/session.ts';

const SAMPLES = join(import.meta.dirname, '..', 'resources', 'samples');
const session = useApexAndBrowser();

async function freshPage(): Promise<Page> {
  const context = await session.browser.newContext({ viewport: { width: 1280, height: 900 } });
  return context.newPage();
}

describe('first run', { timeout: 90_000 }, () => {
  it('onboarding ends with the first proxied request, then demo traffic shows in Live and Overview', async () => {
    const page = await freshPage();
    await page.goto(session.apex.dashboardUrl);
    await page.getByTestId('onboarding').waitFor();
    expect(page.url()).not.toContain('token='); // the token leaves the address bar
    await page.getByTestId('onboarding-start').click();
    await page.getByTestId('onboarding-path-sdk').click();
    await expect
      .poll(() => page.getByTestId('snippets-openai').textContent())
      .toContain(`${session.apex.proxyUrl}/v1`);
    const first = page.getByTestId('onboarding-first-request');
    await page
      .locator('[data-testid="onboarding-first-request"][data-state="received"]')
      .waitFor({ timeout: 20_000 });
    expect(await first.getByTestId('first-request-cost').textContent()).toMatch(/^\$/);
    await screenshot(page, 'onboarding-first-request');
    await page.getByTestId('onboarding-finish').click();

    await page.getByTestId('nav-live').click();
    await page.getByTestId('live-row').first().waitFor({ timeout: 20_000 });
    const rowsBefore = await page.getByTestId('live-row').count();
    await expect
      .poll(() => page.getByTestId('live-row').count(), { timeout: 20_000 })
      .toBeGreaterThan(rowsBefore);

    await page.getByTestId('nav-overview').click();
    await expect
      .poll(
        async () => Number((await page.getByTestId('stat-requests').textContent())?.replace(/\D/g, '') ?? 0),
        { timeout: 20_000 },
      )
      .toBeGreaterThan(0);
    expect(await page.getByTestId('stat-spend').textContent()).toMatch(/\$\d/);
  });
});

describe('the Wedge in the dashboard', { timeout: 90_000 }, () => {
  it('imports the sample exports and shows findings with the hand-worked totals', async () => {
    const page = await freshPage();
    await page.goto(`${session.apex.dashboardUrl}#/waste`);
    await page.getByTestId('waste-page').waitFor();
    const files = readdirSync(SAMPLES).map((name) => join(SAMPLES, name));
    await page.getByTestId('file-input').setInputFiles(files);
    await expect
      .poll(
        () =>
          page
            .locator(
              '[data-testid="upload-result"][data-status="imported"], [data-testid="upload-result"][data-status="already-imported"]',
            )
            .count(),
        { timeout: 60_000 },
      )
      .toBe(files.length);
    await page.getByTestId('findings-list').waitFor();
    // resources/SAMPLES.md: $31,174.43 in all; the idle p4d saves $11,011.5936 over 14 days, $23,596.27 a month.
    await expect.poll(() => page.getByTestId('report-total').textContent()).toContain('$31,174.43');
    const idle = page
      .locator('[data-testid="finding-card"][data-kind="idle-gpu"]')
      .filter({ hasText: 'i-0a4d00000000idle1' });
    expect(await idle.getByTestId('finding-saving').textContent()).toContain('$23,596.27');
    await idle.getByTestId('finding-toggle').click();
    await idle.getByTestId('evidence-row').first().waitFor();
    expect(await idle.getByTestId('evidence-row').count()).toBe(14);
    expect(await idle.getByTestId('evidence-table').textContent()).toMatch(/aws-cur2.*csv/);
    expect(await page.getByTestId('roi-block').textContent()).toContain('$44,699.09');
    await screenshot(page, 'waste-report-imported');
  });
});

describe('provider keys', { timeout: 90_000 }, () => {
  it('shows a configured key only as its last four characters, on the page and in every API answer', async () => {
    const secret = 'sk-e2e-VERY-SECRET-0123456789wxyz';
    const config = join(session.apex.dataDir, 'apex.yaml');
    writeFileSync(
      config,
      'providers:\n  openai: { kind: openai, apiKey: "${E2E_KEY}" }\nmodels:\n  - { name: gpt-4o, provider: openai }\n',
    );
    const configured = await startApex({
      config,
      env: { E2E_KEY: secret, E2E_GROQ_KEY: 'gsk-e2e-ANOTHER-SECRET-5555aaaa' },
    });
    try {
      const page = await freshPage();
      const bodies: string[] = [];
      page.on('response', async (response) => {
        if (response.url().includes('/api/')) bodies.push(await response.text().catch(() => ''));
      });
      await page.goto(`${configured.dashboardUrl}#/providers`);
      await page.locator('[data-testid="provider-card"][data-provider="openai"]').waitFor();
      expect(await page.getByTestId('provider-key-hint').first().textContent()).toContain('…wxyz');
      // The key points at api.openai.com, which is unreachable here: the check must say so clearly.
      await page.getByTestId('connection-check-button').click();
      await page
        .locator('[data-testid="connection-check-result"][data-ok="false"]')
        .waitFor({ timeout: 15_000 });
      expect(await page.getByTestId('connection-check-result').textContent()).toMatch(
        /could not reach|no answer/,
      );
      // Add a provider: the form takes the name of the variable holding the key, never the key.
      await page.getByTestId('add-provider-name').fill('groq');
      await page.getByTestId('add-provider-kind').selectOption('openai-compatible');
      await page.getByTestId('add-provider-baseUrl').fill('https://api.groq.com/openai/v1');
      await page.getByTestId('add-provider-apiKeyEnv').fill('E2E_GROQ_KEY');
      await page.getByTestId('add-provider-models').fill('llama-3.3-70b-versatile');
      await page.getByTestId('add-provider-submit').click();
      const groq = page.locator('[data-testid="provider-card"][data-provider="groq"]');
      await groq.waitFor();
      expect(await groq.getByTestId('provider-key-hint').textContent()).toContain('…aaaa');
      expect(readFileSync(config, 'utf8')).toContain('apiKey: ${E2E_GROQ_KEY}');
      expect(readFileSync(config, 'utf8')).not.toContain('ANOTHER-SECRET');
      // Bedrock asks for a region instead of a key; without key names it signs with the AWS chain.
      await page.getByTestId('add-provider-name').fill('aws');
      await page.getByTestId('add-provider-kind').selectOption('bedrock');
      await page.getByTestId('add-provider-region').fill('us-east-1');
      await page.getByTestId('add-provider-models').fill('amazon.nova-lite-v1:0');
      await page.getByTestId('add-provider-submit').click();
      await page
        .locator('[data-testid="provider-card"][data-provider="aws"]')
        .getByText('AWS credentials (default chain)')
        .waitFor();
      expect(readFileSync(config, 'utf8')).toMatch(/kind: bedrock\n\s+region: us-east-1/);
      await screenshot(page, 'providers-configured');
      expect(await page.content()).not.toContain('0123456789');
      expect(await page.content()).not.toContain('ANOTHER-SECRET');
      expect(bodies.join('\n')).not.toContain('0123456789');
      expect(bodies.join('\n')).not.toContain('ANOTHER-SECRET');
      expect(bodies.length).toBeGreaterThan(0);
    } finally {
      await configured.stop();
    }
  });
});
