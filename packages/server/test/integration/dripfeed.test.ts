import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Context } from '../../src/app/context.js';
import { createDueRuns } from '../../src/app/dripfeed/create-due-runs.js';
import { updateOrderStatus } from '../../src/app/orders/update-order-status.js';
import { Panel } from '../../src/panel.js';
import { findCancelRequest } from '../../src/store/cancel-requests.js';
import { type Database, sql } from '../../src/store/database.js';
import { findLedgerEntriesForOrder } from '../support/account-rows.js';
import { openDatabase, parseDatabaseUrl } from '../../src/store/open-database.js';
import { workerJobs } from '../../src/worker/jobs.js';
import { TEST_DIALECT } from '../support/test-database.js';
import { TestPanel, type TestUser } from '../support/test-panel.js';

const MINUTE = 60_000;

interface RunRow {
  id: bigint;
  run_number: bigint;
  user_id: bigint;
  service_id: bigint;
  kind: string;
  status: string;
  link: string;
  quantity: bigint;
  charge: bigint;
  remains: bigint;
  created_at: bigint;
}

const selectRuns = sql(
  `SELECT id, run_number, user_id, service_id, kind, status, link, quantity, charge, remains, created_at
   FROM orders WHERE parent_id = ? ORDER BY run_number`,
);
const selectParent = sql('SELECT runs_created, next_run_at FROM orders WHERE id = ?');
const countUserLedger = sql('SELECT COUNT(*) AS n FROM ledger_entries WHERE user_id = ?');

