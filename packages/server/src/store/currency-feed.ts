import { numberOrNull } from './column-values.js';
import { type Queryable, sql } from './database.js';

/** The exchange-rate feed the admin configured: where, how often, and how the last reading went. */
export interface CurrencyFeed {
  readonly url: string;
  readonly everyMs: number;
  readonly nextAt: number;
  readonly lastOkAt: number | null;
  readonly lastError: string | null;
  readonly lastErrorAt: number | null;
}

interface FeedRow {
  url: string;
  every_ms: bigint;
  next_at: bigint;
  last_ok_at: bigint | null;
  last_error: string | null;
  last_error_at: bigint | null;
}

function toFeed(row: FeedRow): CurrencyFeed {
  return {
    url: row.url,
    everyMs: Number(row.every_ms),
    nextAt: Number(row.next_at),
    lastOkAt: numberOrNull(row.last_ok_at),
    lastError: row.last_error,
    lastErrorAt: numberOrNull(row.last_error_at),
  };
}

const FEED_COLUMNS = 'url, every_ms, next_at, last_ok_at, last_error, last_error_at';
const selectFeedSql = sql(`SELECT ${FEED_COLUMNS} FROM currency_feed WHERE id = 1`);
// A new address or cadence is read at once (next_at = now); its past errors belong to the old one.
const upsertFeedSql = sql(
  `INSERT INTO currency_feed (id, url, every_ms, next_at, updated_at) VALUES (1, ?, ?, ?, ?)
   ON CONFLICT (id) DO UPDATE SET url = excluded.url, every_ms = excluded.every_ms, next_at = excluded.next_at,
     lease_until = NULL, last_error = NULL, last_error_at = NULL, updated_at = excluded.updated_at`,
);
const deleteFeedSql = sql('DELETE FROM currency_feed WHERE id = 1');
// The compare-and-set: due and not held by a live lease. One row, so one worker wins it.
const claimFeedSql = sql(
  `UPDATE currency_feed SET lease_until = ?
   WHERE id = 1 AND next_at <= ? AND (lease_until IS NULL OR lease_until < ?)
   RETURNING ${FEED_COLUMNS}`,
);
const finishOkSql = sql(
  `UPDATE currency_feed SET lease_until = NULL, next_at = ? + every_ms, last_ok_at = ?
   WHERE id = 1 AND lease_until = ?`,
);
const finishErrorSql = sql(
  `UPDATE currency_feed SET lease_until = NULL, next_at = ? + every_ms, last_error = ?, last_error_at = ?
   WHERE id = 1 AND lease_until = ?`,
);

export async function findCurrencyFeed(q: Queryable): Promise<CurrencyFeed | undefined> {
  const row = await q.get<FeedRow>(selectFeedSql);
  return row ? toFeed(row) : undefined;
}

/** Sets the feed (read first at `nextAt`), or removes it (null). */
export async function saveCurrencyFeed(
  q: Queryable,
  feed: { url: string; everyMs: number; nextAt: number } | null,
  now: number,
): Promise<void> {
  if (feed === null) await q.run(deleteFeedSql);
  else await q.run(upsertFeedSql, [feed.url, feed.everyMs, feed.nextAt, now]);
}

/** Claims a due feed reading until `leaseUntil`: however many workers run, one reads it. */
export async function claimCurrencyFeed(
  q: Queryable,
  claim: { now: number; leaseUntil: number },
): Promise<CurrencyFeed | undefined> {
  const row = await q.get<FeedRow>(claimFeedSql, [claim.leaseUntil, claim.now, claim.now]);
  return row ? toFeed(row) : undefined;
}

/** Ends a claimed reading: next one interval on; the error (rates kept as they were) or the time it worked. */
export async function finishCurrencyFeed(
  q: Queryable,
  finish: { leaseUntil: number; now: number; error: string | null },
): Promise<boolean> {
  const { leaseUntil, now, error } = finish;
  const changed =
    error === null
      ? await q.run(finishOkSql, [now, now, leaseUntil])
      : await q.run(finishErrorSql, [now, error, now, leaseUntil]);
  return changed === 1;
}
