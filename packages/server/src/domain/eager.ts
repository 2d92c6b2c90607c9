/**
 * A value now, or a promise of it: what a step answers where it may not need to wait. On SQLite
 * a read is synchronous, and the API's hot path (the key check, `status` of one order, `balance`)
 * passes its rows on as they are, without a promise per step and a turn of the microtask queue
 * between steps; on PostgreSQL the same code passes promises (see `Queryable.getEager`).
 */
export type Eager<T> = T | Promise<T>;

/** `fn` of the value: at once when it is there, once it resolves when it is a promise. */
export function thenEager<T, U>(value: Eager<T>, fn: (value: T) => Eager<U>): Eager<U> {
  return value instanceof Promise ? value.then(fn) : fn(value);
}
