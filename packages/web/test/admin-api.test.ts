import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser } from '../../server/src/app/users/create-user.js';
import { TestPanel } from '../../server/test/support/test-panel.js';
import { collectCspViolations, launchChromium, logIn, SCREENSHOTS } from './support/browser.js';

/**
 * Issue 16 items 4 and 5 in Chromium: a staff member creates an admin API token on their Account page
 * (shown once), uses it, sees when it was last used, revokes it; the reference page served by the
 * panel renders the OpenAPI document under the panel's CSP.
 */
const WAIT = { timeout: 15_000 };

describe('admin API tokens and reference in a browser', () => {
  let panel: TestPanel;
  let browser: Browser;
  let page: Page;
  const username = `tokens_${process.pid}`;
  const password = 'tokens-password-1';
  const cspViolations: string[] = [];

  const callApi = (token: string) =>
    fetch(`${panel.baseUrl}/admin-api/v1/users?limit=1`, { headers: { authorization: `Bearer ${token}` } });

  beforeAll(async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    panel = await TestPanel.start();
    const created = await createUser(panel.ctx, { username, password, role: 'manager' });
    if (!created.ok) throw new Error(created.failure.code);
    browser = await launchChromium();
    page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
    collectCspViolations(page, cspViolations);
    await logIn(page, panel.baseUrl, username, password, {
      signedIn: (signedIn) => signedIn.getByRole('link', { name: 'Account', exact: true }),
      wait: WAIT,
    });
  });

  afterAll(async () => {
    await browser?.close();
    await panel?.close();
  });

  it('creates a token shown once, lists it with its last use, and revokes it', async () => {
    await page.getByRole('link', { name: 'Account', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Account' }).waitFor(WAIT);
    await page.getByRole('heading', { name: 'Admin API tokens' }).waitFor(WAIT);
    await page.getByText('No tokens yet.').waitFor(WAIT);
    await page.getByLabel('Token name').fill('telegram-bot');
    await page.getByRole('button', { name: 'Create token' }).click();
    await page.getByText('it is not shown again').waitFor(WAIT);
    const token = (await page.locator('.alert code.secret').textContent())!;
    expect(token).toMatch(/^smk_admin_/);
    expect((await callApi(token)).status).toBe(200);

    await page.reload();
    const row = page.getByRole('row', { name: /telegram-bot/ });
    await row.waitFor(WAIT);
    expect(await row.textContent()).not.toContain('Never');
    expect(await page.getByText(token).count()).toBe(0);
    await page.screenshot({ path: join(SCREENSHOTS, 'admin-api-tokens.png'), fullPage: true });

    await row.getByRole('button', { name: 'Revoke' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Revoke the token' }).click();
    await page.getByText('No tokens yet.').waitFor(WAIT);
    expect((await callApi(token)).status).toBe(401);
  });

  it('the admin dashboard links the reference, which renders every operation from the document', async () => {
    await page.goto(`${panel.baseUrl}/admin`);
    const link = page.getByRole('link', { name: 'Admin API reference' });
    expect(await link.getAttribute('href')).toBe('/admin-api/v1/docs');
    await page.goto(`${panel.baseUrl}/admin-api/v1/docs`);
    await page.getByText('smmkit admin API').first().waitFor(WAIT);
    await page.getByText('/users/{id}/funds').first().waitFor(WAIT);
    const document = (await (await fetch(`${panel.baseUrl}/admin-api/v1/openapi.json`)).json()) as {
      paths: Record<string, Record<string, unknown>>;
    };
    const operations = Object.values(document.paths).reduce((sum, item) => sum + Object.keys(item).length, 0);
    expect(await page.locator('.opblock').count()).toBe(operations);
    await page.screenshot({ path: join(SCREENSHOTS, 'admin-api-reference.png'), fullPage: false });
    expect(cspViolations).toEqual([]);
  });
});
