import { describe, expect, it } from 'vitest';
import { PanelMetrics } from './panel-metrics.js';

const snapshot = { ordersByStatus: new Map([['completed', 2]]), balanceTotal: '10.50000' };

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
    const later = metrics.render({ ordersByStatus: new Map([['partial', 1]]), balanceTotal: '0.00000' });
    expect(later).toContain('smmkit_orders{status="completed"} 0\n');
    expect(later).toContain('smmkit_orders{status="partial"} 1\n');
  });
});
