import { formatRate } from '../../domain/money.js';
import { type ServiceRow, catalogVersion, listEnabledServices, listUserRates } from '../../store/catalog.js';
import type { Queryable } from '../../store/database.js';

interface Snapshot {
  readonly version: bigint;
  readonly services: readonly ServiceRow[];
  /** The shared answer, for every user without custom rates. */
  readonly shared: Buffer;
  /** Custom rates by user, then by service. */
  readonly customRates: ReadonlyMap<number, ReadonlyMap<number, bigint>>;
  /** Answers of users with custom rates, built on first ask. */
  readonly personal: Map<number, Buffer>;
}

function serialize(services: readonly ServiceRow[], rates?: ReadonlyMap<number, bigint>): Buffer {
  const list = services.map((s) => ({
    service: Number(s.id),
    name: s.name,
    type: s.type,
    category: s.category,
    rate: formatRate(rates?.get(Number(s.id)) ?? s.rate),
    min: s.min_quantity.toString(),
    max: s.max_quantity.toString(),
    refill: s.refill === 1n,
    cancel: s.cancel === 1n,
    dripfeed: s.dripfeed === 1n,
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
    for (const row of rates) {
      const userId = Number(row.user_id);
      let forUser = customRates.get(userId);
      if (!forUser) customRates.set(userId, (forUser = new Map<number, bigint>()));
      forUser.set(Number(row.service_id), row.rate);
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
