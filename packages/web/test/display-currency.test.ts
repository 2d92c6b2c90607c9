import { type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setExchangeRateByAdmin } from '../../server/src/app/currencies/set-exchange-rate.js';
import { createUser } from '../../server/src/app/users/create-user.js';
import { TestPanel } from '../../server/test/support/test-panel.js';
import { launchChromium, logIn, visit as visitPage, WAIT } from './support/browser.js';

/**
 * Display currencies in Chromium: on a USD panel with EUR enabled at 1 EUR = 1.0845 USD, a customer
 * picks EUR on the Account page and sees their balance and the Services prices as "≈ … EUR" with
 * the exact USD amount beside; picking the panel currency back shows plain USD again.
 */
describe('display currency in a browser', () => {
  let panel: TestPanel;
  let browser: Browser;
  let customer: Page;
  let apiKey = '';

  const visit = (path: string, heading: string) => visitPage(customer, panel.baseUrl, path, heading);
  const balance = (name: string) => customer.getByRole('link', { name: `Balance: ${name}` });

  beforeAll(async () => {
    panel = await TestPanel.start({ currency: 'USD' });
    const rate = await setExchangeRateByAdmin(panel.ctx, { currency: 'EUR', rate: '1.0845' });
    if (!rate.ok) throw new Error(rate.failure.code);
    await panel.createService({ name: 'Followers', rate: '2.50' });
    const created = await createUser(panel.ctx, {
      username: 'shopper',
      password: 'shopper-password-1',
      role: 'customer',
    });
    if (!created.ok) throw new Error(created.failure.code);
    const owner = await createUser(panel.ctx, {
      username: 'owner',
      password: 'owner-password-1',
      role: 'owner',
    });
    if (!owner.ok) throw new Error(owner.failure.code);
    apiKey = created.value.apiKey;
    await panel.fund(created.value, '100');
    browser = await launchChromium();
    customer = await (await browser.newContext()).newPage();
    await logIn(customer, panel.baseUrl, 'shopper', 'shopper-password-1');
  });

  afterAll(async () => {
    await browser?.close();
    await panel?.close();
  });

  it('the owner ticks EUR on the Currencies page; the customer has nothing to pick before', async () => {
    await visit('/account', 'Account');
    expect(await customer.getByLabel('Show amounts in').count()).toBe(0);
    const admin = await (await browser.newContext()).newPage();
    await logIn(admin, panel.baseUrl, 'owner', 'owner-password-1');
    await visitPage(admin, panel.baseUrl, '/admin/currencies', 'Currencies');
    const tick = admin.getByRole('checkbox', { name: 'Customers may display EUR' });
    expect(await tick.isChecked()).toBe(false);
    await tick.click();
    await admin.getByRole('checkbox', { name: 'Customers may display EUR', checked: true }).waitFor(WAIT);
    await admin.reload();
    await admin.getByRole('checkbox', { name: 'Customers may display EUR', checked: true }).waitFor(WAIT);
    await admin.close();
  });

  it('picks EUR: balance and prices are shown converted, marked ≈, with the exact USD beside', async () => {
    await balance('100.00 USD').waitFor(WAIT);
    await visit('/account', 'Account');
    await customer.getByText('Charges, your balance, payments and the API stay in USD.').waitFor(WAIT);
    const picker = customer.getByLabel('Show amounts in');
    expect(await picker.inputValue()).toBe('');
    await picker.selectOption('EUR');
    // 100 / 1.0845 = 92.2083… → 92.21
    await balance('≈ 92.21 EUR (100.00 USD)').waitFor(WAIT);
    expect(await picker.inputValue()).toBe('EUR');

    await visit('/services', 'Services');
    // 2.50 / 1.0845 = 2.3052… → 2.31
    await customer.getByText('≈ 2.31 EUR (2.50 USD)', { exact: true }).waitFor(WAIT);

    // Saved on the account: a fresh load shows it too; the money itself is unchanged.
    await customer.reload();
    await balance('≈ 92.21 EUR (100.00 USD)').waitFor(WAIT);
    const api = await panel.api({ key: apiKey, action: 'balance' });
    expect(api.json).toEqual({ balance: '100.00000', currency: 'USD' });
  });

  it('picks the panel currency back: plain USD again', async () => {
    await visit('/account', 'Account');
    await customer.getByLabel('Show amounts in').selectOption('');
    await balance('100.00 USD').waitFor(WAIT);
    await visit('/services', 'Services');
    await customer.getByText('2.50 USD', { exact: true }).waitFor(WAIT);
    expect(await customer.getByText('≈').count()).toBe(0);
  });
});
