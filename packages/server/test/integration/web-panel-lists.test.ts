import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from '../../src/store/database.js';
import { TestPanel } from '../support/test-panel.js';
import { type WebClient, webUser } from '../support/web-client.js';

/**
 * Issue 18 items 3, 5 and 7 over real HTTP: the Orders page's status counts and bulk refill/cancel
 * (through the API v2 use cases, one result per order), the admin's user list with its total and a
 * user's sessions and keys, the audit log in names and amounts, the dashboard counting customers only.
 */
describe('web panel lists: order tabs, bulk actions, users, audit', () => {
  let panel: TestPanel;
  let admin: { id: number; username: string; web: WebClient };
  let customer: { id: number; username: string; apiKey: string; web: WebClient };
  let other: { id: number; web: WebClient };
  let refillable: number;
  let plain: number;

  const ordersOf = async (web: WebClient, params = '') => (await web.get(`/orders${params}`)).json;
  const countOf = (answer: { counts: { status: string; count: number }[] }, status: string) =>
    answer.counts.find((c) => c.status === status)?.count;

  beforeAll(async () => {
    panel = await TestPanel.start();
    admin = await webUser(panel, 'admin');
    customer = await webUser(panel);
    other = await webUser(panel);
    await admin.web.post(`/admin/users/${customer.id}/funds`, { amount: '50', memo: 'bank transfer' });
    await admin.web.post(`/admin/users/${other.id}/funds`, { amount: '5', memo: 'trial' });
    refillable = await panel.createService({ name: 'Refillable', refill: true, cancel: true });
    plain = await panel.createService({ name: 'Plain', rate: '1.5' });
  });
  afterAll(() => panel.close());

  const place = async (web: WebClient, service: number, link: string) => {
    const placed = await web.post('/orders', {
      params: { service: String(service), link, quantity: '100' },
    });
    expect(placed.status).toBe(200);
    return placed.json.order as number;
  };

  it('counts orders by status for the tabs, with the search applied, never another customer’s', async () => {
    const a = await place(customer.web, refillable, 'https://instagram.com/tabs-a');
    const b = await place(customer.web, refillable, 'https://instagram.com/tabs-b');
    const c = await place(customer.web, plain, 'https://tiktok.com/@tabs-c');
    await place(other.web, plain, 'https://instagram.com/tabs-other');
    await admin.web.post(`/admin/orders/${a}/status`, { status: 'Completed', startCount: 5, remains: 0 });
    await admin.web.post(`/admin/orders/${b}/status`, { status: 'In progress', startCount: 5, remains: 100 });

    const all = await ordersOf(customer.web);
    expect(all.total).toBe(3);
    expect(all.counts.map((c: { status: string }) => c.status)).toEqual([
      'Pending',
      'In progress',
      'Processing',
      'Completed',
      'Partial',
      'Canceled',
      'Active',
      'Paused',
      'Expired',
    ]);
    expect([countOf(all, 'Pending'), countOf(all, 'In progress'), countOf(all, 'Completed')]).toEqual([
      1, 1, 1,
    ]);
    expect(all.counts.reduce((sum: number, c: { count: number }) => sum + c.count, 0)).toBe(3);

    // The counts follow the search (not the status tab): the tabs say what each would show.
    const instagram = await ordersOf(customer.web, '?q=instagram&status=Completed');
    expect(instagram.orders.map((o: { id: number }) => o.id)).toEqual([a]);
    expect(instagram.counts.reduce((sum: number, x: { count: number }) => sum + x.count, 0)).toBe(2);
    expect(countOf(instagram, 'Pending')).toBe(0);
    const byId = await ordersOf(customer.web, `?q=${c}`);
    expect(byId.orders.map((o: { id: number }) => o.id)).toEqual([c]);
    expect(countOf(byId, 'Pending')).toBe(1);
  });

  it('refills and cancels several orders at once, one result per order, under the API v2 rules', async () => {
    const done = await place(customer.web, refillable, 'https://instagram.com/bulk-done');
    const waiting = await place(customer.web, refillable, 'https://instagram.com/bulk-waiting');
    const fixed = await place(customer.web, plain, 'https://instagram.com/bulk-fixed');
    const foreign = await place(other.web, refillable, 'https://instagram.com/bulk-foreign');
    await admin.web.post(`/admin/orders/${done}/status`, { status: 'Completed', startCount: 1, remains: 0 });
    const before = (await customer.web.get('/session')).json.user.balance;

    const refill = await customer.web.post('/orders/bulk', {
      action: 'refill',
      orders: [done, waiting, foreign],
    });
    expect(refill.status).toBe(200);
    expect(refill.json.results.map((r: { order: number; ok: boolean }) => [r.order, r.ok])).toEqual([
      [done, true],
      [waiting, false],
      [foreign, false],
    ]);
    expect(refill.json.results[0].message).toMatch(/^Refill #\d+ requested$/);
    expect(refill.json.results[2].message).toBe('Incorrect order ID');

    const cancel = await customer.web.post('/orders/bulk', {
      action: 'cancel',
      orders: [waiting, fixed, foreign],
    });
    expect(cancel.status).toBe(200);
    const outcome = Object.fromEntries(
      cancel.json.results.map((r: { order: number; ok: boolean; message: string }) => [r.order, r]),
    );
    expect(outcome[waiting]).toEqual({ order: waiting, ok: true, message: 'Cancel accepted' });
    expect(outcome[fixed].ok).toBe(false);
    expect(outcome[foreign]).toEqual({ order: foreign, ok: false, message: 'Incorrect order ID' });
    // The canceled order (not yet handed over) is refunded at once: 0.09 back.
    expect(before).toBe('49.34000');
    expect((await customer.web.get('/session')).json.user.balance).toBe('49.43000');
    const foreignOrder = await ordersOf(other.web, `?q=${foreign}`);
    expect(foreignOrder.orders[0].status).toBe('Pending');
  });

  it('refuses a bad bulk request with a clear error and changes nothing', async () => {
    const tooMany = Array.from({ length: 101 }, (_, i) => i + 1);
    for (const body of [
      { action: 'refill', orders: tooMany },
      { action: 'delete', orders: [1] },
      { action: 'cancel', orders: ['x'] },
      { action: 'cancel' },
    ]) {
      const answer = await customer.web.post('/orders/bulk', body);
      expect(answer.status, JSON.stringify(body)).toBe(400);
      expect(typeof answer.json.error).toBe('string');
    }
    expect((await customer.web.post('/orders/bulk', { action: 'cancel', orders: [] })).json).toEqual({
      error: expect.any(String),
      code: expect.any(String),
    });
    expect(
      (await other.web.post('/orders/bulk', { action: 'cancel', orders: [1] }, { csrf: false })).status,
    ).toBe(403);
  });

  it('lists users with a total for the pager, and a user’s sessions and API keys', async () => {
    const listed = (await admin.web.get(`/admin/users?q=${customer.username}`)).json;
    expect(listed.total).toBe(1);
    expect(listed.pageSize).toBe(50);
    expect(listed.users.map((u: { id: number }) => u.id)).toEqual([customer.id]);
    expect((await admin.web.get('/admin/users')).json.total).toBe(3);

    const access = (await admin.web.get(`/admin/users/${customer.id}/access`)).json;
    expect(access.sessions).toHaveLength(1);
    expect(access.sessions[0].impersonatedBy).toBeNull();
    expect(access.apiKeys).toHaveLength(1);
    expect(customer.apiKey.startsWith(access.apiKeys[0].prefix)).toBe(true);
    expect(access.apiKeys[0].revokedAt).toBeNull();
    expect((await admin.web.get('/admin/users/999999/access')).status).toBe(404);
    expect((await customer.web.get(`/admin/users/${customer.id}/access`)).status).toBe(403);

    await admin.web.post(`/admin/users/${other.id}/status`, { status: 'suspended' });
    expect((await admin.web.get(`/admin/users/${other.id}/access`)).json.sessions).toEqual([]);
    await admin.web.post(`/admin/users/${other.id}/status`, { status: 'active' });
  });

  it('writes the audit log in names and panel-currency amounts', async () => {
    await admin.web.post(`/admin/users/${customer.id}/rates`, { service: plain, rate: '0.9' });
    await panel.db.run(
      sql('INSERT INTO audit_log (actor, action, target, details, created_at) VALUES (?, ?, ?, ?, ?)'),
      [
        `user:${admin.id} as user:${customer.id}`,
        'service.update',
        `service:${plain}`,
        '{"rate":"90000"}',
        1,
      ],
    );
    const entries = (await admin.web.get('/admin/audit')).json.entries;
    const deposit = entries.find(
      (e: { action: string; target: string }) =>
        e.action === 'funds.deposit' && e.target === `user:${customer.id}`,
    );
    expect(deposit).toMatchObject({
      actor: `user:${admin.id}`,
      actorName: admin.username,
      targetName: customer.username,
      amounts: [
        { name: 'amount', amount: '50.00000' },
        { name: 'balance', amount: '50.00000' },
      ],
    });
    const rate = entries.find((e: { action: string }) => e.action === 'rate.set');
    expect(rate.amounts).toEqual([{ name: 'rate', amount: '0.90000' }]);
    const legacy = entries.find((e: { actor: string }) => e.actor.includes(' as '));
    expect(legacy.actorName).toBe(`${admin.username} as ${customer.username}`);
    expect(legacy.targetName).toBeNull();
    expect(legacy.amounts).toEqual([{ name: 'rate', amount: '0.90000' }]);
    expect(legacy.details).toEqual({ rate: '90000' });
  });

  it('counts customers only on the dashboard: staff (the first admin too) are not customers', async () => {
    const dashboard = (await admin.web.get('/admin/dashboard')).json;
    expect(dashboard.users).toBe(2);
  });
});
