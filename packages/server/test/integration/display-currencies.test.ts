import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setExchangeRateByAdmin } from '../../src/app/currencies/set-exchange-rate.js';
import { sql } from '../../src/store/database.js';
import { TestPanel } from '../support/test-panel.js';
import { webUser } from '../support/web-client.js';

const deleteRate = sql('DELETE FROM exchange_rates WHERE currency = ?');
const selectAudit = sql(
  "SELECT details FROM audit_log WHERE action = 'currency.display' AND target = ? ORDER BY id",
);

/**
 * Display currencies on a USD panel: the admin enables currencies of the exchange-rate table, a
 * customer picks one, and the session carries it with its rate; the money itself never changes.
 */
describe('display currencies', () => {
  let panel: TestPanel;

  beforeAll(async () => {
    panel = await TestPanel.start({ currency: 'USD' });
    for (const [currency, rate] of [
      ['EUR', '1.0845'],
      ['GBP', '1.27'],
    ] as const) {
      const set = await setExchangeRateByAdmin(panel.ctx, { currency, rate });
      if (!set.ok) throw new Error(set.failure.code);
    }
  });
  afterAll(async () => {
    await panel.close();
  });

  it('the admin enables and disables a currency with a rate, audited; the session lists it', async () => {
    const owner = await webUser(panel, 'admin');
    const enabled = await owner.web.request('PUT', '/admin/currencies/display', {
      currency: 'eur',
      enabled: true,
    });
    expect(enabled.status, JSON.stringify(enabled.json)).toBe(200);
    const rates = enabled.json.rates as { currency: string; display: boolean }[];
    expect(rates.map((r) => [r.currency, r.display])).toEqual([
      ['EUR', true],
      ['GBP', false],
    ]);
    expect((await owner.web.get('/session')).json.displayCurrencies).toEqual([
      { code: 'EUR', rate: '1.0845' },
    ]);

    await owner.web.request('PUT', '/admin/currencies/display', { currency: 'GBP', enabled: true });
    const off = await owner.web.request('PUT', '/admin/currencies/display', {
      currency: 'GBP',
      enabled: false,
    });
    expect(off.status).toBe(200);
    expect((await owner.web.get('/session')).json.displayCurrencies).toEqual([
      { code: 'EUR', rate: '1.0845' },
    ]);
    const audit = await panel.db.all<{ details: string }>(selectAudit, ['currency:GBP']);
    expect(audit.map((row) => JSON.parse(row.details) as unknown)).toEqual([
      { enabled: true },
      { enabled: false },
    ]);
  });

  it('refuses a currency without a rate, a malformed one, the panel currency and a non-admin', async () => {
    const owner = await webUser(panel, 'admin');
    const customer = await webUser(panel);
    for (const body of [
      { currency: 'JPY', enabled: true },
      { currency: 'EURO', enabled: true },
      { currency: 'USD', enabled: true },
      { currency: 'EUR', enabled: 'yes' },
      { currency: 'EUR' },
      { enabled: true },
    ]) {
      const refused = await owner.web.request('PUT', '/admin/currencies/display', body);
      expect(refused.status, JSON.stringify(body)).toBe(400);
      expect(typeof refused.json.error).toBe('string');
    }
    const noRate = await owner.web.request('PUT', '/admin/currencies/display', {
      currency: 'JPY',
      enabled: true,
    });
    expect(noRate.json.error).toContain('no exchange rate');
    const forbidden = await customer.web.request('PUT', '/admin/currencies/display', {
      currency: 'GBP',
      enabled: true,
    });
    expect(forbidden.status).toBe(403);
    expect(
      (await owner.web.get('/session')).json.displayCurrencies.map((c: { code: string }) => c.code),
    ).toEqual(['EUR']);
  });

  it('a customer picks an enabled currency; others are refused with no change; null goes back', async () => {
    const customer = await webUser(panel);
    await panel.fund(customer, '100');
    const before = await customer.web.get('/session');
    expect(before.json.displayCurrency).toBeNull();
    expect(before.json.user.balance).toBe('100.00000');

    const picked = await customer.web.request('PUT', '/account/display-currency', { currency: 'EUR' });
    expect(picked.status, JSON.stringify(picked.json)).toBe(200);
    expect(picked.json).toEqual({ currency: 'EUR' });
    const session = await customer.web.get('/session');
    expect(session.json.displayCurrency).toEqual({ code: 'EUR', rate: '1.0845' });
    // Display only: the balance stays in the panel's currency, on the web and on API v2.
    expect(session.json.user.balance).toBe('100.00000');
    expect(session.json.panel.currency).toBe('USD');
    const balance = await panel.api({ key: customer.apiKey, action: 'balance' });
    expect(balance.json).toEqual({ balance: '100.00000', currency: 'USD' });

    for (const body of [
      { currency: 'GBP' },
      { currency: 'JPY' },
      { currency: 'euro' },
      { currency: 5 },
      {},
    ]) {
      const refused = await customer.web.request('PUT', '/account/display-currency', body);
      expect(refused.status, JSON.stringify(body)).toBe(400);
      expect(typeof refused.json.error).toBe('string');
    }
    const notEnabled = await customer.web.request('PUT', '/account/display-currency', { currency: 'GBP' });
    expect(notEnabled.json.error).toContain('not offered');
    expect((await customer.web.get('/session')).json.displayCurrency).toEqual({
      code: 'EUR',
      rate: '1.0845',
    });

    const back = await customer.web.request('PUT', '/account/display-currency', { currency: null });
    expect(back.json).toEqual({ currency: null });
    expect((await customer.web.get('/session')).json.displayCurrency).toBeNull();
  });

  it('falls back to the panel currency when the chosen one is disabled or loses its rate', async () => {
    const owner = await webUser(panel, 'admin');
    const customer = await webUser(panel);
    await owner.web.request('PUT', '/admin/currencies/display', { currency: 'GBP', enabled: true });
    await customer.web.request('PUT', '/account/display-currency', { currency: 'GBP' });
    expect((await customer.web.get('/session')).json.displayCurrency).toEqual({ code: 'GBP', rate: '1.27' });

    // A new rate is shown at once.
    const set = await setExchangeRateByAdmin(panel.ctx, { currency: 'GBP', rate: '1.2650' });
    expect(set.ok).toBe(true);
    expect((await customer.web.get('/session')).json.displayCurrency).toEqual({ code: 'GBP', rate: '1.265' });

    await owner.web.request('PUT', '/admin/currencies/display', { currency: 'GBP', enabled: false });
    expect((await customer.web.get('/session')).json.displayCurrency).toBeNull();
    await owner.web.request('PUT', '/admin/currencies/display', { currency: 'GBP', enabled: true });
    expect((await customer.web.get('/session')).json.displayCurrency).toEqual({ code: 'GBP', rate: '1.265' });

    await panel.db.run(deleteRate, ['GBP']);
    const session = await customer.web.get('/session');
    expect(session.status).toBe(200);
    expect(session.json.displayCurrency).toBeNull();
    expect(session.json.displayCurrencies.map((c: { code: string }) => c.code)).toEqual(['EUR']);
    // A rate set again does not re-enable it by itself.
    await setExchangeRateByAdmin(panel.ctx, { currency: 'GBP', rate: '1.27' });
    expect((await customer.web.get('/session')).json.displayCurrency).toBeNull();
  });

  it('a visitor gets the enabled list and no display currency', async () => {
    const response = await fetch(`${panel.baseUrl}/web-api/session`, {
      headers: { accept: 'application/json' },
    });
    const json = (await response.json()) as { displayCurrency: unknown; displayCurrencies: unknown[] };
    expect(json.displayCurrency).toBeNull();
    expect(json.displayCurrencies.length).toBeGreaterThan(0);
  });
});
