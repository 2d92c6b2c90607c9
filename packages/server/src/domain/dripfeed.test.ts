import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { type DripfeedParent, type DripfeedRun, dripfeedProgress, nextDripfeedRunAt } from './dripfeed.js';
import { ORDER_STATUSES, type OrderStatus, isFinalOrderStatus } from './order-status.js';

/** 4 runs of 100. */
const parent = (overrides: Partial<DripfeedParent> = {}): DripfeedParent => ({
  quantity: 100,
  runs: 4,
  stopped: false,
  ...overrides,
});

const run = (status: OrderStatus, remains = status === 'completed' ? 0 : 100): DripfeedRun => ({
  status,
  remains,
});

describe('dripfeedProgress', () => {
  it('pending: no run yet, everything remains', () => {
    expect(dripfeedProgress(parent(), [])).toEqual({ status: 'pending', remains: 400, finished: false });
  });

  describe('in progress', () => {
    it('while a run is open', () => {
      for (const status of ['pending', 'in_progress', 'processing'] as const) {
        expect(dripfeedProgress(parent(), [run('completed'), run(status, 60)]), status).toEqual({
          status: 'in_progress',
          remains: 60 + 200,
          finished: false,
        });
      }
    });

    it('while every run so far is finished but more are due', () => {
      expect(dripfeedProgress(parent(), [run('completed'), run('completed'), run('completed')])).toEqual({
        status: 'in_progress',
        remains: 100,
        finished: false,
      });
    });

    it('while every run exists and one is still open', () => {
      const runs = [run('completed'), run('partial', 10), run('canceled'), run('in_progress', 100)];
      expect(dripfeedProgress(parent(), runs)).toEqual({
        status: 'in_progress',
        remains: 0 + 10 + 100 + 100,
        finished: false,
      });
    });
  });

  it('completed: every run exists and is Completed', () => {
    const runs = [run('completed'), run('completed'), run('completed'), run('completed')];
    expect(dripfeedProgress(parent(), runs)).toEqual({ status: 'completed', remains: 0, finished: true });
  });

  it('partial: every run finished, some units not delivered', () => {
    const runs = [run('completed'), run('partial', 25), run('completed'), run('canceled')];
    expect(dripfeedProgress(parent(), runs)).toEqual({ status: 'partial', remains: 125, finished: true });
    // A run that delivered nothing but was not canceled still leaves the parent Partial.
    expect(dripfeedProgress(parent({ runs: 2 }), [run('completed'), run('partial', 100)])).toEqual({
      status: 'partial',
      remains: 100,
      finished: true,
    });
  });

  it('canceled: every run finished and nothing was delivered', () => {
    const runs = [run('canceled'), run('canceled'), run('partial', 100), run('canceled', 0)];
    expect(dripfeedProgress(parent(), runs)).toEqual({ status: 'canceled', remains: 400, finished: true });
  });

  describe('stopped (the customer canceled): no further run is expected', () => {
    it('before any run: canceled, everything remains', () => {
      expect(dripfeedProgress(parent({ stopped: true }), [])).toEqual({
        status: 'canceled',
        remains: 400,
        finished: true,
      });
    });

    it('with an open run: waits for it', () => {
      expect(dripfeedProgress(parent({ stopped: true }), [run('completed'), run('in_progress', 40)])).toEqual(
        {
          status: 'in_progress',
          remains: 40 + 200,
          finished: false,
        },
      );
    });

    it('once its runs are finished: partial, the runs never created counting as not delivered', () => {
      expect(dripfeedProgress(parent({ stopped: true }), [run('completed'), run('partial', 30)])).toEqual({
        status: 'partial',
        remains: 30 + 200,
        finished: true,
      });
    });

    it('with only canceled runs: canceled', () => {
      expect(dripfeedProgress(parent({ stopped: true }), [run('canceled'), run('canceled', 0)])).toEqual({
        status: 'canceled',
        remains: 400,
        finished: true,
      });
    });

    it('after its last run was created and completed: completed', () => {
      const runs = [run('completed'), run('completed'), run('completed'), run('completed')];
      expect(dripfeedProgress(parent({ stopped: true }), runs)).toEqual({
        status: 'completed',
        remains: 0,
        finished: true,
      });
    });
  });

  describe('clamping', () => {
    it("a run's remains count within 0..quantity", () => {
      const runs = [run('partial', -50), run('partial', 250), run('completed', -1), run('completed', 0)];
      expect(dripfeedProgress(parent(), runs)).toEqual({ status: 'partial', remains: 100, finished: true });
    });

    it('a canceled run counts in full, whatever remains it shows', () => {
      expect(dripfeedProgress(parent({ runs: 2 }), [run('canceled', 0), run('completed')])).toEqual({
        status: 'partial',
        remains: 100,
        finished: true,
      });
    });

    it('more runs than the parent asked for keep remains within 0..runs × quantity', () => {
      const completed = Array.from({ length: 6 }, () => run('completed'));
      expect(dripfeedProgress(parent(), completed)).toEqual({
        status: 'completed',
        remains: 0,
        finished: true,
      });
      const canceled = Array.from({ length: 6 }, () => run('canceled'));
      expect(dripfeedProgress(parent(), canceled)).toEqual({
        status: 'canceled',
        remains: 400,
        finished: true,
      });
    });
  });

  it('keeps remains within 0..runs × quantity and a finished status final', () => {
    const arbitrary = fc.record({
      quantity: fc.integer({ min: 1, max: 10_000 }),
      runs: fc.integer({ min: 2, max: 12 }),
      stopped: fc.boolean(),
    });
    const runs = fc.array(
      fc.record({
        status: fc.constantFrom(...ORDER_STATUSES),
        remains: fc.integer({ min: -20_000, max: 20_000 }),
      }),
      { maxLength: 14 },
    );
    fc.assert(
      fc.property(arbitrary, runs, (p, rs) => {
        const progress = dripfeedProgress(p, rs);
        expect(progress.remains).toBeGreaterThanOrEqual(0);
        expect(progress.remains).toBeLessThanOrEqual(p.quantity * p.runs);
        expect(progress.finished).toBe(isFinalOrderStatus(progress.status));
        if (progress.status === 'completed') expect(progress.remains).toBe(0);
        if (progress.status === 'canceled') expect(progress.remains).toBe(p.quantity * p.runs);
        if (!p.stopped && rs.length < p.runs) expect(progress.finished).toBe(false);
      }),
    );
  });
});

