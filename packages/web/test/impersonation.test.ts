import { type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser } from '../../server/src/app/users/create-user.js';
import { sql } from '../../server/src/store/database.js';
import { TestPanel } from '../../server/test/support/test-panel.js';
import { collectCspViolations, launchChromium, logIn as logInAs, WAIT } from './support/browser.js';

/**
 * Issue 13 in the browser: the owner signs in as a customer (item 14) under a banner and comes back;
 * each staff role sees only the admin pages and buttons it may use (item 13); and the strict
 * Content-Security-Policy (finding 7) breaks nothing: no violation is reported on any page visited.
 */

describe('sign in as a customer, and roles, in a browser', () => {
  let panel: TestPanel;
  let browser: Browser;
  const cspViolations: string[] = [];
  const password = 'staff-password-123';
  const customerName = `carol_${process.pid}`;

  async function newPage(): Promise<Page> {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    collectCspViolations(page, cspViolations);
    return page;
  }

  const logIn = (page: Page, username: string) =>
    logInAs(page, panel.baseUrl, username, password, {
      signedIn: (signedIn) => signedIn.getByRole('link', { name: 'Admin' }),
    });

  beforeAll(async () => {
    panel = await TestPanel.start();
    for (const [username, role] of [
      ['owner', 'owner'],
      ['support', 'support'],
    ] as const) {
      const created = await createUser(panel.ctx, { username, password, role });
      if (!created.ok) throw new Error(created.failure.code);
    }
    const customer = await createUser(panel.ctx, {
      username: customerName,
      password: 'carol-password-1',
      role: 'customer',
    });
    if (!customer.ok) throw new Error(customer.failure.code);
    await panel.fund(customer.value, '12.5');
    // One order, for the Orders page: support reads it but may not change its status.
    const orderer = await panel.customer('10');
    const service = await panel.createService();
    const added = await panel.api({
      key: orderer.apiKey,
      action: 'add',
      service: String(service),
      link: 'https://example.com/p/1',
      quantity: '100',
    });
    if (!('order' in (added.json as object))) throw new Error(JSON.stringify(added.json));
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await panel?.close();
  });

  it('the owner signs in as a customer, sees their panel under a banner, and goes back to admin', async () => {
    const page = await newPage();
    await logIn(page, 'owner');
    await page.goto(`${panel.baseUrl}/admin/users`);
    await page.getByRole('heading', { level: 1, name: 'Users' }).waitFor(WAIT);
    await page.getByLabel('Search users').fill(customerName);
    await page.getByRole('button', { name: 'Search' }).click();
    await page.getByRole('button', { name: `Open ${customerName}` }).click();
    await page.getByRole('button', { name: `Sign in as ${customerName}` }).click();

    const banner = page.getByRole('status').filter({ hasText: 'signed in as' });
    await banner.waitFor(WAIT);
    expect(await banner.textContent()).toContain(`You (owner) are signed in as ${customerName}`);
    // The customer's own panel: their balance, the client navigation, no admin link.
    await page.getByRole('link', { name: 'Balance: 12.50 USD' }).waitFor(WAIT);
    expect(await page.getByRole('link', { name: 'Admin' }).count()).toBe(0);

    // Their API keys are theirs: creating one is refused and nothing is created.
    await page.goto(`${panel.baseUrl}/api-keys`);
    await banner.waitFor(WAIT);
    const keys = sql(
      'SELECT COUNT(*) AS count FROM api_keys WHERE user_id = (SELECT id FROM users WHERE username = ?)',
    );
    const before = (await panel.db.get<{ count: bigint | number }>(keys, [customerName]))!.count;
    await page.getByRole('button', { name: 'Create a key' }).click();
    await page.getByText('affiliate payouts are theirs to change').last().waitFor(WAIT);
    expect((await panel.db.get<{ count: bigint | number }>(keys, [customerName]))!.count).toBe(before);

    await banner.getByRole('button', { name: 'Back to admin' }).click();
    await page.getByRole('heading', { level: 1, name: 'Users' }).waitFor(WAIT);
    expect(await page.getByRole('status').filter({ hasText: 'signed in as' }).count()).toBe(0);
    await page.getByRole('link', { name: 'Settings' }).waitFor(WAIT);

    const audit = await panel.db.all<{ action: string }>(
      sql("SELECT action FROM audit_log WHERE action LIKE 'user.impersonate%' ORDER BY id"),
    );
    expect(audit.map((entry) => entry.action)[0]).toBe('user.impersonate');
    expect(audit.map((entry) => entry.action).at(-1)).toBe('user.impersonate.end');
  });

  it('support sees only the pages and buttons its role may use', async () => {
    const page = await newPage();
    await logIn(page, 'support');
    await page.goto(`${panel.baseUrl}/admin/users`);
    await page.getByRole('heading', { level: 1, name: 'Users' }).waitFor(WAIT);
    const nav = page.getByRole('navigation', { name: 'Main' });
    const links = await nav.getByRole('link').allTextContents();
    expect(links).toEqual([
      'Dashboard',
      'Users',
      'Orders',
      'Refills',
      'Delivery',
      'Subscriptions',
      'Tickets',
      'Affiliates',
      'Client area',
    ]);
    await page.getByLabel('Search users').fill(customerName);
    await page.getByRole('button', { name: 'Search' }).click();
    await page.getByRole('button', { name: `Open ${customerName}` }).click();
    await page.getByRole('heading', { level: 2, name: customerName }).waitFor(WAIT);
    for (const name of [
      `Sign in as ${customerName}`,
      'Adjust balance',
      'Set rate',
      'Set rate limit',
      'Suspend',
    ]) {
      expect(await page.getByRole('button', { name, exact: true }).count(), name).toBe(0);
    }
    // Orders: read, never changed (orders.write is the owner's and the manager's).
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Orders' }).click();
    await page.getByRole('heading', { level: 1, name: 'Orders' }).waitFor(WAIT);
    await page.getByText('https://example.com/p/1').first().waitFor(WAIT);
    expect(await page.getByRole('button', { name: 'Edit status' }).count()).toBe(0);
  });

  it('reports no Content-Security-Policy violation on any page visited', () => {
    expect(cspViolations).toEqual([]);
  });
});
