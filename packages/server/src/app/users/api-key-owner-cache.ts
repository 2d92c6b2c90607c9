import { BoundedMap } from '../../domain/bounded-map.js';
import { API_KEYS_CHANNEL } from '../../store/api-keys.js';
import type { Database } from '../../store/database.js';
import { ChannelWatch, type ChannelWatchOptions } from '../channel-watch.js';
import type { CachedCaller } from './api-caller-cache.js';

export interface ApiKeyOwnerCacheOptions extends ChannelWatchOptions {
  /** The whole copy is dropped this often, heard or not: a belt for a notification missed (ms). */
  readonly dropIntervalMs?: number;
  readonly maxEntries?: number;
}

/** How long a key's owner is trusted at most without being read again, whatever is heard. */
export const KEY_OWNERS_DROP_INTERVAL_MS = 5000;
const DEFAULT_MAX_ENTRIES = 10_000;

/**
 * PostgreSQL: API key hash → its caller as last read, for the reads that need only the user id
 * (`ownerRead`: `services`, `status` of many orders, `refill_status`), which then skip a round trip per
 * answer to read the key; `services` answers from this process alone, its catalogue copy kept the same
 * way (app/catalog/service-list-cache.ts). Issue 17 item 3: that read was most of a `services` answer's
 * cost. Unlike `ApiCallerCache`, nothing checks an entry again afterwards, so it is
 * trusted only while this process hears `API_KEYS_CHANNEL`, which every change to a key or to its
 * user's status or rate limit NOTIFYs on commit (migration 0028's triggers; the panel's own
 * writers, for its own changes to be seen at once):
 *
 * - each notification drops the whole copy;
 * - while the listening connection is down (or before it is up) nothing is trusted or kept: each
 *   request reads its key, as on SQLite;
 * - a key read begun before a drop is not kept, since it may hold what the drop was about (see
 *   `readToken`);
 * - the copy is also dropped every few seconds, so a notification that never arrives (a proxy that
 *   loses it, a connection cut unnoticed) leaves a revoked key answering those reads for that long
 *   at most.
 *
 * Only keys found are kept: an unknown key is read every time, and a new key needs no notification.
 */
export class ApiKeyOwnerCache {
  private readonly owners: BoundedMap<string, CachedCaller>;
  /** Bumped by every drop. */
  private generation = 0;
  private readonly watch = new ChannelWatch(API_KEYS_CHANNEL, () => this.drop());
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly db: Database | null = null,
    private readonly options: ApiKeyOwnerCacheOptions = {},
  ) {
    this.owners = new BoundedMap(options.maxEntries ?? DEFAULT_MAX_ENTRIES);
  }

  /** PostgreSQL: starts listening for key changes (a no-op on SQLite or without a database). */
  start(): void {
    if (!this.watch.start(this.db, this.options)) return;
    this.timer = setInterval(() => this.drop(), this.options.dropIntervalMs ?? KEY_OWNERS_DROP_INTERVAL_MS);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.watch.stop();
  }

  /** True while key changes are heard by notification: the copy is used. */
  get listening(): boolean {
    return this.watch.heard;
  }

  /** The server process id of the listening connection while it is up. */
  get listenerPid(): number | null {
    return this.watch.listenerPid;
  }

  /** The caller the key was last read to have, while trusted; undefined: read the key. */
  get(keyHash: string): CachedCaller | undefined {
    return this.watch.heard ? this.owners.get(keyHash) : undefined;
  }

  /** Taken just before a key is read, for `remember`: null while nothing may be kept. */
  get readToken(): number | null {
    return this.watch.heard ? this.generation : null;
  }

  /** Keeps what a read of the key found, unless the copy was dropped since the read began. */
  remember(keyHash: string, caller: CachedCaller, readToken: number | null): void {
    if (readToken === null || readToken !== this.generation || !this.watch.heard) return;
    this.owners.set(keyHash, {
      keyId: caller.keyId,
      userId: caller.userId,
      rateLimitPerMinute: caller.rateLimitPerMinute,
    });
  }

  /** Forgets a key this process found invalid itself: its later reads read it too. */
  forget(keyHash: string): void {
    this.owners.delete(keyHash);
  }

  /** Entries kept now (for tests and diagnostics). */
  get size(): number {
    return this.owners.size;
  }

  private drop(): void {
    this.generation++;
    this.owners.clear();
  }
}