describe('nextDripfeedRunAt', () => {
  const MINUTE = 60_000;
  const created = Date.UTC(2026, 0, 1, 12, 0, 0);
  const every15 = { createdAt: created, intervalMinutes: 15 };

  it('on schedule: one interval after the run just created', () => {
    expect(nextDripfeedRunAt(every15, 1, created)).toBe(created + 15 * MINUTE);
    expect(nextDripfeedRunAt(every15, 3, created + 30 * MINUTE)).toBe(created + 45 * MINUTE);
  });

  it('late (the worker was down): one interval after now, never sooner', () => {
    expect(nextDripfeedRunAt(every15, 1, created + 47 * MINUTE)).toBe(created + 62 * MINUTE);
    expect(nextDripfeedRunAt(every15, 3, created + 30 * MINUTE + 1)).toBe(created + 45 * MINUTE + 1);
  });

  it('never before the schedule of the next run', () => {
    expect(nextDripfeedRunAt(every15, 3, created)).toBe(created + 45 * MINUTE);
  });

  it('reads an interval under one minute as one minute', () => {
    expect(nextDripfeedRunAt({ createdAt: created, intervalMinutes: 0 }, 1, created)).toBe(created + MINUTE);
  });

  it('is at least one interval after now and after the run just scheduled', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 10_000 }),
        fc.integer({ min: 1, max: 1000 }),
        fc.integer({ min: 0, max: 10 ** 9 }),
        (interval, n, late) => {
          const scheduled = created + (n - 1) * interval * MINUTE;
          const next = nextDripfeedRunAt(
            { createdAt: created, intervalMinutes: interval },
            n,
            scheduled + late,
          );
          expect(next).toBe(Math.max(scheduled + late, scheduled) + interval * MINUTE);
          expect(next - (scheduled + late)).toBeGreaterThanOrEqual(interval * MINUTE);
        },
      ),
    );
  });
});
