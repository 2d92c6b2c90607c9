import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { placeOrder } from '../../src/app/orders/place-order.js';
import { sql } from '../../src/store/database.js';
import { SMMKIT_BIN, startServe } from '../support/run-cli.js';
import { TestPanel } from '../support/test-panel.js';

const countRuns = sql('SELECT COUNT(*) AS count FROM orders WHERE parent_id = ?');
// Info level: startServe waits for the "Server listening" line.
const FAST = { SMMKIT_DISPATCH_INTERVAL: '1' };

async function stop(child: ChildProcess): Promise<number | null> {
  child.removeAllListeners('exit');
  if (child.exitCode !== null) return child.exitCode;
  child.kill('SIGTERM');
  const [code] = (await once(child, 'exit')) as [number | null];
  return code;
}

/**
 * The worker as processes run it: inside `smmkit serve` unless --no-worker, and alone as
 * `smmkit worker`, at the SMMKIT_DISPATCH_INTERVAL cadence. These wait on real time (a second
 * or two), since what is under test is the process wiring; the jobs themselves are tested with a
 * moved clock elsewhere.
 */
describe('worker processes', () => {
  let panel: TestPanel;
  let service: number;
  beforeAll(async () => {
    // The processes read the real clock: so must the orders they schedule.
    panel = await TestPanel.start();
    panel.clock.set(Date.now());
    service = await panel.createService({ dripfeed: true, rate: '1', min: 10, max: 1000 });
  });
  afterAll(() => panel.close());

  async function dripfeedOrder(): Promise<number> {
    const user = await panel.customer('10');
    panel.clock.set(Date.now());
    const placed = await placeOrder(panel.panel.contextFor({ userId: user.id }), {
      userId: user.id,
      params: { service: String(service), link: 'https://x/y', quantity: '100', runs: '3', interval: '60' },
    });
    if (!placed.ok) throw new Error(placed.failure.code);
    return placed.value.order;
  }
  const runsOf = async (order: number) =>
    Number((await panel.db.get<{ count: bigint }>(countRuns, [order]))!.count);

  it('serve --no-worker creates no run; smmkit worker alone does, and stops on SIGTERM', async () => {
    const order = await dripfeedOrder();
    const served = await startServe(['--port', '0', '--no-worker'], panel.database.url, FAST);
    try {
      await new Promise((resolve) => setTimeout(resolve, 2500));
      expect(await runsOf(order)).toBe(0);
    } finally {
      expect(await stop(served.child)).toBe(0);
    }

    const worker = spawn(process.execPath, [SMMKIT_BIN, 'worker'], {
      env: { ...process.env, DATABASE_URL: panel.database.url, ...FAST },
      stdio: 'ignore',
    });
    try {
      await expect.poll(() => runsOf(order), { timeout: 10_000, interval: 200 }).toBe(1);
    } finally {
      expect(await stop(worker)).toBe(0);
    }
  });

  it('serve runs the worker by default', async () => {
    const order = await dripfeedOrder();
    const served = await startServe(['--port', '0'], panel.database.url, FAST);
    try {
      await expect.poll(() => runsOf(order), { timeout: 10_000, interval: 200 }).toBe(1);
    } finally {
      expect(await stop(served.child)).toBe(0);
    }
  });
});
