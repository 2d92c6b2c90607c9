import { type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addPaymentMethod } from '../../server/src/app/payments/add-payment-method.js';
import { createUser } from '../../server/src/app/users/create-user.js';
import { TEST_GATEWAY, TestPayServer, registerTestGateway } from '../../server/test/support/test-gateway.js';
import { TestPanel } from '../../server/test/support/test-panel.js';
import { launchChromium, logIn, visit, WAIT } from './support/browser.js';

/**
 * Money in, in Chromium: a customer tops up by the manual method, the owner approves it in
 * Admin › Payments, and the customer sees the balance with its bonus; a gateway deposit's redirect
 * is followed to the gateway (TestPay, a local stand-in), and the return page shows it paid.
 */

describe('payments in a browser', () => {
  let panel: TestPanel;
  let testpay: TestPayServer;
  let browser: Browser;
  let customer: Page;
  let admin: Page;
  let cardMethod: number;

  beforeAll(async () => {
    registerTestGateway();
    panel = await TestPanel.start();
    testpay = await TestPayServer.start();
    for (const [username, role] of [
      ['owner', 'owner'],
      ['carol', 'customer'],
    ] as const) {
      const created = await createUser(panel.ctx, { username, password: `${username}-password-1`, role });
      if (!created.ok) throw new Error(created.failure.code);
    }
    const manual = await addPaymentMethod(panel.ctx, {
      gateway: 'manual',
      name: 'Bank transfer',
      bonus: '100:5',
      instructions: 'IBAN DE00 1234 5678, reference: your username',
    });
    const card = await addPaymentMethod(panel.ctx, {
      gateway: TEST_GATEWAY,
      name: 'Card',
      config: testpay.config,
    });
    if (!manual.ok || !card.ok) throw new Error('payment methods');
    cardMethod = card.value.id;
    browser = await launchChromium();
    customer = await (await browser.newContext()).newPage();
    admin = await (await browser.newContext()).newPage();
    await logIn(customer, panel.baseUrl, 'carol', 'carol-password-1');
    await logIn(admin, panel.baseUrl, 'owner', 'owner-password-1');
  });

  afterAll(async () => {
    await browser?.close();
    await panel?.close();
    await testpay?.close();
  });

  it('a manual top-up, approved by the admin: the customer sees the balance and the bonus', async () => {
    await visit(customer, panel.baseUrl, '/add-funds', 'Add funds');
    const form = customer.getByRole('form', { name: 'Add funds' });
    await form.getByLabel('Method').selectOption({ label: 'Bank transfer' });
    await customer.getByText('+5% bonus from 100.00').waitFor(WAIT);
    await form.getByLabel('Amount').fill('100');
    await form.getByLabel('Reference').fill('TX-42');
    await form.getByRole('button', { name: 'I have paid' }).click();
    const waiting = customer.getByText(/Deposit #\d+ is waiting for approval\./);
    await waiting.waitFor(WAIT);
    const depositId = Number(/#(\d+)/.exec((await waiting.textContent()) ?? '')![1]);
    await customer.getByText('IBAN DE00 1234 5678, reference: your username').waitFor(WAIT);

    await visit(admin, panel.baseUrl, '/admin/payments', 'Payments');
    const decide = admin.getByRole('form', { name: `Decide deposit ${depositId}` });
    await decide.waitFor(WAIT);
    await admin.getByText('TX-42').waitFor(WAIT);
    await decide.getByRole('button', { name: 'Approve' }).click();
    await decide.waitFor({ state: 'detached', ...WAIT });

    await visit(customer, panel.baseUrl, '/funds', 'Funds');
    await customer.getByText('105.00 USD').first().waitFor(WAIT);
    await customer.getByRole('cell', { name: /^Bonus/ }).waitFor(WAIT);
    await customer.getByRole('link', { name: 'Balance: 105.00 USD' }).waitFor(WAIT);
  });

  it('a gateway deposit: the redirect is followed to the gateway, the return page shows it paid', async () => {
    await visit(customer, panel.baseUrl, '/add-funds', 'Add funds');
    const form = customer.getByRole('form', { name: 'Add funds' });
    await form.getByLabel('Method').selectOption({ label: 'Card' });
    await form.getByLabel('Amount').fill('10');
    await form.getByRole('button', { name: 'Continue to payment' }).click();
    await customer.getByRole('heading', { name: 'Pay 10.00 USD' }).waitFor(WAIT);
    const paymentId = new URL(customer.url()).pathname.split('/').pop()!;
    expect(new URL(customer.url()).origin).toBe(testpay.baseUrl);
    const payment = testpay.payments.get(paymentId)!;

    expect((await testpay.deliver(paymentId, 'payment.succeeded')).status).toBe(200);
    // The gateway sends the browser back to the return URL it was given.
    await customer.goto(`${payment.returnUrl}&payment=${paymentId}`);
    await customer.getByRole('heading', { level: 1, name: 'Funds' }).waitFor(WAIT);
    expect(new URL(customer.url()).pathname).toBe('/funds');
    await customer.getByText(new RegExp(`^Deposit #${payment.reference}: Paid`)).waitFor(WAIT);
    await customer.getByText('115.00 USD').first().waitFor(WAIT);
    expect(payment.returnUrl).toBe(
      `${panel.baseUrl}/payments/return/${cardMethod}?deposit=${payment.reference}`,
    );
  });
});
