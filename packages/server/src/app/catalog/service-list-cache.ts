import { formatRate } from '../../domain/money.js';
import { CATALOG_CHANNEL, catalogVersion } from '../../store/catalog-version.js';
import type { Database, Queryable } from '../../store/database.js';
import { type Service, listEnabledServices } from '../../store/services.js';
import { listUserRates } from '../../store/user-rates.js';
import { ChannelWatch, type ChannelWatchOptions } from '../channel-watch.js';

interface Snapshot {
  readonly version: bigint;
  readonly services: readonly Service[];
  /** The shared answer, for every user without custom rates. */
  readonly shared: Buffer;
  /** Custom rates by user, then by service. */
  readonly customRates: ReadonlyMap<number, ReadonlyMap<number, bigint>>;
  /** Answers of users with custom rates, built on first ask. */
  readonly personal: Map<number, Buffer>;
}

function serialize(services: readonly Service[], rates?: ReadonlyMap<number, bigint>): Buffer {
  const list = services.map((s) => ({
    service: s.id,
    name: s.name,
    type: s.type,
    category: s.category,
    rate: formatRate(rates?.get(s.id) ?? s.rate),
    min: String(s.minQuantity),
    max: String(s.maxQuantity),
    refill: s.refill,
    cancel: s.cancel,
    dripfeed: s.dripfeed,
    desc: s.description,
  }));
  return Buffer.from(JSON.stringify(list));
}

export interface ServiceListCacheOptions extends ChannelWatchOptions {
  /** While notifications are heard, the version is still read this often, in case one was missed (ms). */
  readonly checkIntervalMs?: number;
}

/** How often the version is read while notifications are heard: a belt for one missed. */
export const CATALOG_CHECK_INTERVAL_MS = 5000;

/**
 * The `services` answer, serialised once per catalogue version rather than per request. Every
 * change to services or rates bumps `catalog_state.version` in its own transaction.
 *
 * On SQLite one primary-key read per request tells this process (and every other one) that its
 * copy is stale. On PostgreSQL, once `start` has it LISTENing (a dedicated connection) on the
 * channel every such transaction NOTIFYs, the copy is trusted until a notification drops it, and
 * no request reads the version. While that connection is down (or before it is up) the process is
 * unsure: the copy is dropped and requests read the version as on SQLite; it is dropped again when
 * LISTEN is back, since a change may have committed in between unheard. The version is also read
 * every few seconds in case a notification never arrives (a proxy that drops them, a connection
 * cut without the process noticing).
 */
export class ServiceListCache {
  private snapshot: Snapshot | null = null;
  private loading: { version: bigint; snapshot: Promise<Snapshot> } | null = null;
  /** Bumped by every invalidation: a load begun before one never installs its snapshot. */
  private generation = 0;
  /** While it hears the catalogue's channel, the snapshot is trusted without reading the version. */
  private readonly watch = new ChannelWatch(CATALOG_CHANNEL, () => this.invalidate());
  private check: NodeJS.Timeout | null = null;
  private checking = false;

  constructor(
    private readonly db: Database | null = null,
    private readonly options: ServiceListCacheOptions = {},
  ) {}

  /** PostgreSQL: starts listening for catalogue changes (a no-op on SQLite or without a database). */
  start(): void {
    const db = this.db;
    if (!db || !this.watch.start(db, this.options)) return;
    this.check = setInterval(
      () => void this.checkVersion(db),
      this.options.checkIntervalMs ?? CATALOG_CHECK_INTERVAL_MS,
    );
    this.check.unref();
  }

  async stop(): Promise<void> {
    if (this.check) clearInterval(this.check);
    this.check = null;
    await this.watch.stop();
  }

  /** True while catalogue changes are heard by notification (no version read per request). */
  get listening(): boolean {
    return this.watch.heard;
  }

  /** The server process id of the listening connection while it is up. */
  get listenerPid(): number | null {
    return this.watch.listenerPid;
  }

  /** Drops the copy: the next request reads the version and the catalogue again. */
  invalidate(): void {
    this.generation++;
    this.snapshot = null;
    this.loading = null;
  }

  /** True while each answer reads the catalogue's version (not `listening`): callers may read it for us. */
  get checksVersion(): boolean {
    return !this.watch.heard;
  }

  /**
   * The answer for this user. `readVersion`: the catalogue's version, read by the caller within this
   * request (with the API key: one read rather than two); read here when not given.
   */
  async answerFor(q: Queryable, userId: number, readVersion?: bigint): Promise<Buffer> {
    let snapshot = this.watch.heard ? this.snapshot : null;
    if (!snapshot) {
      const version = readVersion ?? (await catalogVersion(q));
      snapshot = this.snapshot;
      if (snapshot?.version !== version) snapshot = await this.load(q, version);
    }
    const rates = snapshot.customRates.get(userId);
    if (!rates) return snapshot.shared;
    let personal = snapshot.personal.get(userId);
    if (!personal) {
      personal = serialize(snapshot.services, rates);
      snapshot.personal.set(userId, personal);
    }
    return personal;
  }

  private async checkVersion(db: Database): Promise<void> {
    const snapshot = this.snapshot;
    if (this.checking || !this.watch.heard || !snapshot) return;
    this.checking = true;
    try {
      const version = await catalogVersion(db);
      if (version > snapshot.version && this.snapshot === snapshot) this.invalidate();
    } catch {
      // The database is unreachable: requests fail on their own; the next check tries again.
    } finally {
      this.checking = false;
    }
  }

  private load(q: Queryable, version: bigint): Promise<Snapshot> {
    // Requests arriving while a reload of the same (or a newer) version runs share it.
    if (this.loading && this.loading.version >= version) return this.loading.snapshot;
    const generation = this.generation;
    const loading = {
      version,
      snapshot: this.read(q, version, generation).finally(() => {
        if (this.loading === loading) this.loading = null;
      }),
    };
    this.loading = loading;
    return loading.snapshot;
  }

  private async read(q: Queryable, version: bigint, generation: number): Promise<Snapshot> {
    const [services, rates] = await Promise.all([listEnabledServices(q), listUserRates(q)]);
    const customRates = new Map<number, Map<number, bigint>>();
    for (const rate of rates) {
      let forUser = customRates.get(rate.userId);
      if (!forUser) customRates.set(rate.userId, (forUser = new Map<number, bigint>()));
      forUser.set(rate.serviceId, rate.rate);
    }
    const snapshot: Snapshot = {
      version,
      services,
      shared: serialize(services),
      customRates,
      personal: new Map(),
    };
    // A load begun before an invalidation may hold what the invalidation was about: its
    // requests get it (they arrived before), but it is not kept.
    if (generation === this.generation && (!this.snapshot || this.snapshot.version <= version))
      this.snapshot = snapshot;
    return snapshot;
  }
}
