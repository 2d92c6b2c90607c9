import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DASHBOARD_DAYS, readDashboard } from '../../src/app/admin/read-dashboard.js';
import { createDueRuns } from '../../src/app/dripfeed/create-due-runs.js';
import { foldOrderDayTotals } from '../../src/app/housekeeping/fold-order-day-changes.js';
import { updateOrderStatus } from '../../src/app/orders/update-order-status.js';
import { recordPost } from '../../src/app/subscriptions/record-post.js';
import { formatMoney } from '../../src/domain/money.js';
import type { OrderStatus } from '../../src/domain/order-status.js';
import { sql } from '../../src/store/database.js';
import { recordProviderProgressMany } from '../../src/store/order-sync.js';
import {
  DAY_MS,
  foldedDays,
  keptDays,
  scanRows,
  scannedDays,
  unfoldedDayChanges,
} from '../support/day-totals-oracle.js';
import { TestPanel, type TestUser } from '../support/test-panel.js';
import { type WebClient, webUser } from '../support/web-client.js';

const selectRuns = sql('SELECT id FROM orders WHERE parent_id = ? ORDER BY run_number');

/**
 * Issue 17 item 4: the kept day totals (migration 0026) stay equal to the dashboard's former scan
 * of the orders whatever real code path places, refunds, costs or splits them, folded or not, and
 * the dashboard (use case and endpoint) shows the same days the scan would have.
 */
