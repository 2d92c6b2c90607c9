import { type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postAnnouncement } from '../../server/src/app/announcements/announcements.js';
import { createUser } from '../../server/src/app/users/create-user.js';
import { TestPanel } from '../../server/test/support/test-panel.js';
import { axeViolations } from './support/axe.js';
import { launchChromium, logIn, mainNavigation, WAIT } from './support/browser.js';

/**
 * An automated accessibility audit of every page, at desktop and phone width: axe-core (from
 * node_modules, injected with addScriptTag) in Debian's Chromium. No serious or critical violation
 * may remain; the counts by impact are printed for the record. Then the keyboard: every control on
 * a page is reached by Tab, with a visible focus outline.
 */
const WIDTHS = [
  ['desktop', { width: 1280, height: 800 }],
  ['phone', { width: 375, height: 812 }],
] as const;

describe('accessibility of every page', () => {
  let panel: TestPanel;
  let browser: Browser;
  let customer: Page;
  let admin: Page;
  const username = `a11y_${process.pid}`;
  const found: { page: string; width: string; id: string; impact: string; help: string; nodes: string }[] =
    [];

  /** `prepare` brings the page to a state worth auditing too (a detail panel open, a selection made). */
  async function audit(
    page: Page,
    path: string,
    heading: string,
    prepare?: (page: Page) => Promise<void>,
  ): Promise<void> {
    // One load per page: the phone audit is the same page after a resize (the layout is CSS only).
    await page.goto(`${panel.baseUrl}${path}`);
    await page.getByRole('heading', { level: 1, name: heading }).waitFor(WAIT);
    await page.waitForLoadState('networkidle');
    const record = async (name: string) => {
      for (const [width, viewport] of WIDTHS) {
        await page.setViewportSize(viewport);
        for (const v of await axeViolations(page)) found.push({ page: name, width, ...v });
      }
    };
    await record(path);
    if (prepare !== undefined) {
      await page.setViewportSize(WIDTHS[0][1]);
      await prepare(page);
      await page.waitForLoadState('networkidle');
      await record(`${path} (${prepare.name})`);
    }
    await page.setViewportSize(WIDTHS[0][1]);
  }

  beforeAll(async () => {
    panel = await TestPanel.start();
    const owner = await createUser(panel.ctx, {
      username: 'owner',
      password: 'owner-password-1',
      role: 'owner',
    });
    if (!owner.ok) throw new Error(owner.failure.code);
    const created = await createUser(panel.ctx, { username, password: 'a11y-password-1', role: 'customer' });
    if (!created.ok) throw new Error(created.failure.code);
    const service = await panel.createService({ name: 'Instagram Followers', refill: true, cancel: true });
    await panel.createService({
      name: 'YouTube Views',
      category: 'YouTube',
      rate: '1.25',
      min: 100,
      max: 100000,
    });
    await panel.fund(created.value, '25');
    const placed = await panel.api({
      key: created.value.apiKey,
      action: 'add',
      service,
      link: 'https://instagram.com/a11y',
      quantity: 1000,
    });
    expect(placed.status).toBe(200);
    // Shown on the customer's dashboard (new) and listed on Admin › Announcements.
    const news = await postAnnouncement(panel.ctx, {
      title: 'New services',
      body: '**TikTok** views are here: [see the services](/services).',
    });
    expect(news.ok).toBe(true);
    browser = await launchChromium();
    // The panel's CSP forbids inline scripts (as it should); the audit injects axe-core, so its pages
    // bypass the CSP. impersonation.test.ts checks that no page of the panel violates it.
    customer = await (await browser.newContext({ bypassCSP: true })).newPage();
    admin = await (await browser.newContext({ bypassCSP: true })).newPage();
  });

  afterAll(async () => {
    await browser?.close();
    await panel?.close();
  });

  it('has no serious or critical axe-core violation on any page, desktop or phone', async () => {
    await audit(customer, '/login', 'Log in');
    await audit(customer, '/signup', 'Create your account');
    await logIn(customer, panel.baseUrl, username, 'a11y-password-1', { signedIn: mainNavigation });
    for (const [path, heading] of [
      ['/', `Hello, ${username}`],
      ['/new-order', 'New order'],
      ['/mass-order', 'Mass order'],
      ['/refills', 'Refills'],
      ['/services', 'Services'],
      ['/funds', 'Funds'],
      ['/add-funds', 'Add funds'],
      ['/api-keys', 'API'],
      ['/security', 'Security'],
      ['/account', 'Account'],
      ['/updates', 'Updates'],
      ['/affiliates', 'Affiliates'],
      ['/tickets', 'Tickets'],
      ['/webhooks', 'Webhooks'],
    ] as const)
      await audit(customer, path, heading);
    await audit(customer, '/orders', 'Orders', async function withOrdersSelected(page) {
      await page.getByLabel('Select every order on this page').check();
      await page
        .getByRole('button', { name: /^Refill selected|^Cancel selected/ })
        .first()
        .waitFor(WAIT);
    });
    await logIn(admin, panel.baseUrl, 'owner', 'owner-password-1', { signedIn: mainNavigation });
    for (const [path, heading] of [
      ['/admin', 'Dashboard'],
      ['/admin/services', 'Services'],
      ['/admin/providers', 'Providers'],
      ['/admin/orders', 'Orders'],
      ['/admin/refills', 'Refills'],
      ['/admin/subscriptions', 'Subscriptions'],
      ['/admin/settings', 'Settings'],
      ['/admin/announcements', 'Announcements'],
      ['/admin/payments', 'Payments'],
      ['/admin/currencies', 'Currencies'],
      ['/admin/delivery', 'Delivery'],
      ['/admin/affiliates', 'Affiliates'],
      ['/admin/tickets', 'Tickets'],
    ] as const)
      await audit(admin, path, heading);
    await audit(admin, '/admin/users', 'Users', async function withUserOpen(page) {
      await page.getByRole('button', { name: `Open ${username}` }).click();
      await page.getByRole('heading', { level: 2, name: username }).waitFor(WAIT);
      await page.getByRole('heading', { name: 'API keys', exact: true }).waitFor(WAIT);
    });
    await audit(admin, '/admin/audit', 'Audit log', async function withRawEntryOpen(page) {
      await page.getByText('Raw entry').first().click();
    });

    const byImpact: Record<string, number> = {};
    for (const v of found) byImpact[v.impact] = (byImpact[v.impact] ?? 0) + 1;
    console.log('axe-core violations by impact (page × width × rule):', byImpact);
    for (const v of found)
      console.log(`  ${v.impact} ${v.id} on ${v.page} (${v.width}): ${v.help} ${v.nodes}`);
    expect(found.filter((v) => v.impact === 'serious' || v.impact === 'critical')).toEqual([]);
  }, 600_000);

  it('reaches every control of a page by keyboard, with a visible focus outline', async () => {
    await customer.setViewportSize(WIDTHS[0][1]);
    for (const path of ['/new-order', '/orders', '/api-keys']) {
      await customer.goto(`${panel.baseUrl}${path}`);
      await customer.getByRole('heading', { level: 1 }).waitFor(WAIT);
      await customer.waitForLoadState('networkidle');
      const controls = await customer.evaluate(
        () =>
          Array.from(
            document.querySelectorAll('a[href], button:not([disabled]), input, select, textarea'),
          ).filter((e) => (e as HTMLElement).offsetParent !== null).length,
      );
      const reached = new Set<string>();
      let unstyled = 0;
      for (let i = 0; i < controls + 5; i++) {
        await customer.keyboard.press('Tab');
        const focus = await customer.evaluate(() => {
          const e = document.activeElement as HTMLElement | null;
          if (e === null || e === document.body) return null;
          const style = getComputedStyle(e);
          const all = Array.from(document.querySelectorAll('a[href], button, input, select, textarea'));
          return {
            index: all.indexOf(e),
            outline: style.outlineStyle !== 'none' && style.outlineWidth !== '0px',
          };
        });
        if (focus === null) continue;
        reached.add(String(focus.index));
        if (!focus.outline) unstyled++;
      }
      expect(reached.size, path).toBeGreaterThanOrEqual(controls);
      expect(unstyled, path).toBe(0);
    }
  });
});
