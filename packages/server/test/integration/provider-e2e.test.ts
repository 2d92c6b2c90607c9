import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dispatchOrderRun, dispatchOrders } from '../../src/app/dispatch/dispatch-orders.js';
import { forwardCancels } from '../../src/app/dispatch/forward-cancels.js';
import { forwardRefills, syncRefills } from '../../src/app/dispatch/forward-refills.js';
import type { ProviderGateway } from '../../src/app/dispatch/provider-gateway.js';
import { syncOrders } from '../../src/app/dispatch/sync-orders.js';
import { createDueRuns } from '../../src/app/dripfeed/create-due-runs.js';
import { updateOrderStatus } from '../../src/app/orders/update-order-status.js';
import { addProvider } from '../../src/app/providers/add-provider.js';
import { importProviderServices } from '../../src/app/providers/import-provider-services.js';
import { updateRefillStatus } from '../../src/app/refills/update-refill-status.js';
import { recordPost } from '../../src/app/subscriptions/record-post.js';
import { sql } from '../../src/store/database.js';
import { type OrderRow, findOrder } from '../support/order-rows.js';
import { findUserById } from '../../src/store/users.js';
import { runCli } from '../support/run-cli.js';
import { TestPanel, type TestUser } from '../support/test-panel.js';

const selectProviderOrder = sql('SELECT provider_order_id FROM orders WHERE id = ?');
const selectDispatch = sql('SELECT dispatch_state, dispatch_attempts FROM orders WHERE id = ?');
const selectChildren = sql('SELECT id FROM orders WHERE parent_id = ? ORDER BY id');
const countRefunds = sql(
  "SELECT COUNT(*) AS count FROM ledger_entries WHERE kind = 'refund' AND order_id = ?",
);
const holdForReviewSql = sql("UPDATE orders SET dispatch_state = 'review', dispatch_error = ? WHERE id = ?");
const selectRefill = sql('SELECT status, dispatch_state, provider_refill_id FROM refills WHERE id = ?');

/**
 * Two real smmkit instances, each with its own database and HTTP port: a reseller that imports the
 * provider's services with a markup and forwards its customers' orders there, and the provider,
 * whose admin moves the orders along. Money must come out exact on both sides.
 */
