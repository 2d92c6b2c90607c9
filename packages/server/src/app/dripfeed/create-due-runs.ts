import { nextDripfeedRunAt } from '../../domain/dripfeed.js';
import type { Queryable } from '../../store/database.js';
import {
  type DueDripfeed,
  advanceDripfeedRuns,
  claimDueDripfeeds,
  insertDripfeedRun,
} from '../../store/dripfeed.js';
import type { Context } from '../context.js';
import { settleDripfeedParent } from '../orders/settle-dripfeed-parent.js';
import { notifyOrderCreated } from '../webhooks/notify-order-updated.js';

/** Parents claimed per transaction. */
const BATCH_SIZE = 50;
/** Batches per job run, so one run always ends; the next run picks up what is left. */
const MAX_BATCHES = 20;

/**
 * The worker's drip-feed job: creates the runs that are due, found from rows alone. Run n of a
 * parent is scheduled at created_at + (n − 1) × interval (the first at once), but a parent gets at
 * most one run per pass, and the next one is due one interval after that run was created: after
 * downtime the missed runs follow one interval apart, never in a burst onto one link, and none is
 * skipped (runs are counted, not dated). Parents are claimed in a transaction (PostgreSQL: row
 * locks, SKIP LOCKED, so several workers share the work) and `runs_created` moves by
 * compare-and-set while the unique (parent, run number) index makes each run exist once. Resolves
 * to the number of runs created.
 */
export async function createDueRuns(ctx: Context): Promise<number> {
  let created = 0;
  for (let batch = 0; batch < MAX_BATCHES; batch++) {
    const result = await ctx.db.transaction(async (tx) => {
      const now = ctx.clock.now();
      const parents = await claimDueDripfeeds(tx, now, BATCH_SIZE);
      let runs = 0;
      for (const parent of parents) runs += await createRunFor(tx, ctx, parent, now);
      return { claimed: parents.length, runs };
    });
    created += result.runs;
    if (result.claimed < BATCH_SIZE) break;
  }
  return created;
}

async function createRunFor(tx: Queryable, ctx: Context, parent: DueDripfeed, now: number): Promise<number> {
  const { id } = parent;
  const total = parent.runs ?? 0;
  const from = parent.runsCreated;
  // One run per pass; a parent with every run made already only has its due time cleared.
  const to = from < total ? from + 1 : from;
  const nextRunAt =
    to < total
      ? nextDripfeedRunAt(
          { createdAt: parent.createdAt, intervalMinutes: parent.intervalMinutes ?? 1 },
          to,
          now,
        )
      : null;
  if (!(await advanceDripfeedRuns(tx, { id, from, to, nextRunAt, now }))) return 0;
  const runId = to === from ? null : await insertDripfeedRun(tx, id, to, now);
  if (runId === null) return 0;
  await notifyOrderCreated(tx, ctx, { userId: parent.userId, orderId: runId });
  await settleDripfeedParent(tx, ctx, id);
  return 1;
}
