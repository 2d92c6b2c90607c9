import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { placeOrder } from '../../src/app/orders/place-order.js';
import { updateOrderStatus } from '../../src/app/orders/update-order-status.js';
import { requestRefill } from '../../src/app/refills/request-refill.js';
import { recordPost } from '../../src/app/subscriptions/record-post.js';
import { runCli } from '../support/run-cli.js';
import { TestPanel, type TestUser } from '../support/test-panel.js';

describe('smmkit order list / order show', () => {
  let panel: TestPanel;
  let alice: TestUser;
  let bob: TestUser;
  let service: number;
  const orders: number[] = [];
  const cli = (...args: string[]) => runCli(args, panel.database.url);

  beforeAll(async () => {
    panel = await TestPanel.start();
    alice = await panel.customer('10');
    bob = await panel.customer('10');
    service = await panel.createService({ rate: '1', min: 10, max: 1000, refill: true, cancel: true });
    for (const [user, quantity] of [
      [alice, 100],
      [bob, 200],
      [alice, 300],
    ] as const) {
      const placed = await placeOrder(panel.panel.contextFor({ userId: user.id }), {
        userId: user.id,
        params: { service: String(service), link: `https://x/${quantity}`, quantity: String(quantity) },
      });
      if (!placed.ok) throw new Error(placed.failure.code);
      orders.push(placed.value.order);
    }
  });
  afterAll(() => panel.close());

  it('lists orders newest first as JSON lines, filtered by status and user, limited', async () => {
    const all = await cli('order', 'list');
    expect(all.code).toBe(0);
    const lines = all.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(lines.map((o) => o.id)).toEqual([...orders].reverse());
    expect(lines[0]).toMatchObject({ userId: alice.id, status: 'Pending', quantity: 300, charge: '0.30000' });

    const byUser = await cli('order', 'list', '--user', bob.username);
    expect(
      byUser.stdout
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line).id),
    ).toEqual([orders[1]]);

    const limited = await cli('order', 'list', '--limit', '1');
    expect(limited.stdout.trim().split('\n')).toHaveLength(1);

    await updateOrderStatus(panel.ctx, { orderId: orders[0]!, status: 'Completed' });
    const completed = await cli('order', 'list', '--status', 'Completed');
    expect(
      completed.stdout
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line).id),
    ).toEqual([orders[0]]);
    const none = await cli('order', 'list', '--status', 'Canceled');
    expect(none.code).toBe(0);
    expect(none.stdout).toBe('');

    for (const args of [
      ['--status', 'Shipped'],
      ['--user', 'nobody'],
      ['--limit', '0'],
      ['--limit', 'x'],
    ]) {
      const bad = await cli('order', 'list', ...args);
      expect(bad.code, args.join(' ')).not.toBe(0);
      expect(bad.stderr, args.join(' ')).toMatch(/^error: /);
    }
  });

  it('--cancel-requested lists the orders whose customer asked to cancel, until the admin decides', async () => {
    const listed = async (...args: string[]): Promise<number[]> => {
      const run = await cli('order', 'list', '--cancel-requested', ...args);
      expect([run.code, run.stderr], args.join(' ')).toEqual([0, '']);
      const text = run.stdout.trim();
      return text === '' ? [] : text.split('\n').map((line) => JSON.parse(line).id as number);
    };
    const place = async (quantity: number): Promise<number> => {
      const placed = await placeOrder(panel.panel.contextFor({ userId: alice.id }), {
        userId: alice.id,
        params: { service: String(service), link: `https://x/c${quantity}`, quantity: String(quantity) },
      });
      if (!placed.ok) throw new Error(placed.failure.code);
      return placed.value.order;
    };
    const cancel = async (order: number) =>
      (await panel.api({ key: alice.apiKey, action: 'cancel', order })).text;

    expect(await listed()).toEqual([]);
    const toCancel = await place(11);
    const toComplete = await place(12);
    const untouched = await place(13);
    const pending = await place(14);
    for (const order of [toCancel, toComplete, untouched]) {
      await updateOrderStatus(panel.ctx, { orderId: order, status: 'In progress' });
    }
    expect(await cancel(toCancel)).toBe(`[{"order":${toCancel},"cancel":1}]`);
    expect(await cancel(toComplete)).toBe(`[{"order":${toComplete},"cancel":1}]`);
    // Not yet handed over: canceled at once, nothing left for the admin to decide.
    expect(await cancel(pending)).toBe(`[{"order":${pending},"cancel":1}]`);

    expect(await listed()).toEqual([toComplete, toCancel]);
    expect(await listed('--status', 'In progress', '--user', alice.username)).toEqual([toComplete, toCancel]);
    expect(await listed('--user', bob.username)).toEqual([]);
    expect(await listed('--limit', '1')).toEqual([toComplete]);

    // Once the admin settles it either way, the request is no longer pending.
    await updateOrderStatus(panel.ctx, { orderId: toCancel, status: 'Canceled' });
    expect(await listed()).toEqual([toComplete]);
    await updateOrderStatus(panel.ctx, { orderId: toComplete, status: 'Completed' });
    expect(await listed()).toEqual([]);
    const all = await cli('order', 'list', '--user', alice.username);
    expect(all.stdout).toContain(`"id":${untouched}`);
  });

  it('shows one order with its ledger entries, refills, cancel request and history', async () => {
    const orderId = orders[2]!;
    await updateOrderStatus(panel.ctx, { orderId, status: 'Partial', remains: 100 });
    const refill = await requestRefill(
      panel.panel.contextFor({ userId: alice.id }),
      alice.id,
      String(orderId),
    );
    expect(refill.ok).toBe(true);

    const shown = await cli('order', 'show', String(orderId));
    expect(shown.code).toBe(0);
    const details = shown.json();
    expect(details).toMatchObject({
      id: orderId,
      status: 'Partial',
      charge: '0.30000',
      refunded: '0.10000',
      remains: 100,
    });
    expect(
      details.ledger.map((e: { kind: string; amount: string; entryKey: string }) => [
        e.kind,
        e.amount,
        e.entryKey,
      ]),
    ).toEqual([
      ['charge', '-0.30000', `charge:${orderId}`],
      ['refund', '0.10000', `refund:partial:${orderId}`],
    ]);
    expect(details.refills).toEqual([expect.objectContaining({ orderId, status: 'Pending' })]);
    expect(details.children).toEqual([]);
    expect(details).not.toHaveProperty('childrenCharge');
    expect(details.cancelRequest).toBeNull();
    expect(details.history).toEqual([
      expect.objectContaining({
        actor: 'cli',
        action: 'order.status',
        details: expect.objectContaining({ from: 'Pending', to: 'Partial' }),
      }),
    ]);

    const missing = await cli('order', 'show', '999999');
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('No order with id 999999');
    const bad = await cli('order', 'show', 'abc');
    expect(bad.code).toBe(2);
  });

  it("shows a subscription's childrenCharge: its posts' charges less their refunds", async () => {
    // 1.23457 per 1000: 333 → 0.41112, 200 → 0.24692, 999 → 1.23334.
    const subscriptions = await panel.createService({
      type: 'Subscriptions',
      rate: '1.23457',
      min: 100,
      max: 5000,
    });
    const placed = await placeOrder(panel.panel.contextFor({ userId: bob.id }), {
      userId: bob.id,
      params: { service: String(subscriptions), username: 'someone', min: '200', max: '999', delay: '0' },
    });
    if (!placed.ok) throw new Error(placed.failure.code);
    const id = placed.value.order;
    const posts: number[] = [];
    for (const quantity of [333, 200, 999]) {
      const recorded = await recordPost(panel.ctx, { subscriptionId: id, quantity });
      if (!recorded.ok) throw new Error(recorded.failure.code);
      posts.push(recorded.value.id);
    }
    await updateOrderStatus(panel.ctx, { orderId: posts[1]!, status: 'Canceled' });
    await updateOrderStatus(panel.ctx, { orderId: posts[2]!, status: 'Partial', remains: 333 });

    const shown = await cli('order', 'show', String(id));
    expect(shown.code).toBe(0);
    const details = shown.json();
    // The subscription's own row is charged nothing; its posts are. Partial 333 of 999 refunds
    // 1.23334 × 333 / 999 = 0.411113… → 0.41111: 0.41112 + 0 + (1.23334 − 0.41111) = 1.23335.
    expect(details).toMatchObject({ id, kind: 'subscription', charge: '0.00000', childrenCharge: '1.23335' });
    expect(details.children.map((child: { id: number }) => child.id)).toEqual(posts);
    const status = await panel.api({ key: bob.apiKey, action: 'status', order: id });
    expect(status.json.charge).toBe(details.childrenCharge);
  });
});
