import { type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addPaymentMethod } from '../../server/src/app/payments/add-payment-method.js';
import { createUser } from '../../server/src/app/users/create-user.js';
import { type FakeStripe, startFakeStripe } from '../../server/test/support/fake-stripe.js';
import { TestPanel } from '../../server/test/support/test-panel.js';
import { launchChromium, logIn, WAIT } from './support/browser.js';

/**
 * A Stripe deposit in Chromium: the customer follows the Checkout redirect to a local Stripe (the
 * fake's hosted page), pays there (the page posts the signed `checkout.session.completed` webhook to
 * the panel, then sends the browser to the success URL), and the return page shows the deposit paid.
 */

describe('a Stripe deposit in a browser', () => {
  let panel: TestPanel;
  let stripe: FakeStripe;
  let browser: Browser;
  let customer: Page;
  let stripeMethod: number;

  beforeAll(async () => {
    panel = await TestPanel.start();
    stripe = await startFakeStripe();
    const created = await createUser(panel.ctx, {
      username: 'dave',
      password: 'dave-password-1',
      role: 'customer',
    });
    if (!created.ok) throw new Error(created.failure.code);
    const method = await addPaymentMethod(panel.ctx, {
      gateway: 'stripe',
      name: 'Card (Stripe)',
      config: stripe.config,
    });
    if (!method.ok) throw new Error(method.failure.code);
    stripeMethod = method.value.id;
    stripe.webhookUrl = `${panel.baseUrl}/payments/webhook/${stripeMethod}`;
    browser = await launchChromium();
    customer = await (await browser.newContext()).newPage();
    await logIn(customer, panel.baseUrl, 'dave', 'dave-password-1');
  });

  afterAll(async () => {
    await browser?.close();
    await panel?.close();
    await stripe?.close();
  });

  it('the redirect is followed to Stripe, paid there, and the return page shows it paid', async () => {
    await customer.goto(`${panel.baseUrl}/add-funds`);
    await customer.getByRole('heading', { level: 1, name: 'Add funds' }).waitFor(WAIT);
    const form = customer.getByRole('form', { name: 'Add funds' });
    await form.getByLabel('Method').selectOption({ label: 'Card (Stripe)' });
    await form.getByLabel('Amount').fill('12.50');
    await form.getByRole('button', { name: 'Continue to payment' }).click();

    await customer.getByRole('heading', { name: 'Pay 1250 USD minor units' }).waitFor(WAIT);
    expect(new URL(customer.url()).origin).toBe(stripe.apiBase);
    const sessionId = new URL(customer.url()).pathname.split('/').pop()!;
    const session = stripe.sessions.get(sessionId)!;
    const depositId = session.metadata.deposit_id;
    expect(session.success_url).toBe(`${panel.baseUrl}/payments/return/${stripeMethod}?deposit=${depositId}`);

    await customer.getByRole('button', { name: 'Pay' }).click();
    await customer.getByRole('heading', { level: 1, name: 'Funds' }).waitFor(WAIT);
    expect(new URL(customer.url()).origin).toBe(panel.baseUrl);
    expect(new URL(customer.url()).pathname).toBe('/funds');
    await customer.getByText(new RegExp(`^Deposit #${depositId}: Paid`)).waitFor(WAIT);
    await customer.getByRole('link', { name: 'Balance: 12.50 USD' }).waitFor(WAIT);
    expect(session.status).toBe('complete');
  });
});
