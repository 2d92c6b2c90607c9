import { placeOrder } from '../../app/orders/place-order.js';
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

/** The rate limiter's verdict: seconds to wait, 0 to go on. */
export async function admitCaller(
  panel: Panel,
  caller: { userId: number; rateLimitPerMinute: number | null },
): Promise<number> {
  const admitted = panel.rateLimiter.admit(caller.userId, caller.rateLimitPerMinute);
  return typeof admitted === 'number' ? admitted : await admitted;
}

/**
 * `add` for a key whose caller is cached (null when it is not: the caller reads the key). The
 * order's batch checks the key inside its write transaction, so an order id is only ever answered
 * for a key valid when the order was written. Every other answer (an error, "too many requests")
 * is given only after a read shows the key valid now, else it is "Invalid API key", as it would
 * have been without the cache. A caller the batch no longer confirms (revoked, suspended, a
 * changed rate limit) places nothing there: the key is read again and the order placed as any
 * other (counted against the new rate limit, unless the cached one had counted it already).
 */
export async function addForCachedCaller(panel: Panel, params: Params): Promise<Answer | null> {
  const keyHash = apiKeyHash(params.key);
  const cached = keyHash === null ? undefined : panel.apiCallers.get(keyHash);
  if (keyHash === null || !cached) return null;

  /** The key read again: its caller now, or the answer for a key that is no longer valid. */
  const readKeyAgain = async (): Promise<{ caller: ApiCaller } | { invalid: Answer }> => {
    const auth = await authenticateApiKey(panel.ctx, params.key);
    if (!auth.ok) {
      panel.apiCallers.delete(keyHash);
      return { invalid: errorAnswer(auth.failure) };
    }
    rememberCaller(panel, auth.value);
    return { caller: auth.value };
  };

  const retryAfter = await admitCaller(panel, cached);
  if (retryAfter > 0) {
    const now = await readKeyAgain();
    return 'invalid' in now ? now.invalid : rateLimitedAnswer(retryAfter);
  }
  try {
    const result = await placeOrder(panel.contextFor(cached), {
      userId: cached.userId,
      params,
      cachedCaller: cached,
    });
    if (result.ok) return answer(result.value);
    const now = await readKeyAgain();
    return 'invalid' in now ? now.invalid : errorAnswer(result.failure);
  } catch (error) {
    if (!(error instanceof StaleCaller)) throw error;
    panel.apiCallers.delete(keyHash);
    const now = await readKeyAgain();
    if ('invalid' in now) return now.invalid;
    // Counted under the cached limit only if that limit was one: under none, it is counted now.
    if (panel.rateLimiter.limitFor(cached.rateLimitPerMinute) === 0) {
      const wait = await admitCaller(panel, now.caller);
      if (wait > 0) return rateLimitedAnswer(wait);
    }
    const result = await placeOrder(panel.contextFor(now.caller), { userId: now.caller.userId, params });
    return result.ok ? answer(result.value) : errorAnswer(result.failure);
  }
}
