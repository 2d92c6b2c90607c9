import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { smtpMailer } from '../../server/src/app/email/mailer.js';
import { sendDueEmails } from '../../server/src/app/email/send-due-emails.js';
import { createUser } from '../../server/src/app/users/create-user.js';
import { SmtpTestServer } from '../../server/test/support/smtp-test-server.js';
import { TestPanel } from '../../server/test/support/test-panel.js';
import { axeViolations } from './support/axe.js';
import {
  collectCspViolations,
  DESKTOP,
  launchChromium,
  logIn,
  SCREENSHOTS,
  visit,
  WAIT,
} from './support/browser.js';

const LOGO = join(import.meta.dirname, '../../server/test/fixtures/images/python.png');

/**
 * Branding in Chromium against a real panel: the owner sets the name, a yellow primary colour and a
 * logo on Admin › Settings; a customer sees them on the login page and in the panel (readable text
 * on the colour, axe's colour-contrast passing), the favicon follows, and an email sent through a
 * real SMTP server carries the name, the logo and the colour.
 */
describe('branding in a browser', () => {
  let panel: TestPanel;
  let browser: Browser;
  const smtp = new SmtpTestServer();
  const csp: string[] = [];

  beforeAll(async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    await smtp.start();
    panel = await TestPanel.start({
      mail: { enabled: true, publicUrl: 'https://brand.example', adminEmail: null },
    });
    const owner = await createUser(panel.ctx, {
      username: 'owner',
      password: 'owner-password-1',
      role: 'owner',
    });
    if (!owner.ok) throw new Error(owner.failure.code);
    const customer = await createUser(panel.ctx, {
      username: 'dana',
      password: 'dana-password-1',
      role: 'customer',
    });
    if (!customer.ok) throw new Error(customer.failure.code);
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await panel?.close();
    await smtp.stop();
  });

  const computed = (page: Page, selector: string, property: string) =>
    page
      .locator(selector)
      .first()
      .evaluate((el, p) => getComputedStyle(el).getPropertyValue(p), property);

  it('the owner uploads a logo and picks a colour; a customer sees them, readable; emails carry them', async () => {
    const adminContext = await browser.newContext({ viewport: DESKTOP });
    const admin = await adminContext.newPage();
    collectCspViolations(admin, csp);
    await logIn(admin, panel.baseUrl, 'owner', 'owner-password-1');
    await visit(admin, panel.baseUrl, '/admin/settings', 'Settings');

    await admin.getByLabel('Panel name').fill('Sunny SMM');
    await admin.getByRole('button', { name: 'Save settings' }).click();
    await admin.getByText('Settings saved.').waitFor(WAIT);

    const branding = admin.getByRole('region', { name: 'Branding' });
    await branding.getByLabel('Primary colour').fill('yellow');
    await branding.getByRole('button', { name: 'Save colour' }).click();
    await branding.getByText('Invalid primary colour: a colour as #rrggbb, e.g. #2754c5').waitFor(WAIT);
    await branding.getByLabel('Primary colour').fill('#FFDD00');
    await branding.getByRole('button', { name: 'Save colour' }).click();
    await branding.getByText('Primary colour saved.').waitFor(WAIT);

    // An HTML file named .png is refused by the server, with its reason.
    await branding.getByLabel('Upload a logo').setInputFiles({
      name: 'logo.png',
      mimeType: 'image/png',
      buffer: Buffer.from('<html><script>alert(1)</script></html>'),
    });
    await branding.getByText('Invalid logo: not a PNG, JPEG, WebP, GIF or ICO image').waitFor(WAIT);
    await branding.getByLabel('Upload a logo').setInputFiles(LOGO);
    await branding.getByText('Logo uploaded.').waitFor(WAIT);
    await branding.getByRole('img', { name: 'Current logo' }).waitFor(WAIT);
    await branding.getByLabel('Upload a favicon').setInputFiles(LOGO);
    await branding.getByText('Favicon uploaded.').waitFor(WAIT);
    // The admin's own header follows at once.
    expect(await computed(admin, 'button.primary', 'background-color')).toBe('rgb(255, 221, 0)');
    await admin.screenshot({ path: join(SCREENSHOTS, 'branding-admin-settings.png'), fullPage: true });

    const customerContext = await browser.newContext({ viewport: DESKTOP, bypassCSP: false });
    const customer = await customerContext.newPage();
    collectCspViolations(customer, csp);
    await visit(customer, panel.baseUrl, '/login', 'Log in');
    const authLogo = customer.locator('.auth-shell header img.brand-logo');
    await authLogo.waitFor(WAIT);
    expect(await authLogo.getAttribute('src')).toMatch(/^\/brand\/logo\?v=[0-9a-f]{16}$/);
    // Loaded under the panel's CSP: a real image, decoded.
    await expect.poll(() => authLogo.evaluate((img: HTMLImageElement) => img.naturalWidth), WAIT).toBe(16);
    await customer.getByText('Sunny SMM').first().waitFor(WAIT);
    expect(await customer.title()).toBe('Sunny SMM');
    expect(await customer.locator('link[rel="icon"]').getAttribute('href')).toMatch(/^\/brand\/favicon\?v=/);
    expect(await computed(customer, 'button.primary', 'background-color')).toBe('rgb(255, 221, 0)');
    expect(await computed(customer, 'button.primary', 'color')).toBe('rgb(0, 0, 0)');

    await logIn(customer, panel.baseUrl, 'dana', 'dana-password-1');
    const headerLogo = customer.locator('header.topbar img.brand-logo');
    await headerLogo.waitFor(WAIT);
    await expect.poll(() => headerLogo.evaluate((img: HTMLImageElement) => img.naturalWidth), WAIT).toBe(16);
    expect(await customer.locator('header.topbar .brand').textContent()).toContain('Sunny SMM');
    // Links use the colour darkened to read on the page, not the pale yellow itself.
    const link = await computed(customer, 'a:not(.brand)', 'color');
    expect(link).not.toBe('rgb(255, 221, 0)');
    await customer.screenshot({ path: join(SCREENSHOTS, 'branding-customer.png'), fullPage: true });

    // axe's colour-contrast rule passes with the admin's colour (axe is injected: a context that bypasses the CSP).
    const auditContext = await browser.newContext({ viewport: DESKTOP, bypassCSP: true });
    const audit = await auditContext.newPage();
    await logIn(audit, panel.baseUrl, 'dana', 'dana-password-1');
    for (const [path, heading] of [
      ['/', 'Hello, dana'],
      ['/orders', 'Orders'],
    ] as const) {
      await visit(audit, panel.baseUrl, path, heading);
      await audit.waitForLoadState('networkidle');
      const contrast = (await axeViolations(audit)).filter((v) => v.id === 'color-contrast');
      expect(contrast, `${path}: ${JSON.stringify(contrast)}`).toEqual([]);
    }
    expect(csp).toEqual([]);

    // A message sent now is in the panel's name, with its logo (absolute URL) and colour.
    const created = await createUser(panel.ctx, {
      username: 'erin',
      password: 'erin-password-1',
      role: 'customer',
      email: 'erin@mail.example',
    });
    expect(created.ok).toBe(true);
    const mailer = smtpMailer(smtp.url, 'noreply@brand.example');
    await sendDueEmails(panel.ctx, mailer);
    mailer.close();
    const [email] = smtp.to('erin@mail.example');
    expect(email!.raw).toMatch(/^Subject: \[Sunny SMM\] /m);
    const html = email!.decoded.replace(/=\r?\n/g, '');
    expect(html).toMatch(/<img src="https:\/\/brand\.example\/brand\/logo\?v=[0-9a-f]{16}" alt="Sunny SMM"/);
    expect(html).toContain('background: #ffdd00; color: #000000');
    expect(html).toContain(' Sunny SMM</p>');

    await Promise.all([adminContext.close(), customerContext.close(), auditContext.close()]);
  });
});
