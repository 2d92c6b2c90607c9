import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { updateOrderStatus } from '../../src/app/orders/update-order-status.js';
import { sql } from '../../src/store/database.js';
import { Scrape } from '../support/prometheus.js';
import { TestPanel } from '../support/test-panel.js';

const setDispatch = sql('UPDATE orders SET dispatch_state = ?, next_sync_at = ? WHERE id = ?');
const insertRefill = sql(
  `INSERT INTO refills (order_id, user_id, status, created_at, updated_at, dispatch_state)
   VALUES (?, ?, 'pending', ?, ?, ?)`,
);
const insertCancelRequest = sql(
  `INSERT INTO cancel_requests (order_id, user_id, status, created_at, updated_at, dispatch_state)
   VALUES (?, ?, 'pending', ?, ?, ?)`,
);
const setRefillSync = sql('UPDATE refills SET next_sync_at = ? WHERE order_id = ?');

/**
 * /metrics scraped over HTTP and read with a Prometheus text parser: the work queues, the review
 * list, sync lag and ledger totals come from the database at each scrape; provider calls from the
 * registry hook the dispatcher calls.
 */
describe('/metrics: queues, review, sync lag, ledger and provider calls', () => {
  let panel: TestPanel;
  beforeAll(async () => {
    panel = await TestPanel.start();
  });
  afterAll(() => panel.close());

  async function scrape(): Promise<Scrape> {
    const response = await fetch(`${panel.baseUrl}/metrics`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
    return new Scrape(await response.text());
  }

  it('starts at zero on an empty panel, every series present', async () => {
    const empty = await scrape();
    for (const queue of ['orders', 'refills', 'cancel_requests']) {
      expect(empty.number('smmkit_worker_queue_depth', { queue })).toBe(0);
    }
    expect(empty.number('smmkit_orders_awaiting_review')).toBe(0);
    expect(empty.number('smmkit_sync_lag_seconds')).toBe(0);
    for (const kind of ['deposit', 'charge', 'refund', 'adjustment']) {
      expect(empty.value('smmkit_ledger_entries_sum', { kind })).toBe('0.00000');
    }
    expect(empty.family('smmkit_provider_calls_total').series).toEqual([]);
    expect(empty.family('smmkit_provider_call_duration_seconds').type).toBe('histogram');
    // The process's runtime: event loop lag since the previous scrape, GC pauses by kind, heap.
    expect(empty.number('nodejs_eventloop_lag_p99_seconds')).toBeGreaterThanOrEqual(0);
    expect(empty.number('nodejs_eventloop_lag_max_seconds')).toBeGreaterThanOrEqual(
      empty.number('nodejs_eventloop_lag_p50_seconds'),
    );
    expect(empty.family('nodejs_gc_duration_seconds').type).toBe('histogram');
    expect(empty.number('nodejs_heap_size_used_bytes')).toBeGreaterThan(0);
  });

  it('reads queue depth, orders awaiting review, sync lag and exact ledger totals by kind', async () => {
    const user = await panel.customer('10.00001');
    const service = await panel.createService({ rate: '0.27819' });
    const orders: number[] = [];
    for (let i = 0; i < 6; i++) {
      const added = await panel.api({
        key: user.apiKey,
        action: 'add',
        service,
        link: `https://x/${i}`,
        quantity: 1000,
      });
      orders.push(added.json.order as number);
    }
    const now = panel.clock.now();
    const [o1, o2, o3, o4, o5, o6] = orders as [number, number, number, number, number, number];
    await panel.db.run(setDispatch, ['queued', null, o1]);
    await panel.db.run(setDispatch, ['queued', null, o2]);
    await panel.db.run(setDispatch, ['review', null, o3]);
    // In flight at the provider: one sync due 90 s ago, one due 5 s ago, one not due yet.
    await panel.db.run(setDispatch, ['sent', now - 90_000, o4]);
    await panel.db.run(setDispatch, ['sent', now - 5_000, o5]);
    await panel.db.run(setDispatch, ['sent', now + 60_000, o6]);
    await panel.db.run(insertRefill, [o4, user.id, now, now, 'queued']);
    await panel.db.run(insertRefill, [o5, user.id, now, now, 'sent']);
    await panel.db.run(insertCancelRequest, [o6, user.id, now, now, 'queued']);
    // A refill's due sync counts too: 120 s late is the oldest.
    await panel.db.run(setRefillSync, [now - 120_000, o5]);
    expect((await updateOrderStatus(panel.ctx, { orderId: o2, status: 'Partial', remains: 333 })).ok).toBe(
      true,
    );

    const after = await scrape();
    expect(after.number('smmkit_worker_queue_depth', { queue: 'orders' })).toBe(2);
    expect(after.number('smmkit_worker_queue_depth', { queue: 'refills' })).toBe(1);
    expect(after.number('smmkit_worker_queue_depth', { queue: 'cancel_requests' })).toBe(1);
    expect(after.number('smmkit_orders_awaiting_review')).toBe(1);
    expect(after.number('smmkit_sync_lag_seconds')).toBe(120);
    // 6 charges of 0.27819; the Partial refunds 0.27819 × 333 / 1000 rounded down = 0.09263.
    expect(after.value('smmkit_ledger_entries_sum', { kind: 'deposit' })).toBe('10.00001');
    expect(after.value('smmkit_ledger_entries_sum', { kind: 'charge' })).toBe('-1.66914');
    expect(after.value('smmkit_ledger_entries_sum', { kind: 'refund' })).toBe('0.09263');
    expect(after.value('smmkit_ledger_entries_sum', { kind: 'adjustment' })).toBe('0.00000');
    expect(after.value('smmkit_ledger_balance_total')).toBe('8.42350');

    // The lag follows the clock; with nothing due it is 0 again.
    panel.clock.advance(10_000);
    expect((await scrape()).number('smmkit_sync_lag_seconds')).toBe(130);
    await panel.db.run(setRefillSync, [null, o5]);
    await panel.db.run(setDispatch, ['sent', null, o4]);
    await panel.db.run(setDispatch, ['sent', null, o5]);
    expect((await scrape()).number('smmkit_sync_lag_seconds')).toBe(0);
  });

  it('still answers while the database cannot be read: the process series, smmkit_database_up 0', async () => {
    const user = await panel.customer('1');
    await panel.api({ key: user.apiKey, action: 'balance' });
    expect((await scrape()).number('smmkit_database_up')).toBe(1);
    // A table the scrape reads, gone for a moment (as in an upgrade run the wrong way round).
    await panel.db.run(sql('ALTER TABLE ledger_kind_totals RENAME TO ledger_kind_totals_away'));
    try {
      const down = await scrape();
      expect(down.number('smmkit_database_up')).toBe(0);
      expect(down.family('smmkit_ledger_entries_sum').series).toEqual([]);
      expect(down.family('smmkit_orders').series).toEqual([]);
      expect(down.number('smmkit_api_requests_total', { action: 'balance', outcome: 'ok' })).toBeGreaterThan(
        0,
      );
      expect(down.number('process_resident_memory_bytes')).toBeGreaterThan(0);
    } finally {
      await panel.db.run(sql('ALTER TABLE ledger_kind_totals_away RENAME TO ledger_kind_totals'));
    }
    const back = await scrape();
    expect(back.number('smmkit_database_up')).toBe(1);
    expect(back.value('smmkit_ledger_entries_sum', { kind: 'deposit' })).not.toBe('0.00000');
  });

  it('exposes provider calls recorded through observeProviderCall', async () => {
    panel.panel.metrics.observeProviderCall('bigpanel', 'add', 'ok', 0.12);
    panel.panel.metrics.observeProviderCall('bigpanel', 'add', 'unknown', 10.5);
    panel.panel.metrics.observeProviderCall('bigpanel', 'status', 'error', 0.3);
    const scrapeText = await scrape();
    const calls = 'smmkit_provider_calls_total';
    expect(scrapeText.number(calls, { provider: 'bigpanel', action: 'add', outcome: 'ok' })).toBe(1);
    expect(scrapeText.number(calls, { provider: 'bigpanel', action: 'add', outcome: 'unknown' })).toBe(1);
    expect(scrapeText.number(calls, { provider: 'bigpanel', action: 'status', outcome: 'error' })).toBe(1);
    const add = scrapeText.histogram('smmkit_provider_call_duration_seconds', {
      provider: 'bigpanel',
      action: 'add',
    });
    expect(add.count).toBe(2);
    expect(add.sum).toBeCloseTo(10.62);
    expect(add.buckets.get('0.25')).toBe(1);
    expect(add.buckets.get('10')).toBe(1);
    expect(add.buckets.get('30')).toBe(2);
    // The API series parse too, as histograms with their labels.
    expect(scrapeText.histogram('smmkit_api_request_duration_seconds', { action: 'add' }).count).toBe(6);
  });
});
