import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readDashboard } from '../../src/app/admin/read-dashboard.js';
import { createDueRuns } from '../../src/app/dripfeed/create-due-runs.js';
import { foldOrderStatusCounts } from '../../src/app/housekeeping/fold-order-status-changes.js';
import { updateOrderStatus } from '../../src/app/orders/update-order-status.js';
import { sql } from '../../src/store/database.js';
import { scanStatusCounts } from '../../src/store/kept-totals-check.js';
import { readOrderStatusCounts } from '../../src/store/order-status-counts.js';
import { TestPanel, type TestUser } from '../support/test-panel.js';
import { type WebClient, webUser } from '../support/web-client.js';

const selectChanges = sql('SELECT COUNT(*) AS count FROM order_status_changes');

/**
 * Issue 17 item 4: the kept order counts (migration 0024) stay equal to a COUNT(*) GROUP BY over
 * the orders whatever real code path places, moves, refunds or splits them, folded or not.
 */
describe('order status counts', () => {
  let panel: TestPanel;
  let user: TestUser;
  let admin: { web: WebClient };
  let service: number;
  let dripService: number;

  beforeAll(async () => {
    panel = await TestPanel.start();
    user = await panel.customer('1000');
    admin = await webUser(panel, 'admin');
    service = await panel.createService({ rate: '1', cancel: true });
    dripService = await panel.createService({ rate: '1', dripfeed: true });
  });
  afterAll(() => panel.close());

  const grouped = async () =>
    (await panel.db.all<{ kind: string; status: string; count: bigint }>(scanStatusCounts))
      .map((row) => `${row.kind}/${row.status}=${Number(row.count)}`)
      .sort();
  const kept = async () =>
    (await readOrderStatusCounts(panel.db)).map((row) => `${row.kind}/${row.status}=${row.count}`).sort();
  const add = async (link: string, extra: Record<string, string | number> = {}) => {
    const answer = await panel.api({
      key: user.apiKey,
      action: 'add',
      service,
      link,
      quantity: 100,
      ...extra,
    });
    expect(answer.text).toMatch(/^\{"order":\d+\}$/);
    return answer.json.order as number;
  };
  const move = async (orderId: number, status: string, extra: { remains?: number } = {}) => {
    const result = await updateOrderStatus(panel.ctx, { orderId, status, startCount: 1, ...extra });
    expect(result.ok).toBe(true);
  };

  it('equals COUNT(*) GROUP BY through adds, status moves, refunds, cancels and drip-feed runs', async () => {
    expect(await kept()).toEqual(await grouped());
    const orders = [];
    for (let i = 0; i < 6; i++) orders.push(await add(`https://x.test/count-${i}`));
    expect(await kept()).toEqual(await grouped());

    await move(orders[0]!, 'In progress', { remains: 100 });
    await move(orders[1]!, 'Completed', { remains: 0 });
    await move(orders[2]!, 'Partial', { remains: 40 });
    await move(orders[3]!, 'Canceled');
    const canceled = await panel.api({ key: user.apiKey, action: 'cancel', orders: String(orders[4]) });
    expect(canceled.status).toBe(200);
    const viaWeb = await admin.web.post(`/admin/orders/${orders[5]}/status`, {
      status: 'Processing',
      startCount: 0,
      remains: 100,
    });
    expect(viaWeb.status).toBe(200);
    expect(await kept()).toEqual(await grouped());

    // A drip-feed's runs are orders too, but children: only the parent counts.
    const drip = await panel.api({
      key: user.apiKey,
      action: 'add',
      service: dripService,
      link: 'https://x.test/drip-count',
      quantity: 100,
      runs: 3,
      interval: 1,
    });
    expect(drip.text).toMatch(/^\{"order":\d+\}$/);
    panel.clock.advance(10 * 60_000);
    await createDueRuns(panel.ctx);
    expect(await kept()).toEqual(await grouped());

    // Folded, the changes are gone and the counts the same; moves after the fold add up on top.
    expect(Number((await panel.db.get<{ count: bigint }>(selectChanges))?.count)).toBeGreaterThan(0);
    await foldOrderStatusCounts(panel.ctx);
    expect(Number((await panel.db.get<{ count: bigint }>(selectChanges))?.count)).toBe(0);
    expect(await kept()).toEqual(await grouped());
    await move(orders[0]!, 'Completed', { remains: 0 });
    await add('https://x.test/count-after-fold');
    expect(await kept()).toEqual(await grouped());
    await foldOrderStatusCounts(panel.ctx);
    expect(await kept()).toEqual(await grouped());

    // The dashboard reads them: its total is every top-level order.
    const dashboard = await readDashboard(panel.ctx);
    const total = (await grouped()).reduce((sum, row) => sum + Number(row.split('=')[1]), 0);
    expect(dashboard.ordersByStatus.reduce((sum, row) => sum + row.count, 0)).toBe(total);
  });

  it('stays exact under concurrent adds and a fold running meanwhile', async () => {
    const adds = Array.from({ length: 20 }, (_, i) => add(`https://x.test/concurrent-${i}`));
    const folds = [foldOrderStatusCounts(panel.ctx), foldOrderStatusCounts(panel.ctx)];
    await Promise.all([...adds, ...folds]);
    expect(await kept()).toEqual(await grouped());
    await foldOrderStatusCounts(panel.ctx);
    expect(await kept()).toEqual(await grouped());
  });
});
