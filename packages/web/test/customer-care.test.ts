import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { smtpMailer } from '../../server/src/app/email/mailer.js';
import { sendDueEmails } from '../../server/src/app/email/send-due-emails.js';
import { createUser } from '../../server/src/app/users/create-user.js';
import { SmtpTestServer } from '../../server/test/support/smtp-test-server.js';
import { TestPanel } from '../../server/test/support/test-panel.js';
import {
  collectCspViolations,
  DESKTOP,
  launchChromium,
  logIn,
  mainNavigation,
  SCREENSHOTS,
  visit,
  WAIT,
} from './support/browser.js';

/**
 * Customer care in Chromium (playwright-core) against a real panel over HTTP and a real SMTP server:
 * a forgotten password recovered from the emailed link, and a ticket about an order answered by
 * the admin; an announcement with hostile Markdown posted by the admin and read by customers.
 * Screenshots go to test-results/screenshots/.
 */

describe('customer care in a browser', () => {
  let panel: TestPanel;
  let browser: Browser;
  let customerContext: BrowserContext;
  let adminContext: BrowserContext;
  let customer: Page;
  let admin: Page;
  let orderId: number;
  const smtp = new SmtpTestServer();
  const username = `carol_${process.pid}`;
  const email = `${username}@mail.example`;
  const adminPassword = 'admin-password-123';

  async function deliver(): Promise<void> {
    const mailer = smtpMailer(smtp.url, 'noreply@panel.example');
    await sendDueEmails(panel.ctx, mailer);
    mailer.close();
  }

  beforeAll(async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    await smtp.start();
    // Links carry this base; the browser follows their path and query on the test panel's port.
    panel = await TestPanel.start({
      mail: { enabled: true, publicUrl: 'https://care.example', adminEmail: 'support@care.example' },
    });
    const owner = await createUser(panel.ctx, { username: 'owner', password: adminPassword, role: 'owner' });
    if (!owner.ok) throw new Error(owner.failure.code);
    const created = await createUser(panel.ctx, {
      username,
      password: 'forgotten-password-1',
      role: 'customer',
      email,
    });
    if (!created.ok) throw new Error(created.failure.code);
    await panel.fund({ id: created.value.id, username, apiKey: created.value.apiKey }, '20');
    const service = await panel.createService({ name: 'Instagram Likes', rate: '1.00', min: 10, max: 1000 });
    const added = await panel.api({
      key: created.value.apiKey,
      action: 'add',
      service,
      link: 'https://instagram.example/p/1',
      quantity: 100,
    });
    orderId = added.json.order as number;

    browser = await launchChromium();
    customerContext = await browser.newContext({ viewport: DESKTOP });
    adminContext = await browser.newContext({ viewport: DESKTOP });
    customer = await customerContext.newPage();
    admin = await adminContext.newPage();
  });

  afterAll(async () => {
    await browser?.close();
    await panel?.close();
    await smtp.stop();
  });

  it('recovers a forgotten password from the emailed link, then logs in with the new one', async () => {
    await visit(customer, panel.baseUrl, '/login', 'Log in');
    await customer.getByRole('link', { name: 'Forgot your password?' }).click();
    await customer.getByRole('heading', { level: 1, name: 'Reset your password' }).waitFor(WAIT);
    await customer.getByLabel('Email').fill(email.toUpperCase());
    await customer.getByRole('button', { name: 'Send me a link' }).click();
    await customer.getByText('If an account has this address').waitFor(WAIT);
    await customer.screenshot({
      path: join(SCREENSHOTS, 'client-forgot-password-desktop.png'),
      fullPage: true,
    });

    await deliver();
    const message = smtp.to(email).find((received) => received.decoded.includes('/reset-password?token='));
    const link = new URL(SmtpTestServer.link(message!, 'reset-password'));
    expect(link.origin).toBe('https://care.example');
    await visit(customer, panel.baseUrl, `${link.pathname}${link.search}`, 'Choose a new password');
    await customer.getByLabel('New password').fill('remembered-password-2');
    await customer.getByRole('button', { name: 'Set my password' }).click();
    await customer.getByText('Your password is set').waitFor(WAIT);
    await customer.screenshot({
      path: join(SCREENSHOTS, 'client-reset-password-desktop.png'),
      fullPage: true,
    });

    await visit(customer, panel.baseUrl, '/login', 'Log in');
    await customer.getByLabel('Username').fill(username);
    await customer.getByLabel('Password').fill('forgotten-password-1');
    await customer.getByRole('button', { name: 'Log in' }).click();
    await customer.getByText('Wrong username or password').waitFor(WAIT);
    await customer.getByLabel('Password').fill('remembered-password-2');
    await customer.getByRole('button', { name: 'Log in' }).click();
    await customer.getByRole('link', { name: 'Tickets' }).waitFor(WAIT);
  });

  it('a customer opens a ticket about an order, the admin answers, the customer sees the answer', async () => {
    await visit(customer, panel.baseUrl, '/tickets', 'Tickets');
    await customer.getByLabel('Subject').selectOption('Speed-up');
    await customer.getByLabel('Order ids').fill(String(orderId));
    await customer.getByLabel('Message').fill('<b>Still</b> waiting for my order');
    await customer.getByRole('button', { name: 'Send', exact: true }).click();
    const heading = customer.getByRole('heading', { level: 1, name: /^Ticket #\d+$/ });
    await heading.waitFor(WAIT);
    const ticketId = Number((await heading.textContent())!.replace('Ticket #', ''));
    // User text is shown as text, never as HTML.
    await customer.getByText('<b>Still</b> waiting for my order').waitFor(WAIT);
    expect(await customer.locator('.ticket-message b').count()).toBe(0);

    await logIn(admin, panel.baseUrl, 'owner', adminPassword, {
      signedIn: (signedIn) => signedIn.getByRole('link', { name: 'Admin' }),
    });
    await visit(admin, panel.baseUrl, '/admin/tickets', 'Tickets');
    await admin.getByRole('link', { name: `#${ticketId}` }).click();
    await admin.getByRole('heading', { level: 1, name: `Ticket #${ticketId}` }).waitFor(WAIT);
    await admin.getByText('Instagram Likes').waitFor(WAIT);
    await admin.getByLabel('Your answer').fill('It starts within the hour.');
    await admin.getByRole('button', { name: 'Send answer' }).click();
    await admin.getByText('It starts within the hour.').waitFor(WAIT);
    await admin.screenshot({ path: join(SCREENSHOTS, 'admin-ticket-desktop.png'), fullPage: true });

    await visit(customer, panel.baseUrl, '/tickets', 'Tickets');
    await customer.getByText('1 new').waitFor(WAIT);
    await customer.getByRole('link', { name: `#${ticketId}` }).click();
    await customer.getByText('It starts within the hour.').waitFor(WAIT);
    await customer.screenshot({ path: join(SCREENSHOTS, 'client-ticket-desktop.png'), fullPage: true });

    await deliver();
    expect(smtp.to(email).some((received) => received.decoded.includes('It starts within the hour.'))).toBe(
      true,
    );
  });

  it('the admin posts an announcement with hostile Markdown; customers see it sanitized, new until read', async () => {
    const title = 'Faster TikTok views';
    const body = [
      '**Faster** delivery on every TikTok service.',
      '<script>window.__pwned = "script"</script>',
      '<img src="/missing.png" onerror="window.__pwned = \'onerror\'">',
      "[See the services](javascript:window.__pwned='link')",
    ].join('\n\n');
    const second = `dave_${process.pid}`;
    const created = await createUser(panel.ctx, {
      username: second,
      password: 'dave-password-1',
      role: 'customer',
    });
    if (!created.ok) throw new Error(created.failure.code);
    const flag = (page: Page) => page.evaluate(() => (window as { __pwned?: unknown }).__pwned ?? null);
    const hostile = (page: Page) =>
      page.locator(
        '.announcement-body script, .announcement-body [onerror], .announcement-body a[href^="javascript:" i]',
      );

    const staff = await (await browser.newContext({ viewport: DESKTOP })).newPage();
    // What the Content-Security-Policy had to block: nothing, since the sanitizer removed it first.
    const blocked: string[] = [];
    for (const page of [staff, customer]) collectCspViolations(page, blocked);
    await logIn(staff, panel.baseUrl, 'owner', adminPassword, { signedIn: mainNavigation });
    await visit(staff, panel.baseUrl, '/admin/announcements', 'Announcements');
    await staff.getByLabel('Title').fill(title);
    await staff.getByLabel('Body').fill(body);
    // The preview is the server's rendering: Markdown applied, the hostile parts already gone.
    const preview = staff.getByRole('region', { name: 'Preview' });
    await preview.locator('strong', { hasText: 'Faster' }).waitFor(WAIT);
    // The javascript: link keeps its text but loses its href altogether (no longer a link at all).
    await preview.locator('a', { hasText: 'See the services' }).waitFor(WAIT);
    expect(await preview.locator('a', { hasText: 'See the services' }).getAttribute('href')).toBeNull();
    expect(await hostile(staff).count()).toBe(0);
    await staff.getByRole('button', { name: 'Post announcement' }).click();
    await staff.getByRole('article', { name: title }).waitFor(WAIT);
    await staff.waitForLoadState('networkidle');
    expect(await flag(staff)).toBeNull();
    await staff.screenshot({ path: join(SCREENSHOTS, 'admin-announcements-desktop.png'), fullPage: true });

    // The customer's dashboard: newest first, marked new, nothing executed; showing it marks it read.
    const marked = customer.waitForResponse((response) =>
      response.url().endsWith('/web-api/announcements/read'),
    );
    await visit(customer, panel.baseUrl, '/', `Hello, ${username}`);
    const shown = customer.getByRole('article', { name: title });
    await shown.getByText('New', { exact: true }).waitFor(WAIT);
    await shown.locator('strong', { hasText: 'Faster' }).waitFor(WAIT);
    expect((await marked).status()).toBe(200);
    await customer.waitForLoadState('networkidle');
    expect(await flag(customer)).toBeNull();
    expect(await hostile(customer).count()).toBe(0);
    expect(await shown.locator('a', { hasText: 'See the services' }).getAttribute('href')).toBeNull();
    await customer.screenshot({
      path: join(SCREENSHOTS, 'client-announcements-desktop.png'),
      fullPage: true,
    });

    await visit(customer, panel.baseUrl, '/', `Hello, ${username}`);
    await customer.getByRole('article', { name: title }).waitFor(WAIT);
    expect(
      await customer.getByRole('article', { name: title }).getByText('New', { exact: true }).count(),
    ).toBe(0);
    expect(await flag(customer)).toBeNull();

    // Another customer has not read it: their dashboard, where logging in lands, shows it new.
    const other = await (await browser.newContext({ viewport: DESKTOP })).newPage();
    await logIn(other, panel.baseUrl, second, 'dave-password-1', { signedIn: mainNavigation });
    await other.getByRole('heading', { level: 1, name: `Hello, ${second}` }).waitFor(WAIT);
    await other.getByRole('article', { name: title }).getByText('New', { exact: true }).waitFor(WAIT);
    expect(await flag(other)).toBeNull();
    expect(blocked).toEqual([]);
  });
});
