import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { updateOrderStatus } from '../../src/app/orders/update-order-status.js';
import { formatMoney } from '../../src/domain/money.js';
import { dynamicSql } from '../../src/store/database.js';
import { MIGRATIONS } from '../../src/store/migrations.js';
import { Worker } from '../../src/worker/worker.js';
import { TestPanel } from '../support/test-panel.js';

interface Sample {
  readonly name: string;
  readonly labels: Record<string, string>;
  /** As written: exact decimals stay exact. */
  readonly value: string;
}

interface Exposition {
  readonly help: Map<string, string>;
  readonly type: Map<string, string>;
  readonly samples: Sample[];
}

const SAMPLE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/;
const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"(?:,|$)/y;

/** A small parser for the text exposition format 0.0.4: HELP/TYPE lines and `name{labels} value` samples. */
function parseExposition(text: string): Exposition {
  const result: Exposition = { help: new Map(), type: new Map(), samples: [] };
  expect(text.endsWith('\n')).toBe(true);
  for (const line of text.slice(0, -1).split('\n')) {
    const meta = /^# (HELP|TYPE) (\S+) (.*)$/.exec(line);
    if (meta) {
      (meta[1] === 'HELP' ? result.help : result.type).set(meta[2]!, meta[3]!);
      continue;
    }
    const match = SAMPLE.exec(line);
    if (!match) throw new Error(`not an exposition line: ${line}`);
    const labels: Record<string, string> = {};
    const labelText = match[2] ?? '';
    LABEL.lastIndex = 0;
    while (LABEL.lastIndex < labelText.length) {
      const label = LABEL.exec(labelText);
      if (!label) throw new Error(`bad labels: ${labelText}`);
      labels[label[1]!] = label[2]!.replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c));
    }
    result.samples.push({ name: match[1]!, labels, value: match[3]! });
  }
  return result;
}

function find(exposition: Exposition, name: string, labels: Record<string, string> = {}): Sample[] {
  return exposition.samples.filter(
    (s) =>
      s.name === name &&
      Object.entries(labels).every(([k, v]) => s.labels[k] === v) &&
      Object.keys(s.labels).length >= Object.keys(labels).length,
  );
}

function value(exposition: Exposition, name: string, labels: Record<string, string> = {}): number {
  const matches = find(exposition, name, labels).filter(
    (s) => Object.keys(s.labels).length === Object.keys(labels).length,
  );
  expect(matches, `${name} ${JSON.stringify(labels)}`).toHaveLength(1);
  return Number(matches[0]!.value);
}

