import { mkdirSync } from 'node:fs';
import { type Browser, type Page, type Route } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { updateOrderStatus } from '../../server/src/app/orders/update-order-status.js';
import { createUser } from '../../server/src/app/users/create-user.js';
import { TestPanel } from '../../server/test/support/test-panel.js';
import { DESKTOP, launchChromium, logIn, mainNavigation, SCREENSHOTS, WAIT } from './support/browser.js';

/**
 * Issue 18: a screen that never disagrees with the ledger. A customer and the owner in two browser
 * contexts (Debian's Chromium via playwright-core) against a real panel over HTTP.
 */

describe('a web panel the customer can trust', () => {
  let panel: TestPanel;
  let browser: Browser;
  let customer: Page;
  let admin: Page;
  let followers: number;
  let customerId: number;
  const username = `trust_${process.pid}`;
  const password = 'trust-password-1';

  async function headerBalance(): Promise<string> {
    const link = customer.getByRole('link', { name: /^Balance: / });
    return ((await link.textContent(WAIT)) ?? '').replace('Balance: ', '');
  }

  /** Places an order through API v2, as a script of the customer's would, outside the browser. */
  async function placeByApi(apiKey: string, quantity: number): Promise<number> {
    const placed = await panel.api({
      key: apiKey,
      action: 'add',
      service: followers,
      link: `https://instagram.com/trust-${quantity}-${Date.now()}`,
      quantity,
    });
    expect(placed.status).toBe(200);
    return (placed.json as { order: number }).order;
  }

  let apiKey: string;

  beforeAll(async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    panel = await TestPanel.start();
    const owner = await createUser(panel.ctx, {
      username: 'owner',
      password: 'owner-password-1',
      role: 'owner',
    });
    if (!owner.ok) throw new Error(owner.failure.code);
    const created = await createUser(panel.ctx, { username, password, role: 'customer' });
    if (!created.ok) throw new Error(created.failure.code);
    customerId = created.value.id;
    apiKey = created.value.apiKey;
    followers = await panel.createService({
      name: 'Instagram Followers',
      category: 'Instagram',
      rate: '0.90',
      min: 10,
      max: 10000,
      cancel: true,
    });
    await panel.fund({ id: customerId, username, apiKey }, '25');
    browser = await launchChromium();
    customer = await (await browser.newContext({ viewport: DESKTOP })).newPage();
    admin = await (await browser.newContext({ viewport: DESKTOP })).newPage();
    await logIn(customer, panel.baseUrl, username, password, { signedIn: mainNavigation });
    await logIn(admin, panel.baseUrl, 'owner', 'owner-password-1', { signedIn: mainNavigation });
  });

  afterAll(async () => {
    await browser?.close();
    await panel?.close();
  });

  it('shows no error on a fresh New order page, and a refused order’s error once, by its field', async () => {
    await customer.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'New order' }).click();
    await customer.getByRole('heading', { level: 1, name: 'New order' }).waitFor(WAIT);
    await customer.getByLabel('Service', { exact: true }).waitFor(WAIT);
    // Longer than the quote's debounce: an answer about the untouched form must not be shown.
    await customer.waitForTimeout(800);
    expect(await customer.getByText('Incorrect link').count()).toBe(0);
    expect(await customer.locator('.field-error, [role=alert]').count()).toBe(0);

    await customer.getByRole('button', { name: 'Place order' }).click();
    await customer.getByText('Incorrect link').waitFor(WAIT);
    await customer.waitForTimeout(800);
    expect(await customer.getByText('Incorrect link').count()).toBe(1);
    // Next to the field: the link input names the error as its description and is marked invalid.
    const link = customer.getByLabel('Link');
    expect(await link.getAttribute('aria-invalid')).toBe('true');
    const described = (await link.getAttribute('aria-describedby')) ?? '';
    const texts = await Promise.all(
      described
        .split(' ')
        .filter(Boolean)
        .map((id) => customer.locator(`[id="${id}"]`).textContent()),
    );
    expect(texts).toContain('Incorrect link');
  });

  it('never shows the answer to an older quote over the newer one', async () => {
    await customer.goto(`${panel.baseUrl}/new-order`);
    await customer.getByLabel('Link').fill('https://instagram.com/quotes');
    let held: Route | null = null;
    let heldSeen: () => void = () => undefined;
    const heldArrived = new Promise<void>((resolve) => (heldSeen = resolve));
    await customer.route('**/web-api/orders/quote', async (route) => {
      const body = route.request().postDataJSON() as { params: Record<string, string> };
      if (body.params.quantity === '1000' && held === null) {
        held = route;
        heldSeen();
        return;
      }
      await route.continue();
    });
    await customer.getByLabel('Quantity').fill('1000');
    await heldArrived;
    await customer.getByLabel('Quantity').fill('100');
    const charge = customer.getByLabel('Charge');
    await charge.getByText(/^0\.09(000)? USD$/).waitFor(WAIT);
    // The answer for 1000 arrives last: it must not replace the charge for 100.
    await held!.continue();
    await customer.waitForTimeout(800);
    expect(await charge.textContent()).toMatch(/^0\.09(000)? USD$/);
    await customer.unroute('**/web-api/orders/quote');
  });

  it('keeps the header balance equal to the Funds balance after an admin refund, without a reload', async () => {
    await customer.goto(`${panel.baseUrl}/orders`);
    await customer.getByRole('heading', { level: 1, name: 'Orders' }).waitFor(WAIT);
    const before = await headerBalance();
    // Placed outside the browser (API v2): 0.90 for 1000.
    const order = await placeByApi(apiKey, 1000);
    // The owner settles it as Partial: 750 not delivered → 0.675 back.
    const settled = await updateOrderStatus(
      { ...panel.ctx, actor: { kind: 'cli' } },
      { orderId: order, status: 'Partial', remains: 750 },
    );
    expect(settled.ok).toBe(true);
    // A navigation inside the app (no reload) shows the same balance in the header and in Funds.
    await customer
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link', { name: 'Funds', exact: true })
      .click();
    await customer.getByRole('heading', { level: 1, name: 'Funds' }).waitFor(WAIT);
    const funds = customer.getByRole('status', { name: 'Current balance' });
    await funds.getByText(/^24\.775(00)? USD$/).waitFor(WAIT);
    await customer.getByRole('link', { name: /^Balance: 24\.775(00)? USD$/ }).waitFor(WAIT);
    expect(await headerBalance()).toBe(await funds.textContent());
    expect(await headerBalance()).not.toBe(before);

    // Money added while the customer looks elsewhere shows when the window regains focus.
    await panel.fund({ id: customerId, username, apiKey }, '0.225');
    await customer.evaluate(() => window.dispatchEvent(new Event('focus')));
    await customer.getByRole('link', { name: /^Balance: 25(\.00000|\.00)? USD$/ }).waitFor(WAIT);
  });

  it('shows money with two decimals unless more are significant, in the one currency API v2 reports', async () => {
    const balance = await panel.api({ key: apiKey, action: 'balance' });
    const { currency } = balance.json as { currency: string };
    await customer.goto(`${panel.baseUrl}/funds`);
    // The API keeps five decimals; the panel trims them (25.00000 → 25.00, 0.67500 → 0.675).
    await customer.getByRole('link', { name: `Balance: 25.00 ${currency}` }).waitFor(WAIT);
    await customer
      .getByRole('cell', { name: `0.675 ${currency}`, exact: true })
      .first()
      .waitFor(WAIT);
    expect(await customer.getByText(/\d\.\d{3}0+ [A-Z]{3}/).count()).toBe(0);
    // The admin's Settings say the currency; they cannot make the web disagree with the API.
    await admin.goto(`${panel.baseUrl}/admin/settings`);
    await admin.getByRole('heading', { level: 1, name: 'Settings' }).waitFor(WAIT);
    expect(await admin.getByLabel('Currency').count()).toBe(0);
    await admin.getByRole('definition').getByText(currency, { exact: true }).waitFor(WAIT);
  });

  it('orders from the Services page: a category filter, and an Order button opening New order with the service chosen', async () => {
    await customer.goto(`${panel.baseUrl}/services`);
    await customer.getByRole('heading', { level: 1, name: 'Services' }).waitFor(WAIT);
    await customer.getByLabel('Category').selectOption('Instagram');
    await customer.getByRole('link', { name: 'Order Instagram Followers' }).click();
    await customer.getByRole('heading', { level: 1, name: 'New order' }).waitFor(WAIT);
    const picker = customer.getByLabel('Service', { exact: true });
    expect(await picker.inputValue()).toBe(String(followers));
    // Each option says its price and limits.
    expect(await picker.locator('option:checked').textContent()).toBe(
      `${followers} · Instagram Followers — 0.90 USD per 1000 · min 10, max 10000`,
    );
    await customer.getByLabel('Search services').fill(String(followers));
    expect(await picker.inputValue()).toBe(String(followers));
  });

  it('gives the API page contents, copy buttons and examples in curl, PHP and Python', async () => {
    await customer
      .context()
      .grantPermissions(['clipboard-read', 'clipboard-write'], { origin: panel.baseUrl });
    await customer.goto(`${panel.baseUrl}/api-keys`);
    await customer.getByRole('heading', { level: 1, name: 'API' }).waitFor(WAIT);
    const contents = customer.getByRole('navigation', { name: 'Contents' });
    await contents.getByRole('link', { name: 'Action add' }).waitFor(WAIT);
    for (const name of ['Your API keys', 'How to call it', 'Examples: curl, PHP, Python'])
      await contents.getByRole('link', { name }).waitFor(WAIT);
    await customer.getByText('made when you signed up').waitFor(WAIT);
    for (const heading of ['curl', 'PHP (the usual SMM panel Api class)', 'Python'])
      await customer.getByRole('heading', { level: 3, name: heading }).waitFor(WAIT);
    await customer
      .getByRole('button', { name: 'Copy the PHP (the usual SMM panel Api class) example' })
      .click();
    await customer.getByRole('status').filter({ hasText: 'Copied' }).first().waitFor(WAIT);
    const copied = await customer.evaluate(() => navigator.clipboard.readText());
    expect(copied).toContain('$api = new Api();');
    expect(copied).toContain(`$api->api_url = '${panel.baseUrl}/api/v2';`);
  });

  it('asks before every irreversible action, in an accessible dialog', async () => {
    const order = await placeByApi(apiKey, 100);
    await customer.goto(`${panel.baseUrl}/orders`);
    const row = customer
      .getByRole('row', { name: new RegExp(`Order ${order}\\b`) })
      .or(customer.getByRole('listitem', { name: `Order ${order}` }));
    await row.first().getByRole('button', { name: 'Cancel' }).click();
    let dialog = customer.getByRole('dialog', { name: `Cancel order #${order}?` });
    await dialog.waitFor(WAIT);
    await dialog.getByRole('button', { name: 'Go back' }).click();
    await dialog.waitFor({ state: 'hidden', ...WAIT });
    expect(await customer.getByText(`Order #${order}: Cancel accepted`).count()).toBe(0);
    await row.first().getByRole('button', { name: 'Cancel' }).click();
    dialog = customer.getByRole('dialog', { name: `Cancel order #${order}?` });
    await dialog.getByRole('button', { name: 'Cancel the order' }).click();
    await customer.getByText(`Order #${order}: Cancel accepted`).waitFor(WAIT);

    await customer.goto(`${panel.baseUrl}/api-keys`);
    await customer.getByRole('button', { name: 'Revoke' }).first().click();
    dialog = customer.getByRole('dialog', { name: /^Revoke the key / });
    await dialog.waitFor(WAIT);
    // Escape dismisses it; the key stays active.
    await customer.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden', ...WAIT });
    expect(await customer.getByRole('cell', { name: /^Revoked/ }).count()).toBe(0);
    await customer.getByRole('button', { name: 'Revoke' }).first().click();
    await customer.getByRole('dialog').getByRole('button', { name: 'Revoke the key' }).click();
    await customer.getByRole('cell', { name: /^Revoked/ }).waitFor(WAIT);

    await admin.goto(`${panel.baseUrl}/admin/users`);
    await admin.getByLabel('Search users').fill(username);
    await admin.getByRole('button', { name: 'Search' }).click();
    await admin.getByRole('button', { name: `Open ${username}` }).click();
    await admin.getByRole('button', { name: `Suspend ${username}` }).click();
    dialog = admin.getByRole('dialog', { name: `Suspend ${username}?` });
    await dialog.waitFor(WAIT);
    await dialog.getByRole('button', { name: 'Go back' }).click();
    await dialog.waitFor({ state: 'hidden', ...WAIT });
    await admin.getByRole('button', { name: `Suspend ${username}` }).click();
    await admin
      .getByRole('dialog')
      .getByRole('button', { name: `Suspend ${username}` })
      .click();
    await admin.getByText(`${username} is now suspended.`).waitFor(WAIT);
  });

  it("keeps the customer's first page small: pre-compressed, and no admin code loaded", async () => {
    const loaded: { url: string; bytes: number; encoding: string | undefined }[] = [];
    const fresh = await browser.newContext({ viewport: DESKTOP });
    const first = await fresh.newPage();
    first.on('requestfinished', (request) => {
      void (async () => {
        const response = await request.response();
        if (response === null || request.url().includes('/web-api/')) return;
        const sizes = await request.sizes();
        loaded.push({
          url: new URL(request.url()).pathname,
          bytes: sizes.responseBodySize,
          encoding: (await response.allHeaders())['content-encoding'],
        });
      })();
    });
    await first.goto(`${panel.baseUrl}/login`);
    await first.getByRole('heading', { level: 1, name: 'Log in' }).waitFor(WAIT);
    await first.waitForLoadState('networkidle');
    const customerFiles = new Set(loaded.map((f) => f.url));
    const total = loaded.reduce((sum, f) => sum + f.bytes, 0);
    console.log(`customer's first page: ${loaded.length} files, ${total} bytes transferred`, loaded);
    for (const file of loaded.filter((f) => /\.(js|css|html)$|^\/login$/.test(f.url)))
      expect(file.encoding, file.url).toBe('br');
    // 77 KB before languages; i18next and react-i18next add about 20 KB, the language's catalogues a few.
    expect(total).toBeLessThan(110_000);
    await fresh.close();

    // The admin's pages come in chunks of their own, which the customer never loaded.
    const adminFiles: string[] = [];
    admin.on('request', (request) => adminFiles.push(new URL(request.url()).pathname));
    await admin.goto(`${panel.baseUrl}/admin/users`);
    await admin.getByRole('heading', { level: 1, name: 'Users' }).waitFor(WAIT);
    const adminOnly = adminFiles.filter((f) => f.startsWith('/assets/') && !customerFiles.has(f));
    expect(adminOnly.length).toBeGreaterThan(0);
  });
});
