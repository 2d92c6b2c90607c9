import { formatRate } from '../../domain/money.js';
import { catalogVersion } from '../../store/catalog-version.js';
import type { Queryable } from '../../store/database.js';
import { type Service, listEnabledServices } from '../../store/services.js';
import { listUserRates } from '../../store/user-rates.js';

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

/**
 * The `services` answer, serialised once per catalogue version rather than per request. Every
 * change to services or rates bumps `catalog_state.version` in its own transaction, so one
 * primary-key read per request tells this process (and every other one) that its copy is stale.
 */
export class ServiceListCache {
  private snapshot: Snapshot | null = null;
  private loading: { version: bigint; snapshot: Promise<Snapshot> } | null = null;

  async answerFor(q: Queryable, userId: number): Promise<Buffer> {
    const version = await catalogVersion(q);
    let snapshot = this.snapshot;
    if (snapshot?.version !== version) snapshot = await this.load(q, version);
    const rates = snapshot.customRates.get(userId);
    if (!rates) return snapshot.shared;
    let personal = snapshot.personal.get(userId);
    if (!personal) {
      personal = serialize(snapshot.services, rates);
      snapshot.personal.set(userId, personal);
    }
    return personal;
  }

  private load(q: Queryable, version: bigint): Promise<Snapshot> {
    // Requests arriving while a reload of the same (or a newer) version runs share it.
    if (this.loading && this.loading.version >= version) return this.loading.snapshot;
    const loading = {
      version,
      snapshot: this.read(q, version).finally(() => {
        if (this.loading === loading) this.loading = null;
      }),
    };
    this.loading = loading;
    return loading.snapshot;
  }

  private async read(q: Queryable, version: bigint): Promise<Snapshot> {
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
    if (!this.snapshot || this.snapshot.version <= version) this.snapshot = snapshot;
    return snapshot;
  }
}
