import { type IncomingHttpHeaders, type Server, createServer } from 'node:http';
import { mkdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { type Browser, type Page } from 'playwright-core';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser } from '../../server/src/app/users/create-user.js';
import { deliverWebhooks } from '../../server/src/app/webhooks/deliver-webhooks.js';
import { systemResolver } from '../../server/src/app/webhooks/public-url.js';
import { TestPanel } from '../../server/test/support/test-panel.js';
import { launchChromium, logIn, SCREENSHOTS, WAIT } from './support/browser.js';

/**
 * The customer's Webhooks page in Chromium: register an endpoint (secret shown once), send a test
 * event that a real receiver verifies with the Standard Webhooks library, read the delivery log,
 * rotate the secret, disable and delete.
 */

describe('webhooks page in a browser', () => {
  let panel: TestPanel;
  let browser: Browser;
  let page: Page;
  let receiver: Server;
  const received: { headers: IncomingHttpHeaders; body: string }[] = [];
  const username = `hooks_${process.pid}`;
  const password = 'hooks-password-1';

  const receiverUrl = () => `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/in`;
  const secretShown = () => page.locator('.alert code.secret').textContent();

  beforeAll(async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    panel = await TestPanel.start({ allowPrivateUrls: true });
    const created = await createUser(panel.ctx, { username, password, role: 'customer' });
    if (!created.ok) throw new Error(created.failure.code);
    receiver = createServer((request, response) => {
      let body = '';
      request.setEncoding('utf8');
      request.on('data', (chunk: string) => (body += chunk));
      request.on('end', () => {
        received.push({ headers: request.headers, body });
        // Markup in an answer is shown as text in the log, never rendered.
        response.writeHead(200, { 'content-type': 'text/html' }).end('<b>thanks</b>');
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    browser = await launchChromium();
    page = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
    await logIn(page, panel.baseUrl, username, password, {
      signedIn: (signedIn) => signedIn.getByRole('link', { name: 'Webhooks' }),
    });
  });

  afterAll(async () => {
    await browser?.close();
    receiver?.closeAllConnections();
    await new Promise<void>((resolve) => (receiver ? receiver.close(() => resolve()) : resolve()));
    await panel?.close();
  });

  it('registers an endpoint, shows its secret once, and delivers a signed test event to it', async () => {
    await page.getByRole('link', { name: 'Webhooks' }).click();
    await page.getByRole('heading', { level: 1, name: 'Webhooks' }).waitFor(WAIT);
    await page.getByText('No endpoint yet.').waitFor(WAIT);
    await page.getByLabel('Endpoint URL').fill(receiverUrl());
    await page.getByLabel('refill.updated').check();
    await page.getByRole('button', { name: 'Add endpoint' }).click();
    await page.getByText('it is not shown again').waitFor(WAIT);
    const secret = (await secretShown())!;
    expect(secret).toMatch(/^whsec_/);
    const endpoints = page.getByRole('table', { name: 'Endpoints' });
    await endpoints.getByText(receiverUrl()).waitFor(WAIT);
    await expect(endpoints.getByText('order.updated, refill.updated').count()).resolves.toBe(1);
    await page.screenshot({ path: join(SCREENSHOTS, 'client-webhooks-desktop.png'), fullPage: true });

    // The secret is in that one answer only: a reload does not show it again.
    await page.reload();
    await endpoints.getByText(receiverUrl()).waitFor(WAIT);
    await expect(page.locator('code.secret').count()).resolves.toBe(0);

    await page.getByRole('button', { name: 'Send test event' }).click();
    await page.getByText(/Test event msg_\w+ queued/).waitFor(WAIT);
    expect(
      await deliverWebhooks(panel.panel.ctx, { policy: { allowPrivate: true, resolve: systemResolver } }),
    ).toBe(1);
    expect(received).toHaveLength(1);
    const [{ headers, body }] = received as [(typeof received)[0]];
    const verified = new Webhook(secret).verify(body, {
      'webhook-id': String(headers['webhook-id']),
      'webhook-timestamp': String(headers['webhook-timestamp']),
      'webhook-signature': String(headers['webhook-signature']),
    });
    expect(verified).toMatchObject({ type: 'webhook.test' });

    await page.getByRole('button', { name: 'Deliveries' }).click();
    const log = page.getByRole('table', { name: 'Delivery log' });
    await log.getByText('webhook.test').waitFor(WAIT);
    await log.getByText('<b>thanks</b>').waitFor(WAIT);
    await expect(log.locator('b').count()).resolves.toBe(0);
    await expect(log.getByRole('cell', { name: '200', exact: true }).count()).resolves.toBe(1);
    await page.screenshot({ path: join(SCREENSHOTS, 'client-webhooks-log-desktop.png'), fullPage: true });
  });

  it('rotates the secret, disables, enables and deletes the endpoint', async () => {
    await page.getByRole('button', { name: 'Rotate secret' }).click();
    await page.getByText('it is not shown again').waitFor(WAIT);
    const rotated = (await secretShown())!;
    expect(rotated).toMatch(/^whsec_/);

    const endpoints = page.getByRole('table', { name: 'Endpoints' });
    await page.getByRole('button', { name: 'Disable' }).click();
    await endpoints.getByRole('cell', { name: 'Disabled' }).waitFor(WAIT);
    await page.getByRole('button', { name: 'Enable' }).click();
    await endpoints.getByRole('cell', { name: 'Enabled' }).waitFor(WAIT);

    // A new test event is signed with the rotated secret.
    await page.getByRole('button', { name: 'Send test event' }).click();
    await page.getByText(/Test event msg_\w+ queued/).waitFor(WAIT);
    await deliverWebhooks(panel.panel.ctx, { policy: { allowPrivate: true, resolve: systemResolver } });
    const last = received.at(-1)!;
    expect(() =>
      new Webhook(rotated).verify(last.body, {
        'webhook-id': String(last.headers['webhook-id']),
        'webhook-timestamp': String(last.headers['webhook-timestamp']),
        'webhook-signature': String(last.headers['webhook-signature']),
      }),
    ).not.toThrow();

    await page.getByRole('button', { name: 'Delete' }).click();
    await page.getByText('No endpoint yet.').waitFor(WAIT);
  });

  it('shows why a URL is refused', async () => {
    await page.getByLabel('Endpoint URL').fill('ftp://example.com/in');
    await page.getByRole('button', { name: 'Add endpoint' }).click();
    await page.getByText('Invalid url: must start with https:// or http://').waitFor(WAIT);
  });

  it('sets the low-balance threshold: refused with the reason, saved, shown again, removed', async () => {
    const field = page.getByLabel('Send balance.low below');
    await field.fill('ten');
    await page.getByRole('button', { name: 'Save threshold' }).click();
    await page.getByText('Invalid threshold: an amount such as 5 or 12.50').waitFor(WAIT);
    await field.fill('12.5');
    await page.getByRole('button', { name: 'Save threshold' }).click();
    await page.getByText('Alert below 12.50000.').waitFor(WAIT);
    await page.screenshot({
      path: join(SCREENSHOTS, 'client-webhooks-threshold-desktop.png'),
      fullPage: true,
    });
    await page.reload();
    await page.getByRole('button', { name: 'Remove threshold' }).waitFor(WAIT);
    await expect(page.getByLabel('Send balance.low below').inputValue()).resolves.toBe('12.50000');
    await page.getByRole('button', { name: 'Remove threshold' }).click();
    await page.getByText('No low-balance alert.').waitFor(WAIT);
    await expect(page.getByRole('button', { name: 'Remove threshold' }).count()).resolves.toBe(0);
  });
});
