import type { Queryable } from '../../store/database.js';
import {
  type DueParentRow,
  advanceDripfeedRuns,
  claimDueDripfeeds,
  insertDripfeedRun,
} from '../../store/dripfeed.js';
import type { Context } from '../context.js';
import { settleDripfeedParent } from './settle-dripfeed-parent.js';

/** Parents claimed per transaction. */
const BATCH_SIZE = 50;
/** Runs one parent gets per transaction; a longer catch-up continues in the next batch. */
const MAX_RUNS_PER_PARENT = 500;
/** Batches per job run, so one run always ends; the next run picks up what is left. */
const MAX_BATCHES = 20;
const MINUTE_MS = 60_000;

/**
 * The worker's drip-feed job: creates every run that is due, found from rows alone. Run n of a
 * parent is due at created_at + (n − 1) × interval (the first at once), so after downtime every
 * missed run is created in one go. Parents are claimed in a transaction (PostgreSQL: row locks,
 * SKIP LOCKED, so several workers share the work) and `runs_created` moves by compare-and-set
 * while the unique (parent, run number) index makes each run exist once. Resolves to the number
 * of runs created.
 */
export async function createDueRuns(ctx: Context): Promise<number> {
  let created = 0;
  for (let batch = 0; batch < MAX_BATCHES; batch++) {
    const result = await ctx.db.transaction(async (tx) => {
      const now = ctx.clock.now();
      const parents = await claimDueDripfeeds(tx, now, BATCH_SIZE);
      let runs = 0;
      for (const parent of parents) runs += await createRunsFor(tx, ctx, parent, now);
      return { claimed: parents.length, runs };
    });
    created += result.runs;
    if (result.claimed < BATCH_SIZE) break;
  }
  return created;
}

async function createRunsFor(
  tx: Queryable,
  ctx: Context,
  parent: DueParentRow,
  now: number,
): Promise<number> {
  const id = Number(parent.id);
  const total = Number(parent.runs ?? 0n);
  const intervalMs = Math.max(Number(parent.interval_minutes ?? 1n), 1) * MINUTE_MS;
  const createdAt = Number(parent.created_at);
  const from = Number(parent.runs_created);
  const dueNow = Math.floor((now - createdAt) / intervalMs) + 1;
  const to = Math.max(from, Math.min(total, dueNow, from + MAX_RUNS_PER_PARENT));
  const nextRunAt = to < total ? createdAt + to * intervalMs : null;
  if (!(await advanceDripfeedRuns(tx, { id, from, to, nextRunAt, now }))) return 0;
  let runs = 0;
  for (let runNumber = from + 1; runNumber <= to; runNumber++) {
    if ((await insertDripfeedRun(tx, id, runNumber, now)) !== null) runs++;
  }
  if (runs > 0) await settleDripfeedParent(tx, ctx, id);
  return runs;
}
