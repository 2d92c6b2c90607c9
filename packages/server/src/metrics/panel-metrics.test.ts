import { describe, expect, it } from 'vitest';
import { Scrape } from '../../test/support/prometheus.js';
import type { PanelSnapshot } from '../app/operations/read-panel-snapshot.js';
import { PanelMetrics } from './panel-metrics.js';

const snapshot: PanelSnapshot = {
  ordersByStatus: new Map([['completed', 2]]),
  balanceTotal: '10.50000',
  queueDepth: { orders: 3, refills: 1, cancelRequests: 0 },
  ordersAwaitingReview: 2,
  syncLagSeconds: 12.5,
  ledgerTotals: new Map([
    ['deposit', '100.00000'],
    ['charge', '-0.27819'],
  ]),
};

describe('panel metrics', () => {
  it('counts API requests by known action and outcome, anything else as unknown', () => {
    const metrics = new PanelMetrics(['pending', 'completed'], () => 4096);
    metrics.registerApiActions(['add', 'balance']);
    metrics.recordApiRequest('add', 'ok', 0.002);
    metrics.recordApiRequest('add', 'api_error', 0.002);
    metrics.recordApiRequest('nonsense', 'api_error', 0.0005);
    metrics.recordApiRequest(undefined, 'http_error', 3);
    const text = metrics.render(snapshot);
    expect(text).toContain('smmkit_api_requests_total{action="add",outcome="ok"} 1\n');
    expect(text).toContain('smmkit_api_requests_total{action="add",outcome="api_error"} 1\n');
    expect(text).toContain('smmkit_api_requests_total{action="balance",outcome="ok"} 0\n');
    expect(text).toContain('smmkit_api_requests_total{action="unknown",outcome="api_error"} 1\n');
    expect(text).toContain('smmkit_api_requests_total{action="unknown",outcome="http_error"} 1\n');
    expect(text).not.toContain('nonsense');
    expect(text).toContain('smmkit_api_request_duration_seconds_bucket{action="unknown",le="0.001"} 1\n');
    expect(text).toContain('smmkit_api_request_duration_seconds_bucket{action="unknown",le="+Inf"} 2\n');
    expect(text).toContain('smmkit_api_request_duration_seconds_count{action="add"} 2\n');
  });

  it('renders the database snapshot, every known status, memory and worker runs', () => {
    const metrics = new PanelMetrics(['pending', 'completed'], () => 4096);
    metrics.recordJobRun('sync', 'ok', 0.02);
    metrics.recordJobRun('sync', 'error', 0.5);
    const text = metrics.render(snapshot);
    expect(text).toContain('smmkit_orders{status="pending"} 0\n');
    expect(text).toContain('smmkit_orders{status="completed"} 2\n');
    expect(text).toContain('\nsmmkit_ledger_balance_total 10.50000\n');
    expect(text).toContain('\nprocess_resident_memory_bytes 4096\n');
    expect(text).toContain('smmkit_worker_job_runs_total{job="sync",outcome="error"} 1\n');
    expect(text).toContain('smmkit_worker_job_duration_seconds_count{job="sync"} 2\n');
    // A status gone from the database is gone from the next scrape.
    const later = metrics.render({ ...snapshot, ordersByStatus: new Map([['partial', 1]]) });
    expect(later).toContain('smmkit_orders{status="completed"} 0\n');
    expect(later).toContain('smmkit_orders{status="partial"} 1\n');
  });

  it('renders queues, review, sync lag and ledger totals by kind (every kind, exact decimals)', () => {
    const scrape = new Scrape(new PanelMetrics([], () => 1).render(snapshot));
    expect(scrape.number('smmkit_worker_queue_depth', { queue: 'orders' })).toBe(3);
    expect(scrape.number('smmkit_worker_queue_depth', { queue: 'refills' })).toBe(1);
    expect(scrape.number('smmkit_worker_queue_depth', { queue: 'cancel_requests' })).toBe(0);
    expect(scrape.number('smmkit_orders_awaiting_review')).toBe(2);
    expect(scrape.number('smmkit_sync_lag_seconds')).toBe(12.5);
    expect(scrape.value('smmkit_ledger_entries_sum', { kind: 'charge' })).toBe('-0.27819');
    expect(scrape.value('smmkit_ledger_entries_sum', { kind: 'deposit' })).toBe('100.00000');
    expect(scrape.value('smmkit_ledger_entries_sum', { kind: 'refund' })).toBe('0.00000');
    expect(scrape.family('smmkit_ledger_entries_sum').type).toBe('gauge');
  });

  it('leaves the database gauges out when the database could not be read, and says so; the rest as ever', () => {
    const metrics = new PanelMetrics(['pending', 'completed'], () => 4096);
    metrics.registerApiActions(['add']);
    metrics.recordApiRequest('add', 'http_error', 0.2);
    const up = new Scrape(metrics.render(snapshot));
    expect(up.number('smmkit_database_up')).toBe(1);
    const down = new Scrape(metrics.render(null));
    expect(down.number('smmkit_database_up')).toBe(0);
    for (const name of [
      'smmkit_orders',
      'smmkit_ledger_balance_total',
      'smmkit_worker_queue_depth',
      'smmkit_orders_awaiting_review',
      'smmkit_sync_lag_seconds',
      'smmkit_ledger_entries_sum',
    ]) {
      expect(down.family(name).series, name).toEqual([]);
      expect(up.family(name).series.length, name).toBeGreaterThan(0);
    }
    expect(down.number('smmkit_api_requests_total', { action: 'add', outcome: 'http_error' })).toBe(1);
    expect(down.number('process_resident_memory_bytes')).toBe(4096);
    // Readable again: every gauge is back.
    const again = new Scrape(metrics.render(snapshot));
    expect(again.number('smmkit_database_up')).toBe(1);
    expect(again.number('smmkit_orders', { status: 'completed' })).toBe(2);
  });

  it('observes provider calls: a counter by provider, action and outcome, and a latency histogram', () => {
    const metrics = new PanelMetrics([], () => 1);
    metrics.observeProviderCall('upstream "A"', 'add', 'ok', 0.2);
    metrics.observeProviderCall('upstream "A"', 'add', 'ok', 0.7);
    metrics.observeProviderCall('upstream "A"', 'add', 'unknown', 30.5);
    metrics.observeProviderCall('b', 'status', 'error', 0.04);
    const scrape = new Scrape(metrics.render(snapshot));
    const calls = 'smmkit_provider_calls_total';
    expect(scrape.family(calls).type).toBe('counter');
    expect(scrape.number(calls, { provider: 'upstream "A"', action: 'add', outcome: 'ok' })).toBe(2);
    expect(scrape.number(calls, { provider: 'upstream "A"', action: 'add', outcome: 'unknown' })).toBe(1);
    expect(scrape.number(calls, { provider: 'b', action: 'status', outcome: 'error' })).toBe(1);
    const latency = scrape.histogram('smmkit_provider_call_duration_seconds', {
      provider: 'upstream "A"',
      action: 'add',
    });
    expect(latency.count).toBe(3);
    expect(latency.sum).toBeCloseTo(31.4);
    expect(latency.buckets.get('0.25')).toBe(1);
    expect(latency.buckets.get('1')).toBe(2);
    expect(latency.buckets.get('30')).toBe(2);
    expect(latency.buckets.get('+Inf')).toBe(3);
    expect(
      scrape.histogram('smmkit_provider_call_duration_seconds', { provider: 'b', action: 'status' }),
    ).toMatchObject({
      count: 1,
    });
  });
});
