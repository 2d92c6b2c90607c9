import { type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addPaymentMethod } from '../../server/src/app/payments/add-payment-method.js';
import { createUser } from '../../server/src/app/users/create-user.js';
import { sql } from '../../server/src/store/database.js';
import { findPaymentMethod } from '../../server/src/store/payment-methods.js';
import { TEST_GATEWAY, TestPayServer, registerTestGateway } from '../../server/test/support/test-gateway.js';
import { TestPanel } from '../../server/test/support/test-panel.js';
import { launchChromium, logIn, visit, WAIT } from './support/browser.js';

/**
 * Admin › Payments › Methods in Chromium: the owner adds a manual method and edits a gateway's
 * (its secrets write-only); the customer sees the fee and bonus computed live by the server while
 * typing, tops up, the owner approves, and the dashboard counts the paid deposit per method.
 */

describe('payment methods and live deposit terms in a browser', () => {
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
      ['dave', 'customer'],
    ] as const) {
      const created = await createUser(panel.ctx, { username, password: `${username}-password-1`, role });
      if (!created.ok) throw new Error(created.failure.code);
    }
    const card = await addPaymentMethod(panel.ctx, {
      gateway: TEST_GATEWAY,
      name: 'Card',
      config: testpay.config,
    });
    if (!card.ok) throw new Error('payment method');
    cardMethod = card.value.id;
    browser = await launchChromium();
    customer = await (await browser.newContext()).newPage();
    admin = await (await browser.newContext()).newPage();
    await logIn(customer, panel.baseUrl, 'dave', 'dave-password-1');
    await logIn(admin, panel.baseUrl, 'owner', 'owner-password-1');
  });

  afterAll(async () => {
    await browser?.close();
    await panel?.close();
    await testpay?.close();
  });

  it('the owner adds a manual method in the web admin, audited', async () => {
    await visit(admin, panel.baseUrl, '/admin/payments', 'Payments');
    await admin.getByRole('button', { name: 'Add a payment method' }).click();
    const form = admin.getByRole('form', { name: 'New payment method' });
    await form.getByLabel('Gateway').selectOption('manual');
    await form.getByLabel('Name').fill('Wire');
    await form.getByLabel('Minimum').fill('5');
    await form.getByLabel('Fee percent').fill('2.5');
    await form.getByLabel('Bonus tiers').fill('100:5,500:10');
    await form.getByLabel('Instructions').fill('IBAN DE00 9999, reference: <b>your name</b>');
    // A bad field: a clear error, nothing saved.
    await form.getByLabel('Maximum').fill('1');
    await form.getByRole('button', { name: 'Add method' }).click();
    await form.getByText('Invalid max: must not be below the minimum').waitFor(WAIT);
    await form.getByLabel('Maximum').fill('');
    await form.getByRole('button', { name: 'Add method' }).click();
    await form.waitFor({ state: 'detached', ...WAIT });
    await admin.getByRole('cell', { name: /^#\d+ Wire/ }).waitFor(WAIT);
    await admin.getByRole('cell', { name: '100.00:5,500.00:10' }).waitFor(WAIT);
    const audit = await panel.db.all<{ details: string }>(
      sql("SELECT details FROM audit_log WHERE action = 'payments.method.add'"),
    );
    expect(audit.map((row) => row.details).join()).toContain('Wire');
  });

  it('editing a gateway method: secrets are masked and kept when left blank, others change', async () => {
    await visit(admin, panel.baseUrl, '/admin/payments', 'Payments');
    await admin.getByRole('button', { name: 'Edit Card' }).click();
    const form = admin.getByRole('form', { name: `Edit payment method ${cardMethod}` });
    const secret = form.getByLabel('webhookSecret');
    expect(await secret.getAttribute('type')).toBe('password');
    expect(await secret.inputValue()).toBe('');
    expect(await secret.getAttribute('placeholder')).toBe('********');
    expect(await form.getByLabel('apiBase').inputValue()).toBe(testpay.baseUrl);
    expect(await admin.content()).not.toContain(testpay.config.webhookSecret);
    await form.getByLabel('Name').fill('Card (Visa)');
    await form.getByLabel('Fee percent').fill('3');
    await form.getByRole('button', { name: 'Save method' }).click();
    await form.waitFor({ state: 'detached', ...WAIT });
    await admin.getByRole('cell', { name: /^#\d+ Card \(Visa\)/ }).waitFor(WAIT);
    const stored = await findPaymentMethod(panel.db, cardMethod);
    expect(stored?.config).toEqual(testpay.config);
    expect(stored?.feeBps).toBe(300);
    const audit = await panel.db.all<{ details: string }>(
      sql("SELECT details FROM audit_log WHERE action = 'payments.method.update'"),
    );
    expect(audit).toHaveLength(1);
    expect(audit[0]!.details).not.toContain(testpay.config.webhookSecret);
  });

  it('the customer sees the fee and bonus computed live, tops up, the owner approves', async () => {
    await visit(customer, panel.baseUrl, '/add-funds', 'Add funds');
    const form = customer.getByRole('form', { name: 'Add funds' });
    await form.getByLabel('Method').selectOption({ label: 'Wire' });
    const terms = form.getByRole('status', { name: 'Deposit terms' });
    const amount = form.getByLabel('Amount');
    await amount.fill('4');
    await terms.getByText('Invalid amount: at least 5.00').waitFor(WAIT);
    await amount.fill('');
    // Typed key by key: an answer per keystroke; the answer for "1" (refused: below the minimum)
    // is held back until after the one for "100", and is dropped: only the latest input's shows.
    const slow = /\/web-api\/deposits\/quote\?method=\d+&amount=1$/;
    let released = false;
    await customer.route(slow, async (route) => {
      await new Promise((resolve) => setTimeout(resolve, 1500));
      released = true;
      await route.continue();
    });
    await amount.pressSequentially('100');
    await terms.getByTestId('quote-credit').getByText('105.00 USD').waitFor(WAIT);
    await expect.poll(() => released, WAIT).toBe(true);
    await customer.waitForTimeout(300);
    expect(await terms.getByTestId('quote-credit').textContent()).toBe('105.00 USD');
    expect(await customer.getByText('Invalid amount: at least 5.00').count()).toBe(0);
    await customer.unroute(slow);
    expect(await terms.getByTestId('quote-fee').textContent()).toBe('2.50 USD');
    expect(await terms.getByTestId('quote-pay').textContent()).toBe('102.50 USD');
    expect(await terms.getByTestId('quote-bonus').textContent()).toBe('5.00 USD');
    await amount.fill('500');
    await terms.getByTestId('quote-bonus').getByText('50.00 USD').waitFor(WAIT);
    await amount.fill('100');
    await terms.getByTestId('quote-bonus').getByText('5.00 USD').waitFor(WAIT);
    await form.getByLabel('Reference').fill('WIRE-7');
    await form.getByRole('button', { name: 'I have paid' }).click();
    const waiting = customer.getByText(/Deposit #\d+ is waiting for approval\./);
    await waiting.waitFor(WAIT);
    const depositId = Number(/#(\d+)/.exec((await waiting.textContent()) ?? '')![1]);
    // Instructions are shown as text, never as markup.
    await customer.getByText('IBAN DE00 9999, reference: <b>your name</b>').waitFor(WAIT);

    await visit(admin, panel.baseUrl, '/admin/payments', 'Payments');
    const decide = admin.getByRole('form', { name: `Decide deposit ${depositId}` });
    await decide.getByRole('button', { name: 'Approve' }).click();
    await decide.waitFor({ state: 'detached', ...WAIT });

    await visit(customer, panel.baseUrl, '/funds', 'Funds');
    await customer.getByRole('link', { name: 'Balance: 105.00 USD' }).waitFor(WAIT);

    await visit(admin, panel.baseUrl, '/admin', 'Dashboard');
    const table = admin.getByRole('table', { name: 'Paid deposits per method per day' });
    const today = new Date(panel.clock.now()).toISOString().slice(0, 10);
    const row = table.getByRole('row', { name: new RegExp(`${today} Wire 1 100.00 USD`) });
    await row.waitFor(WAIT);
  });
});