describe('order day totals', () => {
  let panel: TestPanel;
  let user: TestUser;
  let admin: { web: WebClient };
  let service: number;
  let dripService: number;
  let subscriptionService: number;

  beforeAll(async () => {
    panel = await TestPanel.start();
    user = await panel.customer('1000');
    admin = await webUser(panel, 'admin');
    service = await panel.createService({ rate: '1.23457', cancel: true });
    dripService = await panel.createService({ rate: '1', dripfeed: true });
    subscriptionService = await panel.createService({
      type: 'Subscriptions',
      rate: '1.00',
      min: 100,
      max: 1000,
    });
  });
  afterAll(() => panel.close());

  const scan = (since: number) => scanRows(panel.db, since);
  const scanned = (since = 0) => scannedDays(panel.db, since);
  const changes = () => unfoldedDayChanges(panel.db);
  const dashboardStart = () => (Math.floor(panel.clock.now() / DAY_MS) - DASHBOARD_DAYS + 1) * DAY_MS;
  /** Every day, and the dashboard's two weeks read as the dashboard reads them. */
  const expectExact = async () => {
    expect(await keptDays(panel.db)).toEqual(await scanned());
    expect(await keptDays(panel.db.background, dashboardStart())).toEqual(await scanned(dashboardStart()));
  };

  const add = async (link: string, extra: Record<string, string | number> = {}) => {
    const answer = await panel.api({
      key: user.apiKey,
      action: 'add',
      service,
      link,
      quantity: 1000,
      ...extra,
    });
    expect(answer.text).toMatch(/^\{"order":\d+\}$/);
    return answer.json.order as number;
  };
  const move = async (orderId: number, status: string, extra: { remains?: number } = {}) => {
    const result = await updateOrderStatus(panel.ctx, { orderId, status, startCount: 1, ...extra });
    expect(result.ok).toBe(true);
  };
  /** A provider's progress written as the sync writes it, with its cost in the panel's currency. */
  const recordCost = (id: number, status: OrderStatus, providerCost: bigint | null) =>
    recordProviderProgressMany(
      panel.db,
      [
        {
          id,
          status,
          startCount: 1,
          remains: 1000,
          providerStatus: 'In progress',
          providerCharge: providerCost,
          providerCurrency: 'USD',
          providerCost,
        },
      ],
      panel.clock.now(),
    );

  it('equals the scan through adds over days, refunds, cancels, costs, drip-feed runs and subscription posts', async () => {
    await expectExact();
    const today = [];
    for (let i = 0; i < 5; i++) today.push(await add(`https://x.test/day-${i}`));
    await expectExact();

    // Refunds in part and in full, by the owner and by the customer's cancel.
    await move(today[0]!, 'Partial', { remains: 400 });
    await move(today[1]!, 'Canceled');
    const canceled = await panel.api({ key: user.apiKey, action: 'cancel', orders: String(today[2]) });
    expect(canceled.status).toBe(200);
    await expectExact();

    // Provider costs as the sync records them: one, another, none (no rate); the same one again
    // and a status-only change append nothing.
    await recordCost(today[3]!, 'pending', 12_345n);
    await recordCost(today[4]!, 'pending', 99_999n);
    await recordCost(today[3]!, 'pending', 13_000n);
    await recordCost(today[4]!, 'pending', null);
    await expectExact();
    const appended = await changes();
    await recordCost(today[3]!, 'pending', 13_000n);
    await move(today[3]!, 'In progress', { remains: 1000 });
    expect(await changes()).toBe(appended);

    // A drip-feed placed today whose runs arrive on the next days (charged once, on its day), and a
    // subscription whose posts are charged on the days they are recorded.
    const drip = await panel.api({
      key: user.apiKey,
      action: 'add',
      service: dripService,
      link: 'https://x.test/drip-days',
      quantity: 100,
      runs: 3,
      interval: 1,
    });
    expect(drip.text).toMatch(/^\{"order":\d+\}$/);
    const subscription = await panel.api({
      key: user.apiKey,
      action: 'add',
      service: subscriptionService,
      username: 'someone',
      min: 100,
      max: 500,
      delay: 0,
    });
    expect(subscription.text).toMatch(/^\{"order":\d+\}$/);
    for (let day = 1; day <= 3; day++) {
      panel.clock.advance(DAY_MS);
      expect(await createDueRuns(panel.ctx)).toBe(1);
      const post = await recordPost(panel.ctx, {
        subscriptionId: subscription.json.order,
        quantity: 100 * day,
      });
      expect(post.ok).toBe(true);
      await add(`https://x.test/later-${day}`);
      await expectExact();
    }
    // The runs finish, the last one short: the parent settles Partial and its refund counts on the
    // day it was placed, three days ago.
    const runs = (await panel.db.all<{ id: bigint }>(selectRuns, [drip.json.order])).map((row) =>
      Number(row.id),
    );
    expect(runs).toHaveLength(3);
    await move(runs[0]!, 'Completed', { remains: 0 });
    await move(runs[1]!, 'Completed', { remains: 0 });
    await move(runs[2]!, 'Partial', { remains: 10 });
    await expectExact();
    expect((await scan(0)).length).toBe(4);

    // Folded: no changes left, the same totals, and folding again changes nothing.
    expect(await changes()).toBeGreaterThan(0);
    expect(await foldOrderDayTotals(panel.ctx)).toBe(4);
    expect(await changes()).toBe(0);
    await expectExact();
    const folded = await foldedDays(panel.db);
    expect(await foldOrderDayTotals(panel.ctx)).toBe(0);
    expect(await foldedDays(panel.db)).toEqual(folded);
    expect(folded).toEqual(await scanned());

    // Changes after the fold add up on top of it: an order, a refund of a folded one, a cost.
    await add('https://x.test/after-fold');
    await move(today[3]!, 'Partial', { remains: 250 });
    await recordCost(today[4]!, 'pending', 5_000n);
    await expectExact();
    await foldOrderDayTotals(panel.ctx);
    await expectExact();

    // The dashboard shows the scan's days, as the use case and as the endpoint.
    const start = dashboardStart();
    const byDay = new Map((await scan(start)).map((row) => [Number(row.day), row]));
    const expectedDays = Array.from({ length: DASHBOARD_DAYS }, (_, index) => {
      const day = start / DAY_MS + index;
      const row = byDay.get(day);
      const revenue = row?.revenue ?? 0n;
      return {
        date: new Date(day * DAY_MS).toISOString().slice(0, 10),
        orders: Number(row?.orders ?? 0n),
        revenue: formatMoney(revenue),
        profit: formatMoney(revenue - (row?.cost ?? 0n)),
      };
    });
    expect(expectedDays.filter((day) => day.orders > 0)).toHaveLength(4);
    expect((await readDashboard(panel.ctx)).days).toEqual(expectedDays);
    const endpoint = await admin.web.get('/admin/dashboard');
    expect(endpoint.status).toBe(200);
    expect(endpoint.json.days).toEqual(expectedDays);
  });

  it('stays exact under concurrent adds and refunds with folds running meanwhile', async () => {
    const refundable = [];
    for (let i = 0; i < 6; i++) refundable.push(await add(`https://x.test/refundable-${i}`));
    let writing = true;
    const folding = (async () => {
      let folds = 0;
      while (writing || folds < 2) {
        await foldOrderDayTotals(panel.ctx);
        folds++;
      }
      return folds;
    })();
    const adds = Array.from({ length: 30 }, (_, i) => add(`https://x.test/concurrent-${i}`));
    const refunds = refundable.map((id, i) =>
      move(id, i % 2 === 0 ? 'Canceled' : 'Partial', { remains: 100 * i }),
    );
    await Promise.all([...adds, ...refunds]);
    writing = false;
    expect(await folding).toBeGreaterThanOrEqual(2);
    await expectExact();
    await foldOrderDayTotals(panel.ctx);
    expect(await changes()).toBe(0);
    await expectExact();
  });
});
