import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { placeOrder } from '../../src/app/orders/place-order.js';
import { updateOrderStatus } from '../../src/app/orders/update-order-status.js';
import { requestRefill } from '../../src/app/refills/request-refill.js';
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
});
