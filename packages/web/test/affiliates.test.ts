import { type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addPaymentMethod } from '../../server/src/app/payments/add-payment-method.js';
import { createDeposit } from '../../server/src/app/payments/create-deposit.js';
import { approveDeposit } from '../../server/src/app/payments/decide-deposit.js';
import { createUser } from '../../server/src/app/users/create-user.js';
import { sql } from '../../server/src/store/database.js';
import { TestPanel } from '../../server/test/support/test-panel.js';
import { launchChromium, logIn, visit, WAIT } from './support/browser.js';

/**
 * Affiliates in Chromium (issue 15 item 5): a customer's Affiliates page shows their link (copied
 * to the clipboard by its button); a visitor follows it, lands on the sign-up page and signs up;
 * once the referral's deposit is paid, the page shows the visit, the sign-up, the paying customer,
 * the conversion and the commission, and a payout puts it on the balance. The owner sees the
 * affiliate in Admin › Affiliates and sets their own commission.
 */

describe('affiliates in a browser', () => {
  let panel: TestPanel;
  let browser: Browser;
  let aliceContext: BrowserContext;
  let alice: Page;
  let admin: Page;
  let bankMethod: number;

  beforeAll(async () => {
    panel = await TestPanel.start();
    for (const [username, role] of [
      ['owner', 'owner'],
      ['alice', 'customer'],
    ] as const) {
      const created = await createUser(panel.ctx, {
        username,
        password: `${username}-password-1`,
        role,
        email: `${username}@example.com`,
      });
      if (!created.ok) throw new Error(created.failure.code);
    }
    const bank = await addPaymentMethod(panel.ctx, {
      gateway: 'manual',
      name: 'Bank transfer',
      bonus: '100:5',
    });
    if (!bank.ok) throw new Error('payment method');
    bankMethod = bank.value.id;
    browser = await launchChromium();
    aliceContext = await browser.newContext();
    await aliceContext.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: panel.baseUrl });
    alice = await aliceContext.newPage();
    admin = await (await browser.newContext()).newPage();
    await logIn(alice, panel.baseUrl, 'alice', 'alice-password-1');
    await logIn(admin, panel.baseUrl, 'owner', 'owner-password-1');
  });

  afterAll(async () => {
    await browser?.close();
    await panel?.close();
  });

  it('the link is copied; a visitor who follows it and signs up is a referral; a paid deposit earns; a payout reaches the balance', async () => {
    await visit(alice, panel.baseUrl, '/affiliates', 'Affiliates');
    const link = await alice.getByLabel('Referral link', { exact: true }).inputValue();
    expect(link).toMatch(new RegExp(`^${panel.baseUrl}/ref/[a-z2-9]{8}$`));
    await alice.getByRole('button', { name: 'Copy referral link' }).click();
    await alice.getByText('Copied').waitFor(WAIT);
    expect(await alice.evaluate(() => navigator.clipboard.readText())).toBe(link);
    await alice.getByText('You earn 5% of every deposit they pay').waitFor(WAIT);
    const payOut = alice.getByRole('button', { name: 'Pay out to my balance' });
    expect(await payOut.isDisabled()).toBe(true);

    // A visitor, in their own browser, follows the link and lands on sign-up.
    const visitor = await (await browser.newContext()).newPage();
    await visitor.goto(link);
    await visitor.getByRole('heading', { name: 'Create your account' }).waitFor(WAIT);
    expect(new URL(visitor.url()).pathname).toBe('/signup');
    await visitor.getByLabel('Username').fill('bob');
    await visitor.getByLabel('Email').fill('bob@example.org');
    await visitor.getByLabel('Password').fill('bob-password-1');
    await visitor.getByRole('button', { name: 'Sign up' }).click();
    await visitor.getByRole('button', { name: 'Log out' }).waitFor(WAIT);
    const bob = await panel.db.get<{ id: bigint }>(sql("SELECT id FROM users WHERE username = 'bob'"));

    // Bob pays 250.00 in by bank transfer (5% bonus: not commissioned); the owner approves it.
    const deposit = await createDeposit(panel.ctx, panel.panel.payments, {
      userId: Number(bob!.id),
      methodId: bankMethod,
      amount: '250',
      publicUrl: panel.baseUrl,
    });
    if (!deposit.ok) throw new Error(deposit.failure.code);
    expect((await approveDeposit(panel.ctx, deposit.value.deposit.id)).ok).toBe(true);

    await visit(alice, panel.baseUrl, '/affiliates', 'Affiliates');
    const results = alice.getByRole('definition');
    await alice.getByText('Paying customers').waitFor(WAIT);
    expect(await results.allTextContents()).toEqual([
      '1',
      '1',
      '1',
      '100%',
      '12.50 USD',
      '12.50 USD',
      '0.00 USD',
      '0.00 USD',
    ]);
    await alice.getByRole('cell', { name: '250.00 USD × 5%' }).waitFor(WAIT);
    await payOut.click();
    await alice.getByText('12.50 USD added to your balance.').waitFor(WAIT);
    await alice.getByRole('link', { name: 'Balance: 12.50 USD' }).waitFor(WAIT);
    await alice.getByRole('cell', { name: 'To my balance' }).waitFor(WAIT);
    expect(await payOut.isDisabled()).toBe(true);
    // At phone width the page fits: nothing scrolls sideways.
    await alice.setViewportSize({ width: 375, height: 812 });
    await visit(alice, panel.baseUrl, '/affiliates', 'Affiliates');
    expect(await alice.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
    await visitor.close();
  });

  it('the owner sees the affiliate in Admin › Affiliates and sets their own commission', async () => {
    await visit(admin, panel.baseUrl, '/admin/affiliates', 'Affiliates');
    const form = admin.getByRole('form', { name: 'Commission of alice' });
    await form.waitFor(WAIT);
    await admin.getByRole('cell', { name: '12.50 USD' }).first().waitFor(WAIT);
    await form.getByLabel('Commission %').fill('7.5');
    await form.getByRole('button', { name: 'Save' }).click();
    await visit(alice, panel.baseUrl, '/affiliates', 'Affiliates');
    await alice.getByText('You earn 7.5% of every deposit they pay').waitFor(WAIT);
    const settings = admin.getByRole('form', { name: 'Affiliate settings' });
    expect(await settings.getByLabel('Minimum payout').inputValue()).toBe('10.00000');
  });
});
