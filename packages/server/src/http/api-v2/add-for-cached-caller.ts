import { CommitNotDurable, placeOrder } from '../../app/orders/place-order.js';
import { StaleCaller } from '../../app/users/api-caller-cache.js';
import { type ApiCaller, apiKeyHash, authenticateApiKey } from '../../app/users/authenticate-api-key.js';
import type { Panel } from '../../panel.js';
import type { Params } from '../request-params.js';
import { type Answer, answer, errorAnswer, rateLimitedAnswer } from './answer.js';

/** Whether `add` with these parameters may take its caller from the cache (a plain order, SQLite). */
export function mayUseCachedCaller(
  panel: Panel,
  params: Params,
  headers: { idempotencyKey?: string | undefined },
): boolean {
  return panel.ctx.db.dialect === 'sqlite' && !(params.request_id ?? headers.idempotencyKey)?.trim();
}

/** Remembers the caller a read of the key found, for the next `add`s with it. */
export function rememberCaller(panel: Panel, caller: ApiCaller): void {
  panel.apiCallers.set(caller.keyHash, {
    keyId: caller.keyId,
    userId: caller.userId,
    rateLimitPerMinute: caller.rateLimitPerMinute,
  });
}

/**
 * The rate limiter's verdict: seconds to wait, 0 to go on. Synchronous but for a user's first
 * request of a window on a node sharing its counts (see RateLimiter.admit).
 */
export function admitCaller(
  panel: Panel,
  caller: { userId: number; rateLimitPerMinute: number | null },
): number | Promise<number> {
  return panel.rateLimiter.admit(caller.userId, caller.rateLimitPerMinute);
}

/**
 * `add` for a key whose caller is cached (null when it is not: the caller reads the key). The
 * order's batch checks the key inside its write transaction, so an order id is only ever answered
 * for a key valid when the order was written. Every other answer (an error, "too many requests")
 * is given only after a read shows the key valid now, else it is "Invalid API key", as it would
 * have been without the cache. A caller the batch no longer confirms (revoked, suspended, a
 * changed rate limit) places nothing there: the key is read again and the order placed as any
 * other. The rate limiter counts the request once, under the limit the key has now: where the
 * read finds another limit than the cache's, the request is taken back and judged again under it,
 * and a request whose key turns out invalid is taken back (the uncached path never counts those).
 */
export async function addForCachedCaller(panel: Panel, params: Params): Promise<Answer | null> {
  const keyHash = apiKeyHash(params.key);
  const cached = keyHash === null ? undefined : panel.apiCallers.get(keyHash);
  if (keyHash === null || !cached) return null;

  const firstWait = await admitCaller(panel, cached);
  // Whether the limiter counted it (it counts only what it admits under a limit).
  const counted = firstWait === 0 && panel.rateLimiter.limitFor(cached.rateLimitPerMinute) !== 0;

  /**
   * The key read again: its caller now and the rate limiter's verdict under the limit the key has
   * now (the first one stands when the limit is the same), or the answer for a key no longer valid.
   */
  const readKeyAgain = async (): Promise<{ caller: ApiCaller; wait: number } | { invalid: Answer }> => {
    const auth = await authenticateApiKey(panel.ctx, params.key);
    if (!auth.ok) {
      panel.apiCallers.delete(keyHash);
      if (counted) panel.rateLimiter.takeBack(cached.userId);
      return { invalid: errorAnswer(auth.failure) };
    }
    rememberCaller(panel, auth.value);
    if (auth.value.rateLimitPerMinute === cached.rateLimitPerMinute)
      return { caller: auth.value, wait: firstWait };
    if (counted) panel.rateLimiter.takeBack(cached.userId);
    return { caller: auth.value, wait: await admitCaller(panel, auth.value) };
  };

  /** The order placed as an uncached caller's would be: the key and the service read anew. */
  const placeAfresh = async (caller: ApiCaller): Promise<Answer> => {
    const result = await placeOrder(panel.contextFor(caller), { userId: caller.userId, params });
    return result.ok ? answer(result.value) : errorAnswer(result.failure);
  };

  if (firstWait > 0) {
    const now = await readKeyAgain();
    if ('invalid' in now) return now.invalid;
    return now.wait > 0 ? rateLimitedAnswer(now.wait) : placeAfresh(now.caller);
  }
  let result: Awaited<ReturnType<typeof placeOrder>>;
  try {
    result = await placeOrder(panel.contextFor(cached), {
      userId: cached.userId,
      params,
      cachedCaller: cached,
      offers: panel.serviceOffers,
    });
  } catch (error) {
    // Written, perhaps not durably: no other answer may suggest it was not.
    if (error instanceof CommitNotDurable) throw error;
    const stale = error instanceof StaleCaller;
    if (stale) panel.apiCallers.delete(keyHash);
    const now = await readKeyAgain();
    if ('invalid' in now) return now.invalid;
    // Anything else failed for a valid key: as it would have without the cache.
    if (!stale) throw error;
    return now.wait > 0 ? rateLimitedAnswer(now.wait) : placeAfresh(now.caller);
  }
  if (result.ok) return answer(result.value);
  const now = await readKeyAgain();
  if ('invalid' in now) return now.invalid;
  return now.wait > 0 ? rateLimitedAnswer(now.wait) : errorAnswer(result.failure);
}
