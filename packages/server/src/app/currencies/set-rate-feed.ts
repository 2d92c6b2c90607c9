import { formatSyncEvery, parseSyncEvery } from '../../domain/catalog-sync.js';
import { type Failure, type Result, fail, ok } from '../../domain/errors.js';
import { saveCurrencyFeed } from '../../store/currency-feed.js';
import { recordAudit } from '../audit.js';
import type { Context } from '../context.js';

const invalid = (field: string, reason: string): Failure => ({ code: 'INVALID_INPUT', field, reason });

function isHttpUrl(text: string): boolean {
  try {
    const url = new URL(text);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}

/**
 * Sets the exchange-rate feed (`currency feed --url URL --every 1h`; first read at once by the
 * worker) or turns it off (`--every off`); rates already read stay.
 */
export async function setRateFeed(
  ctx: Context,
  input: { url: string; every: string },
): Promise<Result<{ url: string | null; every: string }>> {
  const every = parseSyncEvery(input.every);
  if (!every.ok) return fail(invalid('every', every.reason));
  const url = input.url.trim();
  if (every.ms !== null && (!isHttpUrl(url) || url.length > 2000))
    return fail(invalid('url', 'an http:// or https:// address of a JSON rate feed'));
  return ctx.db.transaction(async (tx) => {
    const now = ctx.clock.now();
    const feed = every.ms === null ? null : { url, everyMs: every.ms, nextAt: now };
    await saveCurrencyFeed(tx, feed, now);
    await recordAudit(tx, ctx, 'currency.feed', 'currency-feed', {
      url: feed?.url ?? null,
      every: formatSyncEvery(every.ms),
    });
    return ok({ url: feed?.url ?? null, every: formatSyncEvery(every.ms) });
  });
}
