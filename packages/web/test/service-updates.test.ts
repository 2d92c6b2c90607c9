import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { updateService } from '../../server/src/app/catalog/update-service.js';
import { updateOrderStatus } from '../../server/src/app/orders/update-order-status.js';
import { createUser } from '../../server/src/app/users/create-user.js';
import { TestPanel } from '../../server/test/support/test-panel.js';
import { DESKTOP, launchChromium, logIn, SCREENSHOTS, visit, WAIT } from './support/browser.js';

/**
 * Issue 14 items 2 and 5 in Chromium (playwright-core) against a real panel: the customer's Updates
 * page and the average time on the Services page and the New order card; the admin's Delivery page
 * with a stuck order. Screenshots go to test-results/screenshots/.
 */
const HOUR = 3_600_000;

describe('service updates and average time in a browser', () => {
  let panel: TestPanel;
  let browser: Browser;
  let customer: Page;
  let admin: Page;
  let followers: number;
  let stuckOrder: number;
  const username = `dana_${process.pid}`;
  const password = 'dana-password-1';

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
    const user = { id: created.value.id, username, apiKey: created.value.apiKey };
    await panel.fund(user, '50');
    followers = await panel.createService({
      name: 'Instagram Followers',
      rate: '1.00',
      min: 10,
      max: 10_000,
    });
    await panel.createService({ name: '<i>Story</i> views', rate: '0.10', min: 100, max: 10_000 });

    // One order of 2000 completed in 2 h: 1 h per 1000. Another placed 4 h ago is still pending.
    const now = panel.clock.now();
    const place = async (at: number) => {
      panel.clock.set(at);
      const added = await panel.api({
        key: user.apiKey,
        action: 'add',
        service: followers,
        link: 'https://instagram.example/dana',
        quantity: at === now - 10 * HOUR ? 2000 : 1000,
      });
      return added.json.order as number;
    };
    const done = await place(now - 10 * HOUR);
    panel.clock.set(now - 8 * HOUR);
    expect((await updateOrderStatus(panel.ctx, { orderId: done, status: 'Completed' })).ok).toBe(true);
    stuckOrder = await place(now - 4 * HOUR);
    panel.clock.set(now);
    expect((await updateService(panel.ctx, followers, { rate: '1.20', max: 20_000 })).ok).toBe(true);

    browser = await launchChromium();
    customer = await (await browser.newContext({ viewport: DESKTOP })).newPage();
    admin = await (await browser.newContext({ viewport: DESKTOP })).newPage();
  });

  afterAll(async () => {
    await browser?.close();
    await panel?.close();
  });

  it('shows the average time on the Services page, a dash when unknown', async () => {
    await logIn(customer, panel.baseUrl, username, password, {
      signedIn: (page) => page.getByRole('link', { name: 'Services' }).first(),
    });
    await visit(customer, panel.baseUrl, '/services', 'Services');
    const row = customer.getByRole('row').filter({ hasText: 'Instagram Followers' });
    await expect(row.getByRole('cell').nth(4).textContent()).resolves.toBe('1 h');
    const unknown = customer.getByRole('row').filter({ hasText: '<i>Story</i> views' });
    await expect(unknown.getByRole('cell').nth(4).textContent()).resolves.toBe('—');
    await customer.screenshot({
      path: join(SCREENSHOTS, 'client-services-average-time-desktop.png'),
      fullPage: true,
    });
  });

  it('shows it on the New order service card', async () => {
    await visit(customer, panel.baseUrl, `/new-order?service=${followers}`, 'New order');
    const card = customer.locator('.order-side');
    await card.getByText('Average time').waitFor(WAIT);
    await card.getByText('1 h per 1000').waitFor(WAIT);
  });

  it('lists the updates newest first, names as text', async () => {
    await visit(customer, panel.baseUrl, '/updates', 'Updates');
    const rows = customer.getByRole('row');
    // The header, then: max changed, price up, the views, the followers (new). The list loads after
    // the heading: wait for its last row before counting.
    await rows.nth(4).waitFor(WAIT);
    await expect(rows.count()).resolves.toBe(5);
    await expect(rows.nth(1).textContent()).resolves.toContain('Maximum changed');
    await expect(rows.nth(1).textContent()).resolves.toContain('10,000 → 20,000');
    await expect(rows.nth(2).textContent()).resolves.toContain('Price up');
    await expect(rows.nth(2).textContent()).resolves.toMatch(/1\.00 USD → 1\.20 USD per 1000/);
    await expect(rows.nth(3).textContent()).resolves.toContain('New service');
    await customer.getByText('<i>Story</i> views').waitFor(WAIT);
    expect(await customer.locator('table i').count()).toBe(0);
    await customer.screenshot({ path: join(SCREENSHOTS, 'client-updates-desktop.png'), fullPage: true });
  });

  it("lists the admin's stuck order on the Delivery page, with the table sortable", async () => {
    await logIn(admin, panel.baseUrl, 'owner', 'owner-password-1', {
      signedIn: (page) => page.getByRole('link', { name: 'Services' }).first(),
    });
    await visit(admin, panel.baseUrl, '/admin/delivery', 'Delivery');
    const stuckCard = admin.locator('.card').filter({ hasText: 'Stuck orders' });
    const stuck = stuckCard.getByRole('row').filter({ hasText: `#${stuckOrder}` });
    await stuck.waitFor(WAIT);
    await expect(stuck.textContent()).resolves.toContain('4 h');
    const byService = admin.locator('.card').filter({ hasText: 'By service' });
    await byService.getByRole('button', { name: 'Name' }).click();
    const names = await byService.locator('tbody tr td:first-child').allTextContents();
    expect(names.map((name) => name.replace(/ #\d+$/, ''))).toEqual([
      '<i>Story</i> views',
      'Instagram Followers',
    ]);
    await byService.getByRole('button', { name: /Average time/ }).click();
    await expect(byService.locator('tbody tr td:first-child').first().textContent()).resolves.toContain(
      'Instagram Followers',
    );
    await admin.screenshot({ path: join(SCREENSHOTS, 'admin-delivery-desktop.png'), fullPage: true });
  });
});