describe('operations endpoints', () => {
  let panel: TestPanel;
  beforeAll(async () => {
    panel = await TestPanel.start();
  });
  afterAll(() => panel.close());

  async function scrape(): Promise<Exposition> {
    const response = await fetch(`${panel.baseUrl}/metrics`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
    return parseExposition(await response.text());
  }

  it('/healthz answers while the process is up', async () => {
    const response = await fetch(`${panel.baseUrl}/healthz`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(await response.json()).toEqual({ status: 'ok' });
  });

  it('/readyz is ready on a migrated database and 503 with the reason when a migration is missing', async () => {
    const ready = await fetch(`${panel.baseUrl}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ready' });

    const last = MIGRATIONS.at(-1)!.id;
    const row = await panel.db.get<{ applied_at: bigint }>(
      dynamicSql('SELECT applied_at FROM schema_migrations WHERE id = ?'),
      [last],
    );
    expect(await panel.db.run(dynamicSql('DELETE FROM schema_migrations WHERE id = ?'), [last])).toBe(1);
    try {
      const notReady = await fetch(`${panel.baseUrl}/readyz`);
      expect(notReady.status).toBe(503);
      expect(await notReady.json()).toEqual({ status: 'not ready', reason: '1 migration not applied' });
    } finally {
      await panel.db.run(dynamicSql('INSERT INTO schema_migrations (id, applied_at) VALUES (?, ?)'), [
        last,
        row!.applied_at,
      ]);
    }
    expect((await fetch(`${panel.baseUrl}/readyz`)).status).toBe(200);
  });

  it('/metrics counts API requests by action and outcome and reads orders and balances from the database', async () => {
    const before = await scrape();
    for (const action of [
      'services',
      'add',
      'status',
      'refill',
      'refill_status',
      'cancel',
      'balance',
      'unknown',
    ]) {
      for (const outcome of ['ok', 'api_error', 'http_error']) {
        expect(value(before, 'smmkit_api_requests_total', { action, outcome })).toBe(0);
      }
    }
    expect(before.type.get('smmkit_api_requests_total')).toBe('counter');
    expect(before.type.get('smmkit_api_request_duration_seconds')).toBe('histogram');
    expect(before.type.get('smmkit_orders')).toBe('gauge');

    const alice = await panel.customer('20');
    const bob = await panel.customer('7.25');
    const service = await panel.createService({ rate: '1.00' });
    expect((await panel.api({ key: alice.apiKey, action: 'balance' })).json).toEqual({
      balance: '20.00000',
      currency: 'USD',
    });
    const orders: number[] = [];
    for (const link of ['https://x/1', 'https://x/2', 'https://x/3']) {
      const added = await panel.api({ key: alice.apiKey, action: 'add', service, link, quantity: 1000 });
      expect(added.json).toHaveProperty('order');
      orders.push(added.json.order as number);
    }
    expect((await panel.api({ key: 'not-a-key', action: 'balance' })).json).toHaveProperty('error');
    expect((await panel.api({ key: bob.apiKey, action: 'mine_bitcoin' })).json).toHaveProperty('error');
    const tooLarge = await fetch(panel.apiUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `key=${bob.apiKey}&action=balance&pad=${'x'.repeat(1024 * 1024)}`,
    });
    expect(tooLarge.status).toBe(413);
    expect((await updateOrderStatus(panel.ctx, { orderId: orders[0]!, status: 'Completed' })).ok).toBe(true);

    const after = await scrape();
    const expected: [string, string, number][] = [
      ['balance', 'ok', 1],
      ['balance', 'api_error', 1],
      ['add', 'ok', 3],
      ['unknown', 'api_error', 1],
      ['unknown', 'http_error', 1],
    ];
    for (const [action, outcome, count] of expected) {
      expect(value(after, 'smmkit_api_requests_total', { action, outcome }), `${action} ${outcome}`).toBe(
        count,
      );
    }
    const total = find(after, 'smmkit_api_requests_total').reduce((sum, s) => sum + Number(s.value), 0);
    expect(total).toBe(7);

    // Per action: buckets cumulative and non-decreasing, +Inf and _count equal to the requests counted.
    for (const [action, count] of [
      ['balance', 2],
      ['add', 3],
      ['unknown', 2],
      ['status', 0],
    ] as const) {
      const buckets = find(after, 'smmkit_api_request_duration_seconds_bucket', { action });
      expect(buckets.map((b) => b.labels.le)).toEqual([
        '0.001',
        '0.0025',
        '0.005',
        '0.01',
        '0.025',
        '0.05',
        '0.1',
        '0.25',
        '0.5',
        '1',
        '2.5',
        '+Inf',
      ]);
      const counts = buckets.map((b) => Number(b.value));
      for (let i = 1; i < counts.length; i++) expect(counts[i]).toBeGreaterThanOrEqual(counts[i - 1]!);
      expect(counts.at(-1)).toBe(count);
      expect(value(after, 'smmkit_api_request_duration_seconds_count', { action })).toBe(count);
      expect(value(after, 'smmkit_api_request_duration_seconds_sum', { action })).toBeGreaterThanOrEqual(0);
    }

    expect(value(after, 'smmkit_orders', { status: 'pending' })).toBe(2);
    expect(value(after, 'smmkit_orders', { status: 'completed' })).toBe(1);
    expect(value(after, 'smmkit_orders', { status: 'canceled' })).toBe(0);
    expect(find(after, 'smmkit_orders').reduce((sum, s) => sum + Number(s.value), 0)).toBe(3);

    const balances = await panel.db.all<{ balance: bigint }>(dynamicSql('SELECT balance FROM users'));
    const sum = balances.reduce((acc, row) => acc + BigInt(row.balance), 0n);
    expect(sum).toBe(2_000_000n + 725_000n - 300_000n);
    const [ledger] = find(after, 'smmkit_ledger_balance_total');
    expect(ledger?.value).toBe(formatMoney(sum));

    expect(value(after, 'process_resident_memory_bytes')).toBeGreaterThan(0);
    // The scrape itself is not an API request.
    const again = await scrape();
    expect(find(again, 'smmkit_api_requests_total').reduce((s, x) => s + Number(x.value), 0)).toBe(7);
  });

  it('/metrics reports the worker runs through its hook', async () => {
    const worker = new Worker(
      panel.panel.ctx,
      [
        { name: 'fine', intervalMs: 60_000, run: () => Promise.resolve() },
        { name: 'broken', intervalMs: 60_000, run: () => Promise.reject(new Error('boom')) },
      ],
      { warn: () => undefined, error: () => undefined },
      panel.panel.metrics.recordJobRun,
    );
    worker.start();
    await expect.poll(async () => find(await scrape(), 'smmkit_worker_job_runs_total').length).toBe(2);
    await worker.stop();
    const exposition = await scrape();
    expect(value(exposition, 'smmkit_worker_job_runs_total', { job: 'fine', outcome: 'ok' })).toBe(1);
    expect(value(exposition, 'smmkit_worker_job_runs_total', { job: 'broken', outcome: 'error' })).toBe(1);
    expect(value(exposition, 'smmkit_worker_job_duration_seconds_count', { job: 'fine' })).toBe(1);
  });
});
