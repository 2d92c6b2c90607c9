import { BoundedMap } from '../../domain/bounded-map.js';

/**
 * A caller as a key said it was when last read: only ever trusted where the write that follows
 * checks it again (see `VerifiedCaller`), never to answer on its own.
 */
export interface CachedCaller {
  readonly keyId: number;
  readonly userId: number;
  readonly rateLimitPerMinute: number | null;
}

/**
 * Thrown where an order placed for a cached caller finds the key no longer says what the cache
 * did (revoked, the user suspended, their rate limit changed), or where it cannot check: nothing
 * was written, and the request is authenticated again as if it had never been cached.
 */
export class StaleCaller extends Error {
  constructor() {
    super('the cached API caller no longer matches its key');
  }
}

const DEFAULT_MAX_ENTRIES = 10_000;

/**
 * API key hash → caller, for plain `add`s on SQLite: the key is checked again inside the batch's
 * write transaction (app/orders/order-batch.ts), under the write lock, instead of read before
 * it on the reader, whose page cache every commit empties (measured under `add` at 64 connections,
 * 1M orders: the key read cost ~20 µs of the ~120 µs each order takes on the event loop). Bounded:
 * the oldest entry goes first.
 */
export class ApiCallerCache extends BoundedMap<string, CachedCaller> {
  constructor(maxEntries = DEFAULT_MAX_ENTRIES) {
    super(maxEntries);
  }
}
