import { readRateFeed } from '../../domain/currency.js';
import { claimCurrencyFeed, finishCurrencyFeed } from '../../store/currency-feed.js';
import { setExchangeRate } from '../../store/exchange-rates.js';
import type { Context } from '../context.js';

/** Longer than a reading can take (one bounded request and one transaction): a live claim holds. */
const LEASE_MS = 5 * 60_000;
const FEED_TIMEOUT_MS = 15_000;
/** A rate feed is a few kilobytes; anything far larger is not one. */
const MAX_FEED_BYTES = 1_000_000;

export interface RateFeedRun {
  /** Whether this worker read the feed (false: not due, or another worker holds it). */
  readonly read: boolean;
  readonly changed: number;
  readonly error: string | null;
}

async function fetchFeed(url: string): Promise<{ ok: true; body: unknown } | { ok: false; reason: string }> {
  try {
    const response = await fetch(url, {
      signal: AbortSignal.timeout(FEED_TIMEOUT_MS),
      headers: { accept: 'application/json' },
      redirect: 'error',
    });
    if (!response.ok) return { ok: false, reason: `the feed answered HTTP ${response.status}` };
    const text = await response.text();
    if (text.length > MAX_FEED_BYTES) return { ok: false, reason: 'the feed is larger than 1 MB' };
    try {
      return { ok: true, body: JSON.parse(text) as unknown };
    } catch {
      return { ok: false, reason: 'the feed is not JSON' };
    }
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return { ok: false, reason: `the feed could not be read: ${reason}` };
  }
}

/**
 * The worker's `read-rate-feed` job: when the feed is due it is claimed (a lease on its one row,
 * committed before the request, so two workers never read it at once), read, and every rate that
 * changed is set and recorded in one transaction. A feed that fails leaves every rate as it was and
 * keeps the error for the admin; either way the next reading is one interval on.
 */
export async function runRateFeed(ctx: Context): Promise<RateFeedRun> {
  const now = ctx.clock.now();
  const leaseUntil = now + LEASE_MS;
  const feed = await ctx.db.transaction((tx) => claimCurrencyFeed(tx, { now, leaseUntil }));
  if (!feed) return { read: false, changed: 0, error: null };
  const fetched = await fetchFeed(feed.url);
  const reading = fetched.ok ? readRateFeed(fetched.body, ctx.currency) : fetched;
  if (!reading.ok) {
    await ctx.db.transaction((tx) =>
      finishCurrencyFeed(tx, { leaseUntil, now: ctx.clock.now(), error: reading.reason }),
    );
    return { read: true, changed: 0, error: reading.reason };
  }
  const changed = await ctx.db.transaction(async (tx) => {
    const at = ctx.clock.now();
    let count = 0;
    for (const [currency, rate] of reading.reading.rates) {
      if (await setExchangeRate(tx, { currency, base: ctx.currency, rate, source: 'feed', now: at })) count++;
    }
    await finishCurrencyFeed(tx, { leaseUntil, now: at, error: null });
    return count;
  });
  return { read: true, changed, error: null };
}
