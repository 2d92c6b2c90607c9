import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from '../../src/store/database.js';
import { TestPanel } from '../support/test-panel.js';
import { webUser } from '../support/web-client.js';

/** Item 14 of issue 13: owners and managers sign in as a customer, audited, without touching their secrets. */

const auditOf = sql(
  "SELECT actor, action, target, details FROM audit_log WHERE target = ? AND action LIKE 'user.impersonate%' ORDER BY id",
);
const activeKeys = sql('SELECT COUNT(*) AS count FROM api_keys WHERE user_id = ? AND revoked_at IS NULL');
const ordersOf = sql('SELECT COUNT(*) AS count FROM orders WHERE user_id = ?');

let panel: TestPanel;
let service: number;
beforeAll(async () => {
  panel = await TestPanel.start();
  service = await panel.createService();
});
afterAll(() => panel.close());

const count = async (statement: ReturnType<typeof sql>, id: number) =>
  Number((await panel.db.get<{ count: bigint | number }>(statement, [id]))!.count);

describe('sign in as a customer', () => {
  it('the owner sees the panel as the customer, acts on their behalf (audited), and goes back to admin', async () => {
    const owner = await webUser(panel, 'owner');
    const customer = await webUser(panel, 'customer');
    await panel.fund(customer, '10');

    const started = await owner.web.post(`/admin/users/${customer.id}/impersonate`);
    expect(started.status).toBe(200);
    const session = (await owner.web.get('/session')).json;
    expect(session.user).toMatchObject({
      id: customer.id,
      username: customer.username,
      role: 'customer',
      staffRole: null,
      permissions: [],
      impersonatedBy: { id: owner.id, username: owner.username },
    });
    // The admin area is closed while signed in as the customer.
    expect((await owner.web.get('/admin/users')).status).toBe(403);

    const placed = await owner.web.post('/orders', {
      params: { service: String(service), link: 'https://x.com/a', quantity: '100' },
    });
    expect(placed.status).toBe(200);
    expect(await count(ordersOf, customer.id)).toBe(1);

    // Password, 2FA, API keys and affiliate payouts are the customer's own.
    const keysBefore = await count(activeKeys, customer.id);
    for (const path of [
      '/api-keys',
      '/api-keys/1/revoke',
      '/api-keys/1/rotate',
      '/2fa/setup',
      '/password',
      '/affiliate/payout',
    ]) {
      const refused = await owner.web.post(path, {});
      expect([refused.status, refused.json.code], path).toEqual([403, 'IMPERSONATION_FORBIDDEN']);
    }
    expect(await count(activeKeys, customer.id)).toBe(keysBefore);
    expect((await owner.web.get('/api-keys')).status).toBe(200);

    const back = await owner.web.post('/impersonation/end');
    expect(back.status).toBe(200);
    const again = (await owner.web.get('/session')).json.user;
    expect(again).toMatchObject({ id: owner.id, staffRole: 'owner', impersonatedBy: null });
    // The customer session is gone: the old cookie no longer works.
    expect((await owner.web.post('/impersonation/end')).status).toBe(400);

    const audit = await panel.db.all<{ actor: string; action: string; details: string }>(auditOf, [
      `user:${customer.id}`,
    ]);
    const staffAsCustomer = `user:${owner.id} as user:${customer.id}`;
    expect(audit.map((entry) => [entry.actor, entry.action])).toEqual([
      [`user:${owner.id}`, 'user.impersonate'],
      [staffAsCustomer, 'user.impersonate.request'],
      ...Array.from({ length: 6 }, () => [staffAsCustomer, 'user.impersonate.request']),
      [`user:${owner.id}`, 'user.impersonate.end'],
    ]);
    expect(JSON.parse(audit[1]!.details)).toEqual({ method: 'POST', path: '/web-api/orders', status: 200 });
    expect(JSON.parse(audit[2]!.details)).toMatchObject({ path: '/web-api/api-keys', status: 403 });
  });

  it('is for owners and managers, and only into an active customer', async () => {
    const manager = await webUser(panel, 'manager');
    const support = await webUser(panel, 'support');
    const customer = await webUser(panel, 'customer');
    const other = await webUser(panel, 'customer');
    const refusedSupport = await support.web.post(`/admin/users/${customer.id}/impersonate`);
    expect([refusedSupport.status, refusedSupport.json.code]).toEqual([403, 'FORBIDDEN']);
    const refusedCustomer = await other.web.post(`/admin/users/${customer.id}/impersonate`);
    expect(refusedCustomer.status).toBe(403);
    const intoStaff = await manager.web.post(`/admin/users/${support.id}/impersonate`);
    expect([intoStaff.status, intoStaff.json.error]).toEqual([
      400,
      'Invalid user: only a customer can be signed in as',
    ]);
    expect((await manager.web.post('/admin/users/999999/impersonate')).status).toBe(404);
    expect((await manager.web.post('/impersonation/end')).status).toBe(400);
    const ok = await manager.web.post(`/admin/users/${customer.id}/impersonate`);
    expect(ok.status).toBe(200);
    expect((await manager.web.get('/session')).json.user.impersonatedBy.id).toBe(manager.id);
  });
});
