import { BoundedMap } from '../../domain/bounded-map.js';
import { type ServiceOffer, serviceOfferKey } from '../../store/service-offers.js';

/**
 * Thrown where an order priced from a cached offer finds, inside its batch's write, that the
 * service or the user's rate no longer says what the cache did: nothing was written, and the order
 * is validated and priced again from a fresh read.
 */
export class StaleOffer extends Error {
  constructor() {
    super('the cached service offer no longer matches the service');
  }
}

const DEFAULT_MAX_ENTRIES = 10_000;

/**
 * (user, service) → the offer `add` last read, for plain `add`s of cached callers on SQLite (see
 * api-caller-cache.ts): read on the reader, whose page cache every commit empties, the offer cost
 * ~12 µs of the ~120 µs each order took on the event loop (measured under `add` at 64
 * connections, 1M orders). Never trusted on its own: an order priced from it is checked against
 * the offer read inside its batch's write (app/orders/order-batch.ts), and an error is only ever
 * answered from a fresh read. Bounded: the oldest entry goes first.
 */
export class ServiceOfferCache {
  private readonly entries: BoundedMap<string, ServiceOffer>;

  constructor(maxEntries = DEFAULT_MAX_ENTRIES) {
    this.entries = new BoundedMap(maxEntries);
  }

  get(userId: number, serviceId: number): ServiceOffer | undefined {
    return this.entries.get(serviceOfferKey(userId, serviceId));
  }

  set(userId: number, offer: ServiceOffer): void {
    this.entries.set(serviceOfferKey(userId, offer.id), offer);
  }

  delete(userId: number, serviceId: number): void {
    this.entries.delete(serviceOfferKey(userId, serviceId));
  }
}