describe('a reseller forwarding to a provider: two smmkit instances end to end', () => {
  let provider: TestPanel;
  let reseller: TestPanel;
  let resellerAccount: TestUser;
  let customer: TestUser;
  let gateway: ProviderGateway;
  const warnings: string[] = [];
  /** Reseller service ids, by provider service name. */
  const imported = new Map<string, number>();

  const balanceOf = async (panel: TestPanel, user: TestUser) =>
    (await findUserById(panel.db, user.id))!.balance;
  const order = async (id: number) => (await findOrder(reseller.db, id))!;
  const providerOrderOf = async (id: number) => {
    const row = await reseller.db.get<{ provider_order_id: string | null }>(selectProviderOrder, [id]);
    return Number(row!.provider_order_id);
  };
  const add = async (params: Record<string, string | number>) => {
    const answer = await reseller.api({ key: customer.apiKey, action: 'add', ...params });
    expect(answer.json, answer.text).toHaveProperty('order');
    return (answer.json as { order: number }).order;
  };
  /** One worker pass, as often as the clock says it is due. */
  const sync = async () => {
    reseller.clock.advance(60_000);
    return syncOrders(reseller.ctx, gateway);
  };
  const providerStatus = async (orderId: number) =>
    (await provider.api({ key: resellerAccount.apiKey, action: 'status', order: orderId })).json as Record<
      string,
      unknown
    >;

  beforeAll(async () => {
    provider = await TestPanel.start();
    reseller = await TestPanel.start();
    gateway = {
      log: { warn: (_details, message) => warnings.push(message), error: (_d, m) => warnings.push(m) },
      timeoutMs: 5_000,
      syncIntervalMs: 30_000,
    };
    await provider.createService({
      name: 'Followers',
      rate: '0.90',
      min: 10,
      max: 10_000,
      cancel: true,
      refill: true,
      dripfeed: true,
    });
    await provider.createService({
      name: 'Comments',
      type: 'Custom Comments',
      rate: '2.00',
      min: 1,
      max: 100,
    });
    await provider.createService({
      name: 'Post likes',
      type: 'Subscriptions',
      rate: '0.40',
      min: 50,
      max: 500,
    });
    resellerAccount = await provider.customer('50');
    const added = await addProvider(reseller.ctx, {
      name: 'upstream',
      url: provider.apiUrl,
      apiKey: resellerAccount.apiKey,
      policy: { honoursRequestId: true, onRefusal: 'cancel' },
    });
    if (!added.ok) throw new Error(JSON.stringify(added.failure));
    const report = await importProviderServices(reseller.ctx, {
      providerId: added.value.id,
      markup: { percentHundredths: 2500n, fixed: 10_000n },
    });
    if (!report.ok) throw new Error(JSON.stringify(report.failure));
    for (const created of report.value.created) imported.set(created.name, created.service);
    customer = await reseller.customer('100');
  });
  afterAll(async () => {
    await reseller.close();
    await provider.close();
  });

  it('imports with the markup: 0.90 × 1.25 + 0.10 = 1.225 per 1000', async () => {
    const services = (await reseller.api({ key: customer.apiKey, action: 'services' })).json as {
      service: number;
      name: string;
      rate: string;
    }[];
    expect(services.find((s) => s.name === 'Followers')?.rate).toBe('1.225');
    expect(services.find((s) => s.name === 'Comments')?.rate).toBe('2.60');
  });

  it('forwards an order, and a Partial at the provider refunds both sides exactly, once', async () => {
    const id = await add({
      service: imported.get('Followers')!,
      link: 'https://ig.example/a',
      quantity: 1000,
    });
    expect(await balanceOf(reseller, customer)).toBe(10_000_000n - 122_500n);
    expect((await order(id)).dispatch_state).toBe('queued');

    expect(await dispatchOrders(reseller.ctx, gateway)).toMatchObject({ sent: 1, review: 0 });
    const upstreamId = await providerOrderOf(id);
    expect((await order(id)).dispatch_state).toBe('sent');
    // The provider charged the reseller its own price.
    expect(await balanceOf(provider, resellerAccount)).toBe(5_000_000n - 90_000n);
    expect(await providerStatus(upstreamId)).toMatchObject({
      status: 'Pending',
      charge: '0.90000',
      remains: '1000',
    });
    // A second pass sends nothing again.
    expect(await dispatchOrders(reseller.ctx, gateway)).toMatchObject({ sent: 0 });

    // The provider's admin starts it, then delivers 750 of 1000.
    expect(
      (await updateOrderStatus(provider.ctx, { orderId: upstreamId, status: 'In progress', startCount: 321 }))
        .ok,
    ).toBe(true);
    await sync();
    expect(await order(id)).toMatchObject({ status: 'in_progress', start_count: 321n });
    expect(
      (await updateOrderStatus(provider.ctx, { orderId: upstreamId, status: 'Partial', remains: 250 })).ok,
    ).toBe(true);
    // Provider refund to the reseller: 0.90 × 250 / 1000 = 0.225.
    expect(await balanceOf(provider, resellerAccount)).toBe(5_000_000n - 90_000n + 22_500n);

    await sync();
    const settled = await order(id);
    expect(settled).toMatchObject({ status: 'partial', remains: 250n, start_count: 321n });
    // Customer refund: 1.225 × 250 / 1000 = 0.30625; what the provider kept is our cost.
    expect(settled.refunded).toBe(30_625n);
    expect(await balanceOf(reseller, customer)).toBe(10_000_000n - 122_500n + 30_625n);
    expect(settled.provider_charge).toBe(67_500n);
    const status = (await reseller.api({ key: customer.apiKey, action: 'status', order: id })).json;
    expect(status).toEqual({
      charge: '0.91875',
      start_count: '321',
      status: 'Partial',
      remains: '250',
      currency: 'USD',
    });

    // Asking again changes nothing and refunds nothing twice.
    await sync();
    await sync();
    expect((await reseller.db.get<{ count: bigint }>(countRefunds, [id]))!.count).toBe(1n);
    expect(await balanceOf(reseller, customer)).toBe(10_000_000n - 122_500n + 30_625n);
  });

  it('forwards a Custom Comments order with its comments, and Completed settles without a refund', async () => {
    const id = await add({
      service: imported.get('Comments')!,
      link: 'https://tt.example/v',
      comments: 'nice\ngreat\nwow',
    });
    await dispatchOrders(reseller.ctx, gateway);
    const upstreamId = await providerOrderOf(id);
    const upstream = (await findOrder(provider.db, upstreamId))!;
    expect(upstream.quantity).toBe(3n);
    expect(JSON.parse(upstream.details)).toEqual({ comments: ['nice', 'great', 'wow'] });
    await updateOrderStatus(provider.ctx, { orderId: upstreamId, status: 'Completed' });
    await sync();
    expect(await order(id)).toMatchObject({ status: 'completed', remains: 0n, refunded: 0n });
  });

  it('forwards each drip-feed run as an ordinary order and settles the parent from the runs', async () => {
    const parentId = await add({
      service: imported.get('Followers')!,
      link: 'https://ig.example/drip',
      quantity: 100,
      runs: 2,
      interval: 5,
    });
    await createDueRuns(reseller.ctx);
    await dispatchOrders(reseller.ctx, gateway);
    reseller.clock.advance(5 * 60_000);
    await createDueRuns(reseller.ctx);
    await dispatchOrders(reseller.ctx, gateway);
    const runs = await reseller.db.all<{ id: bigint }>(selectChildren, [parentId]);
    expect(runs).toHaveLength(2);
    const upstreamIds = await Promise.all(runs.map((run) => providerOrderOf(Number(run.id))));
    for (const upstreamId of upstreamIds) {
      // Each run is an ordinary order of the run's quantity at the provider.
      expect(await providerStatus(upstreamId)).toMatchObject({ status: 'Pending', remains: '100' });
    }
    await updateOrderStatus(provider.ctx, { orderId: upstreamIds[0]!, status: 'Completed' });
    await updateOrderStatus(provider.ctx, { orderId: upstreamIds[1]!, status: 'Partial', remains: 40 });
    await sync();
    // Parent charge 1.225 × 200 / 1000 = 0.245; refund 0.245 × 40 / 200 = 0.049.
    expect(await order(parentId)).toMatchObject({ status: 'partial', remains: 40n, refunded: 4_900n });
  });

  it('forwards a cancel; the order ends Canceled with a full refund when the provider cancels it', async () => {
    const id = await add({
      service: imported.get('Followers')!,
      link: 'https://ig.example/c',
      quantity: 500,
    });
    await dispatchOrders(reseller.ctx, gateway);
    const before = await balanceOf(reseller, customer);
    const answer = await reseller.api({ key: customer.apiKey, action: 'cancel', orders: String(id) });
    expect(answer.json).toEqual([{ order: id, cancel: 1 }]);
    // Sent already: not canceled here until the provider says so.
    expect((await order(id)).status).toBe('pending');

    expect(await forwardCancels(reseller.ctx, gateway)).toBe(1);
    // The provider had not started it: canceled there at once, and the reseller refunded.
    expect(await providerStatus(await providerOrderOf(id))).toMatchObject({ status: 'Canceled' });
    await sync();
    const canceled: OrderRow = await order(id);
    expect(canceled).toMatchObject({ status: 'canceled', refunded: canceled.charge });
    expect(await balanceOf(reseller, customer)).toBe(before + canceled.charge);
  });

  it('a canceled drip-feed forwards the cancel of its run the provider has, and refunds what was not delivered', async () => {
    const parentId = await add({
      service: imported.get('Followers')!,
      link: 'https://ig.example/drip-cancel',
      quantity: 100,
      runs: 3,
      interval: 5,
    });
    await createDueRuns(reseller.ctx);
    await dispatchOrders(reseller.ctx, gateway);
    const [run] = await reseller.db.all<{ id: bigint }>(selectChildren, [parentId]);
    const upstreamRun = await providerOrderOf(Number(run!.id));
    const before = await balanceOf(reseller, customer);

    const answer = await reseller.api({ key: customer.apiKey, action: 'cancel', order: parentId });
    expect(answer.json).toEqual([{ order: parentId, cancel: 1 }]);
    expect(await forwardCancels(reseller.ctx, gateway)).toBe(1);
    expect(await providerStatus(upstreamRun)).toMatchObject({ status: 'Canceled' });
    await sync();
    // No run after the cancel; the one at the provider was canceled there: all 300 refunded.
    reseller.clock.advance(10 * 60_000);
    await createDueRuns(reseller.ctx);
    expect(await reseller.db.all(selectChildren, [parentId])).toHaveLength(1);
    const parent = await order(parentId);
    expect(parent).toMatchObject({ status: 'canceled', refunded: parent.charge });
    expect(await balanceOf(reseller, customer)).toBe(before + parent.charge);
  });

  it('forwards a refill and follows its status at the provider', async () => {
    const id = await add({
      service: imported.get('Followers')!,
      link: 'https://ig.example/r',
      quantity: 100,
    });
    await dispatchOrders(reseller.ctx, gateway);
    await updateOrderStatus(provider.ctx, { orderId: await providerOrderOf(id), status: 'Completed' });
    await sync();
    const asked = await reseller.api({ key: customer.apiKey, action: 'refill', order: id });
    const refillId = Number((asked.json as { refill: string }).refill);
    expect(await reseller.db.get(selectRefill, [refillId])).toMatchObject({ dispatch_state: 'queued' });

    expect(await forwardRefills(reseller.ctx, gateway)).toBe(1);
    const forwarded = (await reseller.db.get<{ provider_refill_id: string }>(selectRefill, [refillId]))!;
    expect(forwarded).toMatchObject({ status: 'pending', dispatch_state: 'sent' });
    await updateRefillStatus(provider.ctx, {
      refillId: Number(forwarded.provider_refill_id),
      status: 'Completed',
    });
    reseller.clock.advance(60_000);
    expect(await syncRefills(reseller.ctx, gateway)).toBe(1);
    const status = await reseller.api({ key: customer.apiKey, action: 'refill_status', refill: refillId });
    expect(status.json).toEqual({ status: 'Completed' });
  });

  it('forwards a subscription and charges each post the provider makes, once', async () => {
    const id = await add({
      service: imported.get('Post likes')!,
      username: 'someone',
      min: 100,
      max: 200,
      delay: 0,
    });
    await dispatchOrders(reseller.ctx, gateway);
    const upstreamId = await providerOrderOf(id);
    expect(await providerStatus(upstreamId)).toMatchObject({ status: 'Active', orders: [] });
    const before = await balanceOf(reseller, customer);

    // The provider records two posts of 150 and 120.
    expect((await recordPost(provider.ctx, { subscriptionId: upstreamId, quantity: 150 })).ok).toBe(true);
    expect((await recordPost(provider.ctx, { subscriptionId: upstreamId, quantity: 120 })).ok).toBe(true);
    await sync();
    const posts = await reseller.db.all<{ id: bigint }>(selectChildren, [id]);
    expect(posts).toHaveLength(2);
    const quantities = await Promise.all(posts.map(async (post) => (await order(Number(post.id))).quantity));
    expect(quantities).toEqual([150n, 120n]);
    // Our rate: 0.40 × 1.25 + 0.10 = 0.60 per 1000 → 0.09 + 0.072.
    expect(await balanceOf(reseller, customer)).toBe(before - 9_000n - 7_200n);
    await sync();
    expect(await reseller.db.all(selectChildren, [id])).toHaveLength(2);

    // A post completes at the provider: its child here follows.
    const firstUpstreamPost = await providerOrderOf(Number(posts[0]!.id));
    await updateOrderStatus(provider.ctx, { orderId: firstUpstreamPost, status: 'Completed' });
    await sync();
    expect((await order(Number(posts[0]!.id))).status).toBe('completed');

    const status = (await reseller.api({ key: customer.apiKey, action: 'status', order: id })).json;
    expect(status).toMatchObject({ status: 'Active', posts: '2', charge: '0.16200' });
    // Its posts come from the provider: the owner cannot record one here.
    const refused = await recordPost(reseller.ctx, { subscriptionId: id, quantity: 100 });
    expect(refused.ok || refused.failure).toMatchObject({ code: 'INVALID_INPUT', field: 'subscription' });
  });

  it('order resolve --manual hands an order in review to the owner, who settles it by hand', async () => {
    const id = await add({
      service: imported.get('Followers')!,
      link: 'https://ig.example/m',
      quantity: 200,
    });
    // As after an unknown outcome at a provider that does not replay request ids.
    await reseller.db.run(holdForReviewSql, ['outcome unknown (test)', id]);
    const resolved = await runCli(['order', 'resolve', String(id), '--manual'], reseller.database.url);
    expect(resolved.code, resolved.stderr).toBe(0);
    expect(JSON.parse(resolved.stdout)).toMatchObject({ id, dispatch: 'manual', dispatchError: null });
    const again = await runCli(['order', 'resolve', String(id), '--manual'], reseller.database.url);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('not waiting for review');
    expect((await updateOrderStatus(reseller.ctx, { orderId: id, status: 'Canceled' })).ok).toBe(true);
    expect(await order(id)).toMatchObject({ status: 'canceled', refunded: 24_500n });
    // The provider never heard of it, and the dispatcher leaves it alone.
    expect(await dispatchOrders(reseller.ctx, gateway)).toMatchObject({ sent: 0 });
  });

  it('a backlog of several batches goes out in one run, batches in flight together, each order once', async () => {
    const ids: number[] = [];
    for (let i = 0; i < 70; i++) {
      ids.push(
        await add({ service: imported.get('Followers')!, link: `https://ig.example/b${i}`, quantity: 10 }),
      );
    }
    const providerBalance = await balanceOf(provider, resellerAccount);
    const run = await dispatchOrderRun(reseller.ctx, gateway);
    expect(run).toEqual({ summary: { sent: 70, requeued: 0, review: 0, refused: 0 }, moreDue: false });
    const upstream = await Promise.all(ids.map((id) => providerOrderOf(id)));
    expect(new Set(upstream).size).toBe(70);
    for (const [i, upstreamId] of upstream.entries()) {
      expect(await findOrder(provider.db, upstreamId)).toMatchObject({
        link: `https://ig.example/b${i}`,
        quantity: 10n,
      });
      expect(await reseller.db.get(selectDispatch, [ids[i]!])).toEqual({
        dispatch_state: 'sent',
        dispatch_attempts: 1n,
      });
    }
    // The provider charged each once: 70 × 0.90 × 10 / 1000.
    expect(await balanceOf(provider, resellerAccount)).toBe(providerBalance - 70n * 900n);
    expect(await dispatchOrders(reseller.ctx, gateway)).toMatchObject({ sent: 0 });
  });

  it('logged nothing unexpected', () => {
    expect(warnings).toEqual([]);
  });
});
