import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readDashboard } from '../../src/app/admin/read-dashboard.js';
import { listAudit } from '../../src/app/admin/list-audit.js';
import { listApiKeys } from '../../src/app/api-keys/list-api-keys.js';
import { listAdminCatalog } from '../../src/app/catalog/list-admin-catalog.js';
import { listCatalog } from '../../src/app/catalog/list-catalog.js';
import type { Context } from '../../src/app/context.js';
import { createDueRuns } from '../../src/app/dripfeed/create-due-runs.js';
import { listLedger } from '../../src/app/funds/list-ledger.js';
import { listOrderPage } from '../../src/app/orders/list-order-page.js';
import { showOrder } from '../../src/app/orders/show-order.js';
import { listProviders } from '../../src/app/providers/list-providers.js';
import { listRefillPage } from '../../src/app/refills/list-refill-page.js';
import { readPanelSettings } from '../../src/app/settings/panel-settings.js';
import { listUsers } from '../../src/app/users/list-users.js';
import type { Result } from '../../src/domain/errors.js';
import { describeApi } from '../../src/http/web/api-docs.js';
import { sql } from '../../src/store/database.js';
import { insertProvider } from '../../src/store/providers.js';
import { TestPanel } from '../support/test-panel.js';
import { type WebClient, webUser } from '../support/web-client.js';

const valueOf = <T>(result: Result<T>): T => {
  if (!result.ok) throw new Error(`use case failed: ${result.failure.code}`);
  return result.value;
};

/**
 * Web answers are serialised with their contract schemas (fast-json-stringify), which writes only the
 * properties a schema lists, in the schema's order, with the schema's types. Each answer here must be
 * byte for byte what JSON.stringify makes of the use case's value: a field left out of a schema, put
 * in another place, or given another type shows up as a difference. The data covers the branches
 * (drip-feed runs, a subscription and its post, a provider cost, a refill, the review list).
 */
describe('web answers, serialised by their schemas', () => {
  let panel: TestPanel;
  let admin: WebClient;
  let customer: WebClient;
  let customerId: number;
  let adminCtx: Context;
  let orderIds: number[];

  beforeAll(async () => {
    panel = await TestPanel.start();
    const adminUser = await webUser(panel, 'admin');
    const customerUser = await webUser(panel);
    [admin, customer, customerId] = [adminUser.web, customerUser.web, customerUser.id];
    adminCtx = panel.panel.contextFor({ userId: adminUser.id });
    await admin.post(`/admin/users/${customerId}/funds`, { amount: '100', memo: 'first "deposit" <b>' });
    const followers = await panel.createService({ rate: '0.9', refill: true, dripfeed: true });
    const comments = await panel.createService({ type: 'Custom Comments', rate: '12.5', min: 1, max: 100 });
    const subscriptions = await panel.createService({ type: 'Subscriptions', rate: '1', min: 10, max: 1000 });
    await admin.post(`/admin/users/${customerId}/rates`, { service: followers, rate: '0.5' });
    const place = async (params: Record<string, string>) =>
      (await customer.post('/orders', { params })).json.order as number;
    orderIds = [
      await place({ service: String(followers), link: 'https://x/é', quantity: '1000' }),
      await place({
        service: String(followers),
        link: 'https://x/d',
        quantity: '100',
        runs: '3',
        interval: '15',
      }),
      await place({ service: String(comments), link: 'https://x/c', comments: 'one\ntwo' }),
      await place({ service: String(subscriptions), username: 'someone', min: '10', max: '20', delay: '0' }),
    ];
    const [plain, dripfeed, commented, subscription] = orderIds as [number, number, number, number];
    await createDueRuns(panel.ctx);
    await admin.post(`/admin/subscriptions/${subscription}/post`, { quantity: 15 });
    await admin.post(`/admin/orders/${plain}/status`, { status: 'Completed', startCount: 3, remains: 0 });
    await customer.post(`/orders/${plain}/refill`);
    await panel.db.run(
      sql('UPDATE orders SET provider_charge = ?, provider_currency = ?, provider_order_id = ? WHERE id = ?'),
      [12_345n, 'EUR', '777', commented],
    );
    await panel.db.run(sql("UPDATE orders SET dispatch_state = 'review', dispatch_error = ? WHERE id = ?"), [
      'provider timed out',
      dripfeed,
    ]);
    await panel.db.transaction((tx) =>
      insertProvider(tx, {
        name: `answers_${process.pid}`,
        url: 'http://127.0.0.1:1/api/v2',
        apiKey: 'provider-secret',
        currency: 'EUR',
        balance: 1_234_500n,
        now: panel.clock.now(),
      }),
    );
    await customer.post('/api-keys');
  });
  afterAll(() => panel.close());

  const cases: [string, 'admin' | 'customer', () => Promise<unknown>][] = [
    ['/admin/dashboard', 'admin', () => readDashboard(adminCtx)],
    ['/admin/users', 'admin', async () => valueOf(await listUsers(adminCtx, {}))],
    ['/admin/catalog', 'admin', () => listAdminCatalog(adminCtx)],
    ['/admin/providers', 'admin', async () => ({ providers: await listProviders(adminCtx) })],
    ['/admin/orders', 'admin', async () => valueOf(await listOrderPage(adminCtx, {}))],
    [
      '/admin/orders?review=true',
      'admin',
      async () => valueOf(await listOrderPage(adminCtx, { review: true })),
    ],
    ['/admin/refills', 'admin', async () => valueOf(await listRefillPage(adminCtx, {}))],
    ['/admin/audit', 'admin', async () => valueOf(await listAudit(adminCtx))],
    ['/admin/settings', 'admin', () => readPanelSettings(adminCtx)],
    ['/catalog', 'customer', () => listCatalog(panel.ctx, customerId)],
    ['/refills', 'customer', async () => valueOf(await listRefillPage(panel.ctx, { userId: customerId }))],
    ['/api-keys', 'customer', async () => ({ keys: await listApiKeys(panel.ctx, customerId) })],
    [
      '/api-docs',
      'customer',
      () => Promise.resolve(describeApi(panel.ctx.currency, new URL(panel.baseUrl).origin)),
    ],
  ];

  it.each(cases)('GET %s', async (path, who, expected) => {
    const web = who === 'admin' ? admin : customer;
    const answer = await fetch(`${web.baseUrl}/web-api${path}`, {
      headers: { accept: 'application/json', cookie: web.cookie! },
    });
    expect(answer.status).toBe(200);
    expect(await answer.text()).toBe(JSON.stringify(await expected()));
  });

  it('GET /admin/users/:id/ledger and /admin/orders/:id, for every kind of order', async () => {
    const get = async (path: string) =>
      (await fetch(`${admin.baseUrl}/web-api${path}`, { headers: { cookie: admin.cookie! } })).text();
    expect(await get(`/admin/users/${customerId}/ledger`)).toBe(
      JSON.stringify(valueOf(await listLedger(adminCtx, customerId))),
    );
    const children = valueOf(await listOrderPage(adminCtx, {})).orders.flatMap((o) =>
      o.children.map((c) => c.id),
    );
    for (const id of [...orderIds, ...children]) {
      expect(await get(`/admin/orders/${id}`), `order ${id}`).toBe(
        JSON.stringify(valueOf(await showOrder(adminCtx, id))),
      );
    }
  });
});
