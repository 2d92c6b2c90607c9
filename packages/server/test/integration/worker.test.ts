import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { purgeIdempotencyKeys } from '../../src/app/housekeeping/purge-idempotency-keys.js';
import { placeOrder } from '../../src/app/orders/place-order.js';
import { sql } from '../../src/store/database.js';
import { type Job, MORE_DUE, Worker } from '../../src/worker/worker.js';
import { TestPanel } from '../support/test-panel.js';

const countKeys = sql('SELECT COUNT(*) AS count FROM idempotency_keys');

describe('worker', () => {
  let panel: TestPanel;
  beforeAll(async () => {
    panel = await TestPanel.start();
  });
  afterAll(() => panel.close());

  it('purges request keys once they are older than 24 hours, and only those', async () => {
    const user = await panel.customer('10');
    const service = await panel.createService();
    const ctx = panel.panel.contextFor({ userId: user.id });
    const params = { service: String(service), link: 'https://x/1', quantity: '100' };
    const before = Number((await panel.db.get<{ count: bigint }>(countKeys))!.count);
    expect((await placeOrder(ctx, { userId: user.id, params, requestKey: 'old' })).ok).toBe(true);
    panel.clock.advance(12 * 3600_000);
    expect((await placeOrder(ctx, { userId: user.id, params, requestKey: 'young' })).ok).toBe(true);
    panel.clock.advance(12 * 3600_000 + 1);

    expect(await purgeIdempotencyKeys(panel.panel.ctx)).toBe(1);
    expect(Number((await panel.db.get<{ count: bigint }>(countKeys))!.count)).toBe(before + 1);
    // The young key still replays: same order, nothing new charged.
    const replay = await placeOrder(ctx, { userId: user.id, params, requestKey: 'young' });
    const first = await placeOrder(ctx, { userId: user.id, params, requestKey: 'young' });
    expect(replay).toEqual(first);
  });

  it('runs each job on its cadence, logs a failing run and goes on, and stop waits for runs in flight', async () => {
    const runs: string[] = [];
    const errors: string[] = [];
    let release!: () => void;
    const slow = new Promise<void>((resolve) => (release = resolve));
    const jobs: Job[] = [
      { name: 'slow', intervalMs: 60_000, run: () => (runs.push('slow'), slow) },
      {
        name: 'failing',
        intervalMs: 1,
        run: () => {
          runs.push('failing');
          return Promise.reject(new Error('boom'));
        },
      },
    ];
    const worker = new Worker(panel.panel.ctx, jobs, {
      warn: () => undefined,
      error: (_details, message) => errors.push(message),
    });
    worker.start();
    await expect.poll(() => runs.filter((r) => r === 'failing').length).toBeGreaterThanOrEqual(3);
    expect(errors.length).toBeGreaterThanOrEqual(2);
    expect(runs.filter((r) => r === 'slow')).toEqual(['slow']);

    let stopped = false;
    const stopping = worker.stop().then(() => (stopped = true));
    await new Promise((resolve) => setImmediate(resolve));
    expect(stopped).toBe(false);
    release();
    await stopping;
    expect(stopped).toBe(true);
    const after = runs.length;
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(runs.length).toBe(after);
  });

  it('runs a job again at once while it says more is due, then waits for its interval', async () => {
    let backlog = 5;
    let runs = 0;
    const jobs: Job[] = [
      {
        name: 'backlog',
        intervalMs: 60_000,
        run: () => {
          runs++;
          backlog = Math.max(0, backlog - 2);
          return Promise.resolve(backlog > 0 ? MORE_DUE : undefined);
        },
      },
    ];
    const worker = new Worker(panel.panel.ctx, jobs, { warn: () => undefined, error: () => undefined });
    worker.start();
    // 5 → 3 → 1 → 0: three runs back to back, the last one saying nothing more is due.
    await expect.poll(() => runs).toBe(3);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(runs).toBe(3);
    await worker.stop();
  });
});
