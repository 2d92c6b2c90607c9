import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { updateOrderStatus } from '../../src/app/orders/update-order-status.js';
import { DEFAULT_PROVIDER_POLICY } from '../../src/app/providers/add-provider.js';
import { requestRefills } from '../../src/app/refills/request-refill.js';
import { sql } from '../../src/store/database.js';
import { insertProvider } from '../../src/store/providers.js';
import { TestPanel, type TestUser } from '../support/test-panel.js';
import { type WebClient, webUser } from '../support/web-client.js';

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const setProvider = sql('UPDATE orders SET provider_id = ? WHERE id = ?');

/**
 * Issue 14 item 5 on crafted history: orders placed, completed, cut short and canceled by the
 * admin's own status changes at chosen times, refills requested, then the figures read back exactly.
 */
describe('delivery statistics', () => {
  let panel: TestPanel;
  let customer: TestUser;
  let customerWeb: WebClient;
  let ownerWeb: WebClient;
  let slow = 0;
  let idle = 0;
  let providerId = 0;
  const NOW = Date.UTC(2026, 10, 27, 12, 0, 0) + 40 * DAY;
  const orders: Record<string, number> = {};

  const place = async (name: string, quantity: number, at: number, service = slow) => {
    panel.clock.set(at);
    const answer = await panel.api({
      key: customer.apiKey,
      action: 'add',
      service,
      link: `https://example.com/${name}`,
      quantity,
    });
    if (typeof answer.json.order !== 'number') throw new Error(answer.text);
    orders[name] = answer.json.order;
  };
  const move = async (name: string, status: string, at: number, remains?: number) => {
    panel.clock.set(at);
    const moved = await updateOrderStatus(panel.ctx, { orderId: orders[name]!, status, remains });
    if (!moved.ok) throw new Error(JSON.stringify(moved.failure));
  };
  const refill = async (name: string, at: number) => {
    panel.clock.set(at);
    const asked = await requestRefills(panel.ctx, customer.id, String(orders[name]));
    if (!asked.ok) throw new Error(JSON.stringify(asked.failure));
  };

  /** Completed orders: [quantity, time to complete]; per 1000 units each is time × 1000 / quantity. */
  const completed: [number, number][] = [
    [1000, HOUR], // 3 600 000 ms per 1000
    [500, HOUR], // 7 200 000
    [2000, HOUR], // 1 800 000
    [1000, 2 * HOUR], // 7 200 000
    [1000, 30 * MINUTE], // 1 800 000
    [250, 15 * MINUTE], // 3 600 000
    [1000, HOUR], // 3 600 000
    [4000, 2 * HOUR], // 1 800 000
    [1000, 3 * HOUR], // 10 800 000
    [3000, 7 * SECOND], // 2 333.33… → 2 333 (rounded down)
  ];
  // (3.6 + 7.2 + 1.8 + 7.2 + 1.8 + 3.6 + 3.6 + 1.8 + 10.8) × 10⁶ + 2 333 = 41 402 333; ÷ 10, rounded down.
  const AVERAGE_MS = 4_140_233;

  beforeAll(async () => {
    panel = await TestPanel.start();
    slow = await panel.createService({
      name: 'Slow followers',
      rate: '1.00',
      min: 10,
      max: 100_000,
      refill: true,
    });
    idle = await panel.createService({ name: 'Idle likes', rate: '1.00' });
    customer = await panel.customer('100');

    // 20 days ago: completed after 100 h per 1000, the oldest completion: not among the last 10.
    await place('old', 1000, NOW - 20 * DAY);
    await move('old', 'Completed', NOW - 20 * DAY + 100 * HOUR);
    await refill('old', NOW - 15 * DAY);
    await place('canceled-old', 2000, NOW - 10 * DAY);
    await move('canceled-old', 'Canceled', NOW - 10 * DAY + MINUTE);
    for (const [index, [quantity, time]] of completed.entries()) {
      const placed = NOW - 2 * DAY + index * MINUTE;
      await place(`c${index}`, quantity, placed);
      await move(`c${index}`, 'Completed', placed + time);
    }
    await place('partial', 1000, NOW - DAY);
    await move('partial', 'Partial', NOW - DAY + HOUR, 400);
    await place('canceled', 500, NOW - DAY);
    await move('canceled', 'Canceled', NOW - DAY + HOUR);
    await refill('c0', NOW - HOUR);
    // Under way: 3 × 4 140 233 ms = 12 420 699 ms per 1000 is the line.
    await place('stuck', 1000, NOW - 3.5 * HOUR);
    await move('stuck', 'In progress', NOW - 3 * HOUR);
    await place('big', 2000, NOW - 3.5 * HOUR); // 6.3 × 10⁶ per 1000: not stuck
    await place('recent', 1000, NOW - 3 * HOUR);
    await place('at-the-line', 1000, NOW - 12_420_699);
    await place('past-the-line', 1000, NOW - 12_420_700);
    await place('idle-waiting', 1000, NOW - 30 * DAY + HOUR, idle); // no average: never stuck

    const added = await panel.db.transaction((tx) =>
      insertProvider(tx, {
        name: 'upstream',
        url: 'http://127.0.0.1:9/api/v2',
        apiKey: 'k',
        currency: 'USD',
        balance: null,
        policy: DEFAULT_PROVIDER_POLICY,
        now: NOW - 30 * DAY,
      }),
    );
    providerId = added!;
    for (const name of ['c0', 'c1', 'c2', 'partial'])
      await panel.db.run(setProvider, [providerId, orders[name]!]);
    panel.clock.set(NOW);
    // Signed in now: a session from 40 days ago would have expired.
    customerWeb = (await webUser(panel, 'customer')).web;
    ownerWeb = (await webUser(panel, 'admin')).web;
  });
  afterAll(async () => {
    await panel.close();
  });

  it('customers see the average time per 1000 on the price list, null when unknown', async () => {
    const catalog = await customerWeb.get('/catalog');
    expect(catalog.status).toBe(200);
    const byId = new Map(catalog.json.services.map((s: { id: number }) => [s.id, s]));
    expect(byId.get(slow)).toMatchObject({ averageTimeSeconds: Math.floor(AVERAGE_MS / 1000) });
    expect(byId.get(idle)).toMatchObject({ averageTimeSeconds: null });
  });

  it('the admin reads each service over 7 and 30 days, exactly', async () => {
    const stats = await ownerWeb.get('/admin/delivery');
    expect(stats.status).toBe(200);
    const service = (id: number) => stats.json.services.find((row: { id: number }) => row.id === id);
    expect(service(slow)).toEqual({
      id: slow,
      name: 'Slow followers',
      averageTimeSeconds: 4140,
      // 10 completed, the partial, the canceled one and 5 under way.
      last7: { orders: 17, completed: 10, partial: 1, canceled: 1, refunded: '0.90000', refills: 1 },
      last30: { orders: 19, completed: 11, partial: 1, canceled: 2, refunded: '2.90000', refills: 2 },
    });
    expect(service(idle)).toEqual({
      id: idle,
      name: 'Idle likes',
      averageTimeSeconds: null,
      last7: { orders: 0, completed: 0, partial: 0, canceled: 0, refunded: '0.00000', refills: 0 },
      last30: { orders: 1, completed: 0, partial: 0, canceled: 0, refunded: '0.00000', refills: 0 },
    });
  });

  it('and each provider, its average from the orders it completed', async () => {
    const stats = await ownerWeb.get('/admin/delivery');
    expect(stats.json.providers).toEqual([
      {
        id: providerId,
        name: 'upstream',
        // (3 600 000 + 7 200 000 + 1 800 000) / 3 ms
        averageTimeSeconds: 4200,
        last7: { orders: 4, completed: 3, partial: 1, canceled: 0, refunded: '0.40000', refills: 1 },
        last30: { orders: 4, completed: 3, partial: 1, canceled: 0, refunded: '0.40000', refills: 1 },
      },
    ]);
  });

  it('lists as stuck the orders past three average times for their quantity, oldest first', async () => {
    const stats = await ownerWeb.get('/admin/delivery');
    expect(stats.json.stuck).toEqual([
      {
        id: orders.stuck,
        serviceId: slow,
        serviceName: 'Slow followers',
        providerId: null,
        status: 'In progress',
        quantity: 1000,
        createdAt: new Date(NOW - 3.5 * HOUR).toISOString(),
        waitedSeconds: 3.5 * 3600,
        expectedSeconds: 4140,
      },
      {
        id: orders['past-the-line'],
        serviceId: slow,
        serviceName: 'Slow followers',
        providerId: null,
        status: 'Pending',
        quantity: 1000,
        createdAt: new Date(NOW - 12_420_700).toISOString(),
        waitedSeconds: 12_420,
        expectedSeconds: 4140,
      },
    ]);
    // One millisecond later the order at the line is past it too.
    panel.clock.set(NOW + 1);
    const later = await ownerWeb.get('/admin/delivery');
    expect(later.json.stuck.map((order: { id: number }) => order.id)).toEqual([
      orders.stuck,
      orders['past-the-line'],
      orders['at-the-line'],
    ]);
    panel.clock.set(NOW);
  });

  it('is for staff who read orders only', async () => {
    expect((await customerWeb.get('/admin/delivery')).status).toBe(403);
    const support = await webUser(panel, 'support');
    expect((await support.web.get('/admin/delivery')).status).toBe(200);
  });
});