describe('drip-feed', () => {
  let panel: TestPanel;
  /** rate 1.23457 per 1000, drip-feed and cancel allowed. */
  let service: number;

  beforeAll(async () => {
    panel = await TestPanel.start();
    service = await panel.createService({ rate: '1.23457', dripfeed: true, cancel: true });
  });
  afterAll(() => panel.close());

  /** The job as the worker runs it, on the panel's database and clock. */
  const runJob = (ctx: Context = panel.panel.ctx) => createDueRuns(ctx);

  /** Runs the job now and again after each of the next `minutes` minutes, as a worker keeping up does. */
  async function runJobEachMinute(minutes: number): Promise<void> {
    await runJob();
    for (let i = 0; i < minutes; i++) {
      panel.clock.advance(MINUTE);
      await runJob();
    }
  }

  async function addDripfeed(
    user: TestUser,
    quantity: number,
    runs: number,
    interval: number,
  ): Promise<number> {
    const add = await panel.api({
      key: user.apiKey,
      action: 'add',
      service,
      link: 'https://x.test/drip',
      quantity,
      runs,
      interval,
    });
    expect(add.text).toMatch(/^\{"order":\d+\}$/);
    return add.json.order as number;
  }

  function runsOf(parent: number, db: Database = panel.db): Promise<RunRow[]> {
    return db.all<RunRow>(selectRuns, [parent]);
  }

  async function runIds(parent: number): Promise<number[]> {
    return (await runsOf(parent)).map((run) => Number(run.id));
  }

  async function statusText(user: TestUser, order: number): Promise<string> {
    return (await panel.api({ key: user.apiKey, action: 'status', order })).text;
  }

  function parentStatus(
    charge: string,
    status: string,
    remains: number,
    runs: number,
    orders: number[],
  ): string {
    return (
      `{"charge":"${charge}","start_count":"0","status":"${status}","remains":"${remains}","currency":"USD",` +
      `"runs":"${runs}","orders":${JSON.stringify(orders)}}`
    );
  }

  async function balance(user: TestUser): Promise<string> {
    return ((await panel.api({ key: user.apiKey, action: 'balance' })).json as { balance: string }).balance;
  }

  async function admin(
    orderId: number,
    status: string,
    extra: { startCount?: number; remains?: number } = {},
  ) {
    const result = await updateOrderStatus(panel.ctx, { orderId, status, ...extra });
    if (!result.ok) throw new Error(JSON.stringify(result.failure));
  }

  async function ledger(order: number): Promise<string[]> {
    return (await findLedgerEntriesForOrder(panel.db, order)).map(
      (entry) => `${entry.entry_key}=${entry.amount}`,
    );
  }

  it('is a worker job on the dispatch cadence', () => {
    const jobs = workerJobs(
      { dispatchIntervalMs: 2000, syncIntervalMs: 30_000 },
      { log: { warn: () => undefined, error: () => undefined } },
    );
    expect(jobs.find((job) => job.name === 'dripfeed-runs')?.intervalMs).toBe(2000);
  });

  it('charges once for runs × quantity and creates exactly one run per interval', async () => {
    const user = await panel.customer('10');
    const start = panel.clock.now();
    // 1.23457 × 500 / 1000 = 0.617285 → 0.61729.
    const parent = await addDripfeed(user, 100, 5, 10);
    expect(await balance(user)).toBe('9.38271');
    expect(await statusText(user, parent)).toBe(parentStatus('0.61729', 'Pending', 500, 5, []));

    // The first run at once; running the job again at the same time creates nothing.
    expect(await runJob()).toBeGreaterThanOrEqual(1);
    expect(await runJob()).toBe(0);
    const [first] = await runIds(parent);
    expect(await statusText(user, parent)).toBe(parentStatus('0.61729', 'In progress', 500, 5, [first!]));

    for (let n = 2; n <= 5; n++) {
      panel.clock.set(start + (n - 1) * 10 * MINUTE - 1);
      await runJob();
      expect(await runsOf(parent)).toHaveLength(n - 1);
      panel.clock.set(start + (n - 1) * 10 * MINUTE);
      await runJob();
      expect(await runsOf(parent)).toHaveLength(n);
    }
    panel.clock.advance(24 * 60 * MINUTE);
    await runJob();

    const runs = await runsOf(parent);
    expect(runs.map((run) => Number(run.run_number))).toEqual([1, 2, 3, 4, 5]);
    for (const run of runs) {
      expect(run).toMatchObject({
        user_id: BigInt(user.id),
        service_id: BigInt(service),
        kind: 'order',
        status: 'pending',
        link: 'https://x.test/drip',
        quantity: 100n,
        charge: 0n,
        remains: 100n,
      });
    }
    expect(await panel.db.get(selectParent, [parent])).toEqual({ runs_created: 5n, next_run_at: null });
    // One charge, on the parent; the runs cost nothing.
    expect(await ledger(parent)).toEqual([`charge:${parent}=-61729`]);
    expect(Number((await panel.db.get<{ n: bigint }>(countUserLedger, [user.id]))!.n)).toBe(2);
    for (const run of runs) expect(await ledger(Number(run.id))).toEqual([]);
    expect(await balance(user)).toBe('9.38271');
    // Each run is an ordinary order of the customer's.
    const runStatus = await panel.api({ key: user.apiKey, action: 'status', order: Number(runs[0]!.id) });
    expect(runStatus.text).toBe(
      '{"charge":"0.00000","start_count":"0","status":"Pending","remains":"100","currency":"USD"}',
    );
  });

  it('after a gap: one run at once, the next one interval later, none skipped and never a burst', async () => {
    const user = await panel.customer('10');
    const start = panel.clock.now();
    const parent = await addDripfeed(user, 50, 6, 15);
    // The worker was down for 47 minutes: runs 1–4 were due at 0, 15, 30 and 45 minutes. Only one
    // is created now, however often the job runs; the next is due one interval after it.
    panel.clock.set(start + 47 * MINUTE);
    await runJob();
    await runJob();
    expect((await runsOf(parent)).map((run) => Number(run.run_number))).toEqual([1]);
    expect(await panel.db.get(selectParent, [parent])).toEqual({
      runs_created: 1n,
      next_run_at: BigInt(start + 62 * MINUTE),
    });
    panel.clock.set(start + 62 * MINUTE - 1);
    await runJob();
    expect(await runsOf(parent)).toHaveLength(1);
    panel.clock.set(start + 62 * MINUTE);
    await runJob();
    expect(await runsOf(parent)).toHaveLength(2);
    panel.clock.set(start + 77 * MINUTE);
    await runJob();
    expect(await runsOf(parent)).toHaveLength(3);

    // Down again, long past the last run's schedule: still one run now, then one per interval.
    panel.clock.set(start + 500 * MINUTE);
    await runJob();
    await runJob();
    expect(await runsOf(parent)).toHaveLength(4);
    for (const [minutes, count] of [
      [514, 4],
      [515, 5],
      [529, 5],
      [530, 6],
      [2000, 6],
    ] as const) {
      panel.clock.set(start + minutes * MINUTE);
      await runJob();
      expect(await runsOf(parent), `at ${minutes} minutes`).toHaveLength(count);
    }
    const runs = await runsOf(parent);
    expect(runs.map((run) => Number(run.run_number))).toEqual([1, 2, 3, 4, 5, 6]);
    expect(runs.map((run) => (Number(run.created_at) - start) / MINUTE)).toEqual([47, 62, 77, 500, 515, 530]);
    expect(await panel.db.get(selectParent, [parent])).toEqual({ runs_created: 6n, next_run_at: null });
    expect(await ledger(parent)).toEqual([`charge:${parent}=-37038`]);
  });

  it('a drip-feed of 5 runs yields exactly 5 children and one charge, across a worker restart', async () => {
    const user = await panel.customer('10');
    const start = panel.clock.now();
    // 1.23457 × (20 × 5) / 1000 = 0.123457 → 0.12346.
    const parent = await addDripfeed(user, 20, 5, 5);
    await runJob();
    panel.clock.set(start + 5 * MINUTE);
    await runJob();
    expect(await runsOf(parent)).toHaveLength(2);

    // The first worker is gone; each pass is a new process on the same database with nothing in
    // memory, running the job twice. Run 3 comes late (at 12), so run 4 is due at 17.
    for (const [minutes, count] of [
      [12, 3],
      [16, 3],
      [20, 4],
      [40, 5],
      [90, 5],
    ] as const) {
      const db = openDatabase(parseDatabaseUrl(panel.database.url));
      try {
        panel.clock.set(start + minutes * MINUTE);
        await runJob(new Panel(db, { clock: panel.clock }).ctx);
        await runJob(new Panel(db, { clock: panel.clock }).ctx);
      } finally {
        await db.close();
      }
      expect(await runsOf(parent), `at ${minutes} minutes`).toHaveLength(count);
    }

    // Exactly 5 children, run 1 to 5, each once.
    const runs = await runsOf(parent);
    expect(runs.map((run) => Number(run.run_number))).toEqual([1, 2, 3, 4, 5]);
    expect(await panel.db.get(selectParent, [parent])).toEqual({ runs_created: 5n, next_run_at: null });
    // Exactly one charge, on the parent; no ledger entry for any child, and none other for the user.
    expect(await ledger(parent)).toEqual([`charge:${parent}=-12346`]);
    for (const run of runs) expect(await ledger(Number(run.id))).toEqual([]);
    expect(Number((await panel.db.get<{ n: bigint }>(countUserLedger, [user.id]))!.n)).toBe(2);
    expect(await balance(user)).toBe('9.87654');
  });

  describe('status follows the runs', () => {
    it('aggregates remains, ends Partial and refunds charge × remains / total rounded down, once', async () => {
      const user = await panel.customer('10');
      // 1.23457 × 300 / 1000 = 0.370371 → 0.37038.
      const parent = await addDripfeed(user, 100, 3, 1);
      await runJobEachMinute(2);
      const [a, b, c] = await runIds(parent);
      expect(await statusText(user, parent)).toBe(
        parentStatus('0.37038', 'In progress', 300, 3, [a!, b!, c!]),
      );

      await admin(a!, 'Completed');
      expect(await statusText(user, parent)).toBe(
        parentStatus('0.37038', 'In progress', 200, 3, [a!, b!, c!]),
      );
      await admin(b!, 'In progress', { startCount: 9 });
      await admin(b!, 'Partial', { remains: 40 });
      expect(await statusText(user, parent)).toBe(
        parentStatus('0.37038', 'In progress', 140, 3, [a!, b!, c!]),
      );
      await admin(c!, 'Processing', { remains: 70 });
      expect(await statusText(user, parent)).toBe(
        parentStatus('0.37038', 'In progress', 110, 3, [a!, b!, c!]),
      );
      expect(await ledger(parent)).toEqual([`charge:${parent}=-37038`]);

      await admin(c!, 'Completed');
      // 0.37038 × 40 / 300 = 0.049384 → 0.04938; shown charge 0.37038 − 0.04938.
      expect(await statusText(user, parent)).toBe(parentStatus('0.32100', 'Partial', 40, 3, [a!, b!, c!]));
      expect(await ledger(parent)).toEqual([`charge:${parent}=-37038`, `refund:partial:${parent}=4938`]);
      expect(await balance(user)).toBe('9.67900');
      // Nothing moves a settled parent again.
      await runJob();
      expect(await ledger(parent)).toHaveLength(2);
    });

    it('ends Completed with no refund when every run is', async () => {
      const user = await panel.customer('10');
      const parent = await addDripfeed(user, 100, 2, 1);
      await runJobEachMinute(1);
      const ids = await runIds(parent);
      for (const id of ids) await admin(id, 'Completed');
      expect(await statusText(user, parent)).toBe(parentStatus('0.24692', 'Completed', 0, 2, ids));
      expect(await ledger(parent)).toEqual([`charge:${parent}=-24692`]);
    });

    it('Completed means remains 0: a run completed with remains left is refused, the parent ends Completed', async () => {
      const user = await panel.customer('10');
      const parent = await addDripfeed(user, 100, 2, 1);
      await runJobEachMinute(1);
      const [a, b] = await runIds(parent);
      await admin(a!, 'In progress', { startCount: 3, remains: 60 });
      expect(await updateOrderStatus(panel.ctx, { orderId: a!, status: 'Completed', remains: 50 })).toEqual({
        ok: false,
        failure: {
          code: 'INVALID_INPUT',
          field: 'remains',
          reason: 'Completed means remains 0; use Partial',
        },
      });
      expect((await runsOf(parent)).map((run) => [run.status, Number(run.remains)])).toEqual([
        ['in_progress', 60],
        ['pending', 100],
      ]);
      await admin(a!, 'Completed', { remains: 0 });
      // Completed without --remains clears what was left too.
      await admin(b!, 'Processing', { remains: 70 });
      await admin(b!, 'Completed');
      expect((await runsOf(parent)).map((run) => [run.status, Number(run.remains)])).toEqual([
        ['completed', 0],
        ['completed', 0],
      ]);
      expect(await statusText(user, parent)).toBe(parentStatus('0.24692', 'Completed', 0, 2, [a!, b!]));
      expect(await ledger(parent)).toEqual([`charge:${parent}=-24692`]);
      expect(await balance(user)).toBe('9.75308');
    });

    it('ends Canceled with the whole charge back when every run is canceled', async () => {
      const user = await panel.customer('10');
      const parent = await addDripfeed(user, 100, 2, 1);
      await runJobEachMinute(1);
      const ids = await runIds(parent);
      await admin(ids[0]!, 'Canceled');
      expect(await statusText(user, parent)).toBe(parentStatus('0.24692', 'In progress', 200, 2, ids));
      await admin(ids[1]!, 'Canceled');
      expect(await statusText(user, parent)).toBe(parentStatus('0.00000', 'Canceled', 200, 2, ids));
      expect(await balance(user)).toBe('10.00000');
    });

    it('refuses an admin update of the parent itself', async () => {
      const user = await panel.customer('10');
      const parent = await addDripfeed(user, 100, 2, 1);
      const result = await updateOrderStatus(panel.ctx, { orderId: parent, status: 'Completed' });
      expect(result).toEqual({
        ok: false,
        failure: {
          code: 'INVALID_INPUT',
          field: 'order',
          reason: "a drip-feed order's status follows its runs; update a run instead",
        },
      });
      expect(await statusText(user, parent)).toContain('"status":"Pending"');
    });
  });

  describe('cancel', () => {
    it('mid-way: stops further runs, cancels pending ones, refunds exactly what was not delivered', async () => {
      const user = await panel.customer('10');
      const start = panel.clock.now();
      const parent = await addDripfeed(user, 100, 5, 10);
      await runJob();
      const [first] = await runIds(parent);
      await admin(first!, 'In progress');
      panel.clock.set(start + 10 * MINUTE);
      await runJob();
      const [, second] = await runIds(parent);

      const answer = await panel.api({ key: user.apiKey, action: 'cancel', order: parent });
      expect(answer.text).toBe(`[{"order":${parent},"cancel":1}]`);
      // The pending run is canceled at once; the one in progress goes on, so the parent waits for it.
      expect((await runsOf(parent)).map((run) => run.status)).toEqual(['in_progress', 'canceled']);
      expect(await statusText(user, parent)).toBe(
        parentStatus('0.61729', 'In progress', 500, 5, [first!, second!]),
      );
      expect((await findCancelRequest(panel.db, parent))!.status).toBe('pending');
      // Asking again answers the same and records nothing new.
      expect((await panel.api({ key: user.apiKey, action: 'cancel', orders: `${parent}` })).text).toBe(
        `[{"order":${parent},"cancel":1}]`,
      );

      panel.clock.set(start + 600 * MINUTE);
      await runJob();
      expect(await runsOf(parent)).toHaveLength(2);

      await admin(first!, 'Partial', { remains: 30 });
      // Not delivered: 30 of run 1, all of the canceled run 2, and the 3 runs never created = 430 of 500.
      // 0.61729 × 430 / 500 = 0.5308694 → 0.53086.
      expect(await statusText(user, parent)).toBe(
        parentStatus('0.08643', 'Partial', 430, 5, [first!, second!]),
      );
      expect(await ledger(parent)).toEqual([`charge:${parent}=-61729`, `refund:partial:${parent}=53086`]);
      expect(await balance(user)).toBe('9.91357');
      expect((await findCancelRequest(panel.db, parent))!.status).toBe('done');
      expect((await panel.api({ key: user.apiKey, action: 'cancel', order: parent })).text).toBe(
        `[{"order":${parent},"cancel":{"error":"The order cannot be canceled"}}]`,
      );
      await runJob();
      expect(await runsOf(parent)).toHaveLength(2);
      expect(await ledger(parent)).toHaveLength(2);
    });

    it('before the first run: canceled and fully refunded at once, and no run is ever created', async () => {
      const user = await panel.customer('10');
      const parent = await addDripfeed(user, 100, 5, 10);
      const answer = await panel.api({ key: user.apiKey, action: 'cancel', orders: `${parent}` });
      expect(answer.text).toBe(`[{"order":${parent},"cancel":1}]`);
      expect(await statusText(user, parent)).toBe(parentStatus('0.00000', 'Canceled', 500, 5, []));
      expect(await balance(user)).toBe('10.00000');
      panel.clock.advance(600 * MINUTE);
      await runJob();
      expect(await runsOf(parent)).toHaveLength(0);
    });

    it('with only pending runs: all canceled, the parent Canceled with its whole charge back', async () => {
      const user = await panel.customer('10');
      const parent = await addDripfeed(user, 100, 4, 10);
      await runJob();
      panel.clock.advance(10 * MINUTE);
      await runJob();
      const ids = await runIds(parent);
      expect(ids).toHaveLength(2);
      const answer = await panel.api({ key: user.apiKey, action: 'cancel', order: parent });
      expect(answer.text).toBe(`[{"order":${parent},"cancel":1}]`);
      expect(await statusText(user, parent)).toBe(parentStatus('0.00000', 'Canceled', 400, 4, ids));
      expect(await ledger(parent)).toEqual([`charge:${parent}=-49383`, `refund:canceled:${parent}=49383`]);
      expect(await balance(user)).toBe('10.00000');
    });

    it('of a single pending run: that run is not delivered, the others go on', async () => {
      const user = await panel.customer('10');
      const parent = await addDripfeed(user, 100, 2, 1);
      await runJobEachMinute(1);
      const [a, b] = await runIds(parent);
      expect((await panel.api({ key: user.apiKey, action: 'cancel', order: a! })).text).toBe(
        `[{"order":${a},"cancel":1}]`,
      );
      expect(await statusText(user, parent)).toBe(parentStatus('0.24692', 'In progress', 200, 2, [a!, b!]));
      await admin(b!, 'Completed');
      // 0.24692 × 100 / 200 = 0.12346.
      expect(await statusText(user, parent)).toBe(parentStatus('0.12346', 'Partial', 100, 2, [a!, b!]));
      expect(await balance(user)).toBe('9.87654');
    });

    it('racing the job: every run either exists once or was never created, and the refund is exact', async () => {
      for (let i = 0; i < 5; i++) {
        const user = await panel.customer('10');
        const parent = await addDripfeed(user, 100, 3, 1);
        // Run 1 exists (pending) and run 2 is due as the cancel comes in.
        await runJob();
        panel.clock.advance(MINUTE);
        await Promise.all([
          runJob(),
          panel.api({ key: user.apiKey, action: 'cancel', order: parent }),
          runJob(),
        ]);
        const runs = await runsOf(parent);
        expect(runs.every((run) => run.status === 'canceled')).toBe(true);
        expect(new Set(runs.map((run) => run.run_number)).size).toBe(runs.length);
        expect(await statusText(user, parent)).toContain('"status":"Canceled"');
        expect(await balance(user)).toBe('10.00000');
        panel.clock.advance(10 * MINUTE);
        await runJob();
        expect(await runsOf(parent)).toHaveLength(runs.length);
      }
    });
  });

  it.runIf(TEST_DIALECT === 'postgres')(
    'two workers on separate connections racing the job create each run exactly once',
    async () => {
      // Earlier tests' parents get all their runs first (one per pass), so every run counted below
      // is one of these.
      do panel.clock.advance(24 * 60 * MINUTE);
      while ((await runJob()) > 0);
      const user = await panel.customer('100');
      const start = panel.clock.now();
      const parents: number[] = [];
      for (let i = 0; i < 30; i++) parents.push(await addDripfeed(user, 10, 6, 1));
      const dbs = [0, 1].map(() => openDatabase(parseDatabaseUrl(panel.database.url)));
      try {
        const contexts = dbs.map((db) => new Panel(db, { clock: panel.clock }).ctx);
        let created = 0;
        for (let minute = 0; minute <= 6; minute++) {
          panel.clock.set(start + minute * MINUTE);
          const counts = await Promise.all(Array.from({ length: 6 }, (_, i) => runJob(contexts[i % 2])));
          created += counts.reduce((sum, n) => sum + n, 0);
        }
        // Each run was created by exactly one of the racing jobs.
        expect(created).toBe(30 * 6);
      } finally {
        await Promise.all(dbs.map((db) => db.close()));
      }
      for (const parent of parents) {
        expect((await runsOf(parent)).map((run) => Number(run.run_number))).toEqual([1, 2, 3, 4, 5, 6]);
        expect(await panel.db.get(selectParent, [parent])).toEqual({ runs_created: 6n, next_run_at: null });
      }
      expect(Number((await panel.db.get<{ n: bigint }>(countUserLedger, [user.id]))!.n)).toBe(1 + 30);
    },
  );
});
