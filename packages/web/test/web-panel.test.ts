import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { updateService } from '../../server/src/app/catalog/update-service.js';
import { createDueRuns } from '../../server/src/app/dripfeed/create-due-runs.js';
import { createUser } from '../../server/src/app/users/create-user.js';
import { TestPanel, type TestUser } from '../../server/test/support/test-panel.js';
import { DESKTOP, launchChromium, logIn, PHONE, SCREENSHOTS, visit, WAIT } from './support/browser.js';

/**
 * The web panel end to end, in Debian's Chromium driven by playwright-core: a customer and the admin
 * in two browser contexts against a real panel over HTTP, and a second panel as the upstream provider.
 * Screenshots of every page at desktop and phone width go to test-results/screenshots/.
 */

describe('web panel in a browser', () => {
  let panel: TestPanel;
  let provider: TestPanel;
  let providerUser: TestUser;
  let browser: Browser;
  let customerContext: BrowserContext;
  let adminContext: BrowserContext;
  let customer: Page;
  let admin: Page;
  let followers: number;
  let upstreamLikes: number;
  const username = `alice_${process.pid}`;
  const adminPassword = 'admin-password-123';
  const orders: number[] = [];

  /** The page at both widths, full length, as `<name>-desktop.png` and `<name>-phone.png`. */
  async function shoot(page: Page, name: string): Promise<void> {
    await page.setViewportSize(DESKTOP);
    await page.screenshot({ path: join(SCREENSHOTS, `${name}-desktop.png`), fullPage: true });
    await page.setViewportSize(PHONE);
    await page.screenshot({ path: join(SCREENSHOTS, `${name}-phone.png`), fullPage: true });
    await page.setViewportSize(DESKTOP);
  }

  beforeAll(async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    [panel, provider] = await Promise.all([TestPanel.start(), TestPanel.start()]);
    const created = await createUser(panel.ctx, {
      username: 'owner',
      password: adminPassword,
      role: 'owner',
    });
    if (!created.ok) throw new Error(created.failure.code);
    followers = await panel.createService({
      name: 'Instagram Followers',
      category: 'Instagram',
      rate: '0.90',
      min: 10,
      max: 10000,
      dripfeed: true,
      refill: true,
      cancel: true,
      description: 'Real-looking followers, 1-2k per day. Refill for 30 days.',
    });
    await panel.createService({
      name: 'Custom Comments',
      type: 'Custom Comments',
      category: 'Instagram',
      rate: '20',
      min: 1,
      max: 100,
    });
    await panel.createService({
      name: 'YouTube Views',
      category: 'YouTube',
      rate: '1.25',
      min: 100,
      max: 100000,
    });
    providerUser = await provider.customer('500');
    upstreamLikes = await provider.createService({
      name: 'TikTok Likes',
      category: 'TikTok',
      rate: '0.40',
      min: 50,
      max: 50000,
    });
    await provider.createService({
      name: 'TikTok Views',
      category: 'TikTok',
      rate: '0.02',
      min: 100,
      max: 1000000,
    });

    browser = await launchChromium();
    customerContext = await browser.newContext({ viewport: DESKTOP });
    adminContext = await browser.newContext({ viewport: DESKTOP });
    customer = await customerContext.newPage();
    admin = await adminContext.newPage();
  });

  afterAll(async () => {
    await browser?.close();
    await Promise.all([panel?.close(), provider?.close()]);
  });

  it('lets a visitor sign up', async () => {
    await visit(customer, panel.baseUrl, '/login', 'Log in');
    await shoot(customer, 'client-login');
    await customer.getByRole('link', { name: 'Create an account' }).click();
    await customer.getByRole('heading', { name: 'Create your account' }).waitFor(WAIT);
    await shoot(customer, 'client-signup');
    await customer.getByLabel('Username').fill(username);
    await customer.getByLabel('Email').fill(`${username}@example.com`);
    await customer.getByLabel('Password').fill('alice-password-1');
    await customer.getByRole('button', { name: 'Sign up' }).click();
    await customer.getByRole('heading', { level: 1, name: 'New order' }).waitFor(WAIT);
    await customer.getByRole('link', { name: 'Balance: 0.00 USD' }).waitFor(WAIT);
  });

  it('lets the admin add funds with a memo', async () => {
    await logIn(admin, panel.baseUrl, 'owner', adminPassword, {
      signedIn: (signedIn) => signedIn.getByRole('link', { name: 'Admin' }),
    });
    await visit(admin, panel.baseUrl, '/admin/users', 'Users');
    await admin.getByLabel('Search users').fill(username);
    await admin.getByRole('button', { name: 'Search' }).click();
    await admin.getByRole('button', { name: `Open ${username}` }).click();
    const form = admin.getByRole('form', { name: `Adjust the balance of ${username}` });
    await form.waitFor(WAIT);
    await form.getByLabel('Amount').fill('50');
    await form.getByLabel('Memo').fill('Welcome credit');
    await form.getByRole('button', { name: 'Adjust balance' }).click();
    await admin.getByText(`Balance of ${username} is now 50.00 USD.`).waitFor(WAIT);
    await shoot(admin, 'admin-users');
  });

  it('places a Default order with the charge shown live', async () => {
    await visit(customer, panel.baseUrl, '/new-order', 'New order');
    await customer.getByRole('link', { name: 'Balance: 50.00 USD' }).waitFor(WAIT);
    await customer.getByLabel('Category').selectOption('Instagram');
    await customer.getByLabel('Service', { exact: true }).selectOption(String(followers));
    await customer.getByText('Real-looking followers, 1-2k per day.').waitFor(WAIT);
    await customer.getByLabel('Link').fill('https://instagram.com/alice');
    await customer.getByLabel('Quantity').fill('5');
    await customer.getByText('Quantity less than minimal 10').waitFor(WAIT);
    await customer.getByLabel('Quantity').fill('1000');
    await customer
      .getByRole('status', { name: 'Charge' })
      .or(customer.getByLabel('Charge'))
      .getByText('0.90 USD')
      .waitFor(WAIT);
    await shoot(customer, 'client-new-order');
    await customer.getByRole('button', { name: 'Place order' }).click();
    const placed = await customer.getByText(/Order #\d+ placed\./).textContent(WAIT);
    orders.push(Number(/#(\d+)/.exec(placed!)![1]));
    await customer.getByRole('link', { name: 'Balance: 49.10 USD' }).waitFor(WAIT);
  });

  it('places a Custom Comments order, its quantity from the lines', async () => {
    await customer.getByLabel('Search services').fill('comments');
    await customer.getByLabel('Link').fill('https://instagram.com/p/abc');
    await customer.getByLabel('Comments (one per line)').fill('Great shot!\nLove it\n\nWow');
    await customer.getByLabel('Charge').getByText('0.06 USD').waitFor(WAIT);
    await customer.getByRole('button', { name: 'Place order' }).click();
    const placed = await customer.getByText(/Order #\d+ placed\./).textContent(WAIT);
    orders.push(Number(/#(\d+)/.exec(placed!)![1]));
  });

  it('places a drip-feed order charged for every run', async () => {
    await customer.getByLabel('Search services').fill('');
    await customer.getByLabel('Service', { exact: true }).selectOption(String(followers));
    await customer.getByLabel('Link').fill('https://instagram.com/alice-drip');
    await customer.getByLabel('Quantity').fill('100');
    await customer.getByLabel('Drip-feed').check();
    await customer.getByLabel('Runs').fill('3');
    await customer.getByLabel('Interval (minutes)').fill('30');
    await customer.getByLabel('Charge').getByText('0.27 USD').waitFor(WAIT);
    await customer.getByRole('button', { name: 'Place order' }).click();
    const placed = await customer.getByText(/Order #\d+ placed\./).textContent(WAIT);
    orders.push(Number(/#(\d+)/.exec(placed!)![1]));
    await customer.getByRole('link', { name: 'Balance: 48.77 USD' }).waitFor(WAIT);
  });

  it('shows the orders, with the drip-feed runs', async () => {
    // The worker's drip-feed job creates the first run at once.
    await createDueRuns(panel.ctx);
    await visit(customer, panel.baseUrl, '/orders', 'Orders');
    for (const id of orders)
      await customer.getByRole('row', { name: `Order ${id}`, exact: true }).waitFor(WAIT);
    const drip = customer.getByRole('row', { name: `Order ${orders[2]}`, exact: true });
    expect(await drip.textContent()).toContain('100 × 3 runs');
    await drip.getByRole('button', { name: /Show runs \(1\)/ }).click();
    await customer.getByText(`#${orders[2]! + 1} ·`).waitFor(WAIT);
    await customer.getByLabel('Search by order id or link').fill('alice-drip');
    await customer.getByRole('button', { name: 'Search', exact: true }).click();
    await customer.getByRole('button', { name: 'All 1', exact: true }).waitFor(WAIT);
    expect(await customer.getByRole('row', { name: /^Order \d+$/ }).count()).toBe(1);
    await customer.getByRole('button', { name: 'Clear search' }).click();
    await customer.getByRole('button', { name: 'All 3', exact: true }).waitFor(WAIT);
    await shoot(customer, 'client-orders');
  });

  it('lets the admin mark an order Partial, and the customer sees the refund in Funds', async () => {
    await visit(admin, panel.baseUrl, '/admin/orders', 'Orders');
    const card = admin.getByRole('listitem', { name: `Order ${orders[0]}` });
    await card.getByRole('button', { name: 'Edit status' }).click();
    await card.getByLabel('New status').selectOption('Partial');
    await card.getByLabel('Start count').fill('120');
    await card.getByLabel('Remains').fill('250');
    await card.getByRole('button', { name: 'Save status' }).click();
    await admin.getByText(`Order #${orders[0]} is Partial; refunded 0.225 USD.`).waitFor(WAIT);
    await shoot(admin, 'admin-orders');

    await visit(customer, panel.baseUrl, '/funds', 'Funds');
    const refund = customer.getByRole('row').filter({ hasText: `Refund · order #${orders[0]}` });
    expect((await refund.getByRole('cell').allTextContents()).slice(1)).toEqual([
      `Refund · order #${orders[0]}Order #${orders[0]} partial`,
      '0.225 USD',
      '48.995 USD',
    ]);
    await customer.getByRole('row').filter({ hasText: 'Welcome credit' }).waitFor(WAIT);
    await shoot(customer, 'client-funds');
  });

  it('reports the bad line of a mass order and places the others', async () => {
    await visit(customer, panel.baseUrl, '/mass-order', 'Mass order');
    await customer
      .getByLabel('Orders (one per line: service|link|quantity)')
      .fill(`${followers}|https://instagram.com/mass-1|100\n${followers}|https://instagram.com/mass-2|3\n`);
    await customer.getByRole('button', { name: 'Place orders' }).click();
    await customer.getByRole('heading', { name: 'Results: 1 placed, 1 refused' }).waitFor(WAIT);
    const bad = customer.getByRole('row').filter({ hasText: 'mass-2' });
    expect(await bad.getByRole('cell').allTextContents()).toEqual([
      `2: ${followers}|https://instagram.com/mass-2|3`,
      '—',
      'Quantity less than minimal 10',
    ]);
    await shoot(customer, 'client-mass-order');
  });

  it('imports services from a provider panel and shows them', async () => {
    await visit(admin, panel.baseUrl, '/admin/providers', 'Providers');
    await admin.getByLabel('Provider name').fill('Upstream');
    await admin.getByLabel('API URL').fill(provider.apiUrl);
    await admin.getByLabel('Provider API key').fill(providerUser.apiKey);
    await admin.getByRole('button', { name: 'Add provider' }).click();
    await admin.getByText(/Provider #\d+ added/).waitFor(WAIT);
    await admin.getByLabel('Markup %').fill('25%');
    await admin.getByRole('button', { name: 'Import services' }).click();
    await admin.getByText('Imported 2 services from Upstream.').waitFor(WAIT);
    await admin.getByRole('cell', { name: /TikTok Likes/ }).waitFor(WAIT);
    await admin.getByRole('button', { name: 'Check balance' }).click();
    await admin.getByText('Upstream: balance 500.00 USD.').waitFor(WAIT);
    await admin.getByRole('button', { name: 'Sync services' }).click();
    await admin.getByText('Synced Upstream: 0 changes, 0 disabled.').waitFor(WAIT);
    // The provider raises its price: sync shows the change as a readable diff.
    const raised = await updateService(provider.ctx, upstreamLikes, { rate: '0.60' });
    expect(raised).toEqual({ ok: true, value: { id: upstreamLikes } });
    await admin.getByRole('button', { name: 'Sync services' }).click();
    await admin.getByText('Synced Upstream: 2 changes, 0 disabled.').waitFor(WAIT);
    const diff = admin.getByRole('listitem').filter({ hasText: "provider's rate" });
    expect(await diff.textContent()).toMatch(/^Service #\d+: provider's rate 0\.40 → 0\.60$/);
    expect(await admin.getByRole('listitem').filter({ hasText: 'our rate' }).textContent()).toMatch(
      /^Service #\d+: our rate 0\.50 → 0\.75$/,
    );
    await shoot(admin, 'admin-providers');
    await visit(admin, panel.baseUrl, '/admin/services', 'Services');
    const likes = admin.getByRole('row').filter({ hasText: 'TikTok Likes' });
    expect(await likes.textContent()).toContain('0.75 USD');
    await admin.getByRole('row').filter({ hasText: 'TikTok Views' }).waitFor(WAIT);
    await shoot(admin, 'admin-services');

    await visit(customer, panel.baseUrl, '/services', 'Services');
    await customer.getByLabel('Search the price list').fill('tiktok');
    await customer
      .getByRole('cell', { name: 'TikTok Likes' })
      .or(customer.getByText('TikTok Likes'))
      .first()
      .waitFor(WAIT);
    await shoot(customer, 'client-services');
  });

  it('renders every other page at both widths', async () => {
    for (const [path, heading, name] of [
      ['/', `Hello, ${username}`, 'client-dashboard'],
      ['/refills', 'Refills', 'client-refills'],
      ['/api-keys', 'API', 'client-api'],
    ] as const) {
      await visit(customer, panel.baseUrl, path, heading);
      await shoot(customer, name);
    }
    await customer
      .getByRole('cell', { name: 'balance', exact: true })
      .or(customer.getByRole('heading', { name: 'balance' }))
      .first()
      .waitFor(WAIT);

    for (const [path, heading, name] of [
      ['/admin', 'Dashboard', 'admin-dashboard'],
      ['/admin/refills', 'Refills', 'admin-refills'],
      ['/admin/subscriptions', 'Subscriptions', 'admin-subscriptions'],
      ['/admin/audit', 'Audit log', 'admin-audit'],
      ['/admin/settings', 'Settings', 'admin-settings'],
    ] as const) {
      await visit(admin, panel.baseUrl, path, heading);
      await shoot(admin, name);
    }
  });

  it('keeps customers out of the admin area and folds the navigation on a phone', async () => {
    await customer.goto(`${panel.baseUrl}/admin/users`);
    await customer.getByRole('heading', { level: 1, name: `Hello, ${username}` }).waitFor(WAIT);
    await customer.setViewportSize(PHONE);
    const nav = customer.getByRole('navigation', { name: 'Main' });
    expect(await nav.isVisible()).toBe(false);
    await customer.getByRole('button', { name: 'Menu' }).click();
    await nav.getByRole('link', { name: 'New order' }).click();
    await customer.getByRole('heading', { level: 1, name: 'New order' }).waitFor(WAIT);
    expect(await nav.isVisible()).toBe(false);
    // Nothing is wider than the phone's screen.
    expect(await customer.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(
      PHONE.width,
    );
    await customer.setViewportSize(DESKTOP);
  });
});
