import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { updateOrderStatus } from '../../server/src/app/orders/update-order-status.js';
import { createUser } from '../../server/src/app/users/create-user.js';
import { TestPanel } from '../../server/test/support/test-panel.js';
import { axeViolations, isBlocking } from './support/axe.js';
import {
  DESKTOP,
  launchChromium,
  logIn,
  mainNavigation,
  PHONE,
  SCREENSHOTS,
  visit,
  WAIT,
} from './support/browser.js';

/**
 * Issue 18 items 3, 5, 7 and 9 in Chromium: Orders as a table with status tabs, search and bulk
 * actions (by keyboard too), cards at phone width; Admin Users as a table with a detail panel;
 * the audit log in words; the dashboard's charts at phone width; the Providers empty state. Then
 * screenshots of every page at 1280 and 375 px (test-results/screenshots/page-<name>-<width>.png):
 * one browser, one panel, each page loaded once per width.
 */

describe('orders, users and audit pages in a browser', () => {
  let panel: TestPanel;
  let browser: Browser;
  let customer: Page;
  let admin: Page;
  let apiKey: string;
  let refillable: number;
  const username = `buyer_${process.pid}`;
  const orders: number[] = [];

  const place = async (link: string, service = refillable) => {
    const placed = await panel.api({ key: apiKey, action: 'add', service, link, quantity: 100 });
    expect(placed.status).toBe(200);
    return placed.json.order as number;
  };

  beforeAll(async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    panel = await TestPanel.start();
    const owner = await createUser(panel.ctx, {
      username: 'owner',
      password: 'owner-password-1',
      role: 'owner',
    });
    if (!owner.ok) throw new Error(owner.failure.code);
    const created = await createUser(panel.ctx, { username, password: 'buyer-password-1', role: 'customer' });
    if (!created.ok) throw new Error(created.failure.code);
    apiKey = created.value.apiKey;
    await panel.fund(created.value, '20');
    refillable = await panel.createService({ name: 'Instagram Followers', refill: true, cancel: true });
    await panel.createService({
      name: 'YouTube Views',
      category: 'YouTube',
      rate: '1.25',
      min: 100,
      max: 1000,
    });
    browser = await launchChromium();
    customer = await (await browser.newContext({ viewport: DESKTOP, bypassCSP: true })).newPage();
    admin = await (await browser.newContext({ viewport: DESKTOP, bypassCSP: true })).newPage();
    await logIn(customer, panel.baseUrl, username, 'buyer-password-1', { signedIn: mainNavigation });
    await logIn(admin, panel.baseUrl, 'owner', 'owner-password-1', { signedIn: mainNavigation });
  });

  afterAll(async () => {
    await browser?.close();
    await panel?.close();
  });

  it('says what to do next on an empty Orders and Providers page', async () => {
    await visit(customer, panel.baseUrl, '/orders', 'Orders');
    const empty = customer.getByRole('heading', { level: 2, name: 'No orders yet' });
    await empty.waitFor(WAIT);
    await customer.getByRole('main').getByRole('link', { name: 'New order' }).first().waitFor(WAIT);
    await customer.screenshot({
      path: join(SCREENSHOTS, 'page-client-orders-empty-desktop.png'),
      fullPage: true,
    });

    await visit(admin, panel.baseUrl, '/admin/providers', 'Providers');
    const card = admin.locator('.empty-state');
    await admin.getByRole('heading', { level: 2, name: 'No providers yet' }).waitFor(WAIT);
    const steps = await card.getByRole('listitem').allTextContents();
    expect(steps.map((s) => s.split(' ')[0])).toEqual(['Add', 'Import', 'Sync']);
    expect(await card.getByRole('link', { name: 'API v2 reference' }).getAttribute('href')).toBe('/api-keys');
  });

  it('lists orders in a table with status tabs and counts, searchable, links shortened', async () => {
    const longLink = 'https://www.instagram.com/a-very-long-profile-name-for-the-table/reel/123456789';
    orders.push(
      await place(longLink),
      await place('https://instagram.com/second'),
      await place('https://tiktok.com/@third'),
    );
    const done = await updateOrderStatus(panel.ctx, {
      orderId: orders[0]!,
      status: 'Completed',
      startCount: 10,
      remains: 0,
    });
    expect(done.ok).toBe(true);

    await visit(customer, panel.baseUrl, '/orders', 'Orders');
    const tabs = customer.getByRole('navigation', { name: 'Order status' });
    // The tabs come with the list, after the heading.
    await tabs.getByRole('button', { name: 'All 3' }).waitFor(WAIT);
    expect(await tabs.getByRole('button').allTextContents()).toEqual([
      'All 3',
      'Pending 2',
      'In progress 0',
      'Completed 1',
      'Partial 0',
      'Canceled 0',
    ]);
    const row = customer.getByRole('row', { name: `Order ${orders[0]}`, exact: true });
    const link = row.locator('td[data-label="Link"] span[title]');
    expect(await link.getAttribute('title')).toBe(longLink);
    expect(await link.locator('[aria-hidden="true"]').textContent()).toBe('instagram.com/a-very-long-profi…');

    await tabs.getByRole('button', { name: 'Completed 1' }).click();
    await customer.getByRole('button', { name: 'Completed 1', pressed: true }).waitFor(WAIT);
    await customer.waitForFunction(() => document.querySelectorAll('tbody tr').length === 1);
    expect(await customer.getByRole('row', { name: /^Order \d+$/ }).count()).toBe(1);
    await tabs.getByRole('button', { name: 'All 3' }).click();
    await customer.getByLabel('Search by order id or link').fill('tiktok');
    await customer.getByRole('button', { name: 'Search', exact: true }).click();
    await tabs.getByRole('button', { name: 'All 1' }).waitFor(WAIT);
    await customer.getByRole('row', { name: `Order ${orders[2]}`, exact: true }).waitFor(WAIT);
    await customer.getByLabel('Search by order id or link').fill(String(orders[1]));
    await customer.getByRole('button', { name: 'Search', exact: true }).click();
    await customer.getByRole('row', { name: `Order ${orders[1]}`, exact: true }).waitFor(WAIT);
    await customer.getByRole('button', { name: 'Clear search' }).click();
    await tabs.getByRole('button', { name: 'All 3' }).waitFor(WAIT);
    // One page of orders: no pager.
    expect(await customer.getByRole('navigation', { name: 'Pages' }).count()).toBe(0);
  });

  it('refills and cancels selected orders by keyboard, after a confirmation, with a result per order', async () => {
    await visit(customer, panel.baseUrl, '/orders', 'Orders');
    const cancelSelected = customer.getByRole('button', { name: /^Cancel selected/ });
    expect(await cancelSelected.isDisabled()).toBe(true);
    // Space ticks a focused checkbox; Tab moves on; the bulk buttons say how many orders they apply to.
    for (const id of orders) {
      await customer.getByLabel(`Select order ${id}`, { exact: true }).focus();
      await customer.keyboard.press('Space');
    }
    await customer.getByText('3 selected').waitFor(WAIT);
    expect(await customer.getByRole('button', { name: /^Refill selected/ }).textContent()).toBe(
      'Refill selected (1)',
    );
    expect(await cancelSelected.textContent()).toBe('Cancel selected (2)');
    await cancelSelected.focus();
    await customer.keyboard.press('Enter');
    const dialog = customer.getByRole('dialog', { name: 'Cancel 2 orders?' });
    await dialog.waitFor(WAIT);
    expect(await dialog.textContent()).toContain('1 other selected order does not allow this');
    // Focus is inside the dialog; Escape leaves everything as it was.
    expect(await customer.evaluate(() => document.activeElement?.closest('dialog') !== null)).toBe(true);
    await customer.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden', ...WAIT });
    expect(await customer.getByText('3 selected').count()).toBe(1);
    await cancelSelected.focus();
    await customer.keyboard.press('Enter');
    await dialog.getByRole('button', { name: 'Cancel the orders' }).focus();
    await customer.keyboard.press('Enter');
    const summary = customer.locator('.bulk-summary');
    await summary.getByText('Cancel: 2 accepted.').waitFor(WAIT);
    // Newest first, as the table lists them.
    expect(await summary.getByRole('listitem').allTextContents()).toEqual([
      `Order #${orders[2]}: Cancel accepted`,
      `Order #${orders[1]}: Cancel accepted`,
    ]);
    // The refunds are in the header at once (0.09 each), and the tabs moved.
    await customer.getByRole('link', { name: 'Balance: 19.91 USD' }).waitFor(WAIT);
    await customer.getByRole('button', { name: 'Canceled 2' }).waitFor(WAIT);
    await customer.screenshot({
      path: join(SCREENSHOTS, 'page-client-orders-bulk-desktop.png'),
      fullPage: true,
    });

    await customer.getByLabel(`Select order ${orders[0]}`, { exact: true }).check();
    await customer.getByRole('button', { name: 'Refill selected (1)' }).click();
    await customer
      .getByRole('dialog', { name: `Request a refill for order #${orders[0]}?` })
      .getByRole('button', { name: 'Request the refill' })
      .click();
    await summary.getByText(/Order #\d+: Refill #\d+ requested/).waitFor(WAIT);
  });

  it('shows orders as cards at phone width, nothing wider than the screen, no serious axe violation', async () => {
    await customer.setViewportSize(PHONE);
    await visit(customer, panel.baseUrl, '/orders', 'Orders');
    const row = customer.getByRole('row', { name: `Order ${orders[0]}`, exact: true });
    await row.waitFor(WAIT);
    expect(await row.evaluate((e) => getComputedStyle(e).display)).toBe('block');
    expect(await customer.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(
      PHONE.width,
    );
    await customer.getByLabel('Select every order on this page').check();
    expect((await axeViolations(customer)).filter(isBlocking)).toEqual([]);
    await customer.setViewportSize(DESKTOP);
  });

  it('keeps admin Users a table with a detail panel: ledger, memo, custom rate from a picker, sessions, keys', async () => {
    await visit(admin, panel.baseUrl, '/admin/users', 'Users');
    const table = admin.getByRole('table', { name: 'Users, newest first' });
    await table.getByRole('cell', { name: username, exact: true }).waitFor(WAIT);
    expect(await table.getByRole('row').count()).toBe(3); // the header, the owner, the customer
    await admin.getByLabel('Search users by name').fill('buyer');
    await admin.getByRole('button', { name: 'Search', exact: true }).click();
    await admin.waitForFunction(() => document.querySelectorAll('.users-table tbody tr').length === 1);
    const open = admin.getByRole('button', { name: `Open ${username}` });
    await open.focus();
    await admin.keyboard.press('Enter');
    const close = admin.getByRole('button', { name: `Close ${username}` }).first();
    expect(await close.getAttribute('aria-expanded')).toBe('true');
    const detail = admin.locator('#user-detail');
    await detail.getByRole('heading', { level: 2, name: username }).waitFor(WAIT);
    await detail.getByRole('heading', { name: 'Web sessions' }).waitFor(WAIT);
    expect(await detail.getByText(/^Since \d{4}-/).count()).toBe(1);
    await detail
      .getByText(`${apiKey.slice(0, 4)}`)
      .first()
      .waitFor(WAIT);

    const adjust = detail.getByRole('form', { name: `Adjust the balance of ${username}` });
    await adjust.getByLabel('Amount').fill('5');
    await adjust.getByLabel('Memo').fill('Loyalty bonus');
    await adjust.getByRole('button', { name: 'Adjust balance' }).click();
    await detail.getByText(`Balance of ${username} is now 24.91 USD.`).waitFor(WAIT);
    await detail.getByRole('row').filter({ hasText: 'Loyalty bonus' }).waitFor(WAIT);

    const rates = detail.getByRole('form', { name: `Custom rate for ${username}` });
    await rates.getByLabel('Find a service').fill('youtube');
    const picker = rates.getByLabel('Service', { exact: true });
    expect(await picker.locator('option').allTextContents()).toEqual([
      'Choose a service (1)',
      expect.stringMatching(/^#\d+ YouTube Views · 1.25 USD per 1000$/),
    ]);
    await picker.selectOption({ index: 1 });
    await rates.getByLabel('Custom rate per 1000').fill('0.9');
    await rates.getByRole('button', { name: 'Set rate' }).click();
    await detail.getByText('Custom rate set.').waitFor(WAIT);
    await rates.getByText(/YouTube Views: 0.90 USD per 1000 \(list 1.25 USD\)/).waitFor(WAIT);
    await admin.screenshot({ path: join(SCREENSHOTS, 'page-admin-user-detail-desktop.png'), fullPage: true });
    await admin.setViewportSize(PHONE);
    await admin.screenshot({ path: join(SCREENSHOTS, 'page-admin-user-detail-phone.png'), fullPage: true });
    expect((await axeViolations(admin)).filter(isBlocking)).toEqual([]);
    await admin.setViewportSize(DESKTOP);
  });

  it('writes the audit log in words: who by name, the user linked, amounts formatted, raw JSON behind a disclosure', async () => {
    await visit(admin, panel.baseUrl, '/admin/audit', 'Audit log');
    const rate = admin.getByRole('row').filter({ hasText: 'set a custom rate for' });
    expect(await rate.getByRole('cell').nth(1).textContent()).toBe(
      `owner set a custom rate for ${username}rate per 1000 0.90 USD`,
    );
    expect(await rate.getByRole('link', { name: username }).getAttribute('href')).toBe(
      `/admin/users?q=${username}`,
    );
    const bonus = admin.getByRole('row').filter({ hasText: 'Loyalty bonus' });
    expect(await bonus.getByRole('cell').nth(1).textContent()).toBe(
      `owner added funds for ${username}amount 5.00 USD · new balance 24.91 USD“Loyalty bonus”`,
    );
    const raw = bonus.locator('code.details');
    expect(await raw.isVisible()).toBe(false);
    await bonus.getByText('Raw entry').click();
    expect(await raw.textContent()).toContain('"amount":"5.00000"');
    const status = admin.getByRole('row').filter({ hasText: 'changed the status of' });
    await status.getByRole('link', { name: `order #${orders[0]}` }).click();
    await admin.getByRole('heading', { level: 1, name: 'Orders' }).waitFor(WAIT);
    await admin.getByRole('listitem', { name: `Order ${orders[0]}`, exact: true }).waitFor(WAIT);
  });

  it('draws the dashboard readable at phone width: 11 px labels or more, values on focus, customers only', async () => {
    await admin.setViewportSize(PHONE);
    await visit(admin, panel.baseUrl, '/admin', 'Dashboard');
    const customers = admin
      .locator('.card')
      .filter({ has: admin.getByRole('heading', { name: 'Customers' }) });
    expect(await customers.locator('.stat').textContent()).toBe('1');
    const sizes = await admin.evaluate(() =>
      Array.from(document.querySelectorAll('.daybars .tick, .hbar-label, .hbar-value, .legend')).map((e) =>
        parseFloat(getComputedStyle(e).fontSize),
      ),
    );
    expect(sizes.length).toBeGreaterThan(14);
    expect(Math.min(...sizes)).toBeGreaterThanOrEqual(11);
    const today = await admin.evaluate(() => new Date(Date.UTC(2026, 10, 27)).toISOString().slice(0, 10));
    const bar = admin.getByRole('img', { name: `${today}, Orders: 3` });
    await bar.focus();
    const tip = bar.locator('.bar-tip');
    expect(await tip.isVisible()).toBe(true);
    expect(await tip.textContent()).toBe('3');
    const revenue = admin.getByRole('img', { name: new RegExp(`^${today}, Revenue: \\d+\\.\\d{2,5} USD$`) });
    expect(await revenue.count()).toBe(1);
    await admin.setViewportSize(DESKTOP);
  });

  it('writes a screenshot of every page at 1280 and 375 px', async () => {
    const pages: [Page, string, string, string][] = [
      [customer, '/', `Hello, ${username}`, 'client-dashboard'],
      [customer, '/new-order', 'New order', 'client-new-order'],
      [customer, '/mass-order', 'Mass order', 'client-mass-order'],
      [customer, '/orders', 'Orders', 'client-orders'],
      [customer, '/refills', 'Refills', 'client-refills'],
      [customer, '/services', 'Services', 'client-services'],
      [customer, '/funds', 'Funds', 'client-funds'],
      [customer, '/add-funds', 'Add funds', 'client-add-funds'],
      [customer, '/api-keys', 'API', 'client-api'],
      [customer, '/security', 'Security', 'client-security'],
      [customer, '/webhooks', 'Webhooks', 'client-webhooks'],
      [customer, '/tickets', 'Tickets', 'client-tickets'],
      [customer, '/account', 'Account', 'client-account'],
      [admin, '/admin', 'Dashboard', 'admin-dashboard'],
      [admin, '/admin/users', 'Users', 'admin-users'],
      [admin, '/admin/services', 'Services', 'admin-services'],
      [admin, '/admin/providers', 'Providers', 'admin-providers'],
      [admin, '/admin/orders', 'Orders', 'admin-orders'],
      [admin, '/admin/refills', 'Refills', 'admin-refills'],
      [admin, '/admin/subscriptions', 'Subscriptions', 'admin-subscriptions'],
      [admin, '/admin/audit', 'Audit log', 'admin-audit'],
      [admin, '/admin/settings', 'Settings', 'admin-settings'],
      [admin, '/admin/payments', 'Payments', 'admin-payments'],
      [admin, '/admin/tickets', 'Tickets', 'admin-tickets'],
    ];
    for (const [page, path, heading, name] of pages) {
      await visit(page, panel.baseUrl, path, heading);
      await page.waitForLoadState('networkidle');
      for (const [width, viewport] of [
        ['desktop', DESKTOP],
        ['phone', PHONE],
      ] as const) {
        await page.setViewportSize(viewport);
        await page.screenshot({ path: join(SCREENSHOTS, `page-${name}-${width}.png`), fullPage: true });
      }
      await page.setViewportSize(DESKTOP);
    }
    const logIn = await (await browser.newContext({ viewport: DESKTOP })).newPage();
    for (const [path, heading, name] of [
      ['/login', 'Log in', 'login'],
      ['/signup', 'Create your account', 'signup'],
    ] as const) {
      await visit(logIn, panel.baseUrl, path, heading);
      await logIn.screenshot({ path: join(SCREENSHOTS, `page-${name}-desktop.png`), fullPage: true });
      await logIn.setViewportSize(PHONE);
      await logIn.screenshot({ path: join(SCREENSHOTS, `page-${name}-phone.png`), fullPage: true });
      await logIn.setViewportSize(DESKTOP);
    }
  }, 180_000);
});
