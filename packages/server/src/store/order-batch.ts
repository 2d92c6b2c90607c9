import {
  type Queryable,
  type SqlValue,
  type Statement,
  idArray,
  sql,
  sqlByDialect,
  sqlValuesByDialect,
  textArray,
} from './database.js';
import { crossesBelowThreshold } from '../domain/webhooks.js';
import { type KeyCaller, readKeyCallers, stillCaller } from './api-keys.js';
import type { NewOrderFields } from './orders.js';
import { type ServiceOffer, findServiceOffers, sameServiceOffer, serviceOfferKey } from './service-offers.js';

/**
 * The statements of a batch of plain `add`s (app/orders/order-batch.ts): the balances and the
 * conflicting active links of the whole batch read with one statement each, then the orders, the
 * balance moves and the charges written with one multi-row statement each.
 */

export interface BatchBalance {
  readonly balance: bigint;
  /** The owner's `balance.low` threshold (null: none set). */
  readonly lowBalanceThreshold: bigint | null;
}

// Rows as arrays (`sqlValues`): a batch reads up to one per order.
const selectBalances = sqlValuesByDialect({
  sqlite: 'SELECT id, balance, low_balance_threshold FROM users WHERE id IN (SELECT value FROM json_each(?))',
  postgres: 'SELECT id, balance, low_balance_threshold FROM users WHERE id = ANY(?::bigint[])',
});

/** The balances (and thresholds) of these users, by id; a missing user is absent. */
export async function readBalances(
  tx: Queryable,
  userIds: readonly number[],
): Promise<Map<number, BatchBalance>> {
  const rows = await tx.all<[id: bigint, balance: bigint, lowBalanceThreshold: bigint | null]>(
    selectBalances,
    [idArray(tx, userIds)],
  );
  const balances = new Map<number, BatchBalance>();
  for (const [id, balance, lowBalanceThreshold] of rows)
    balances.set(Number(id), { balance, lowBalanceThreshold });
  return balances;
}

// Both IN lists keep the (service_id, active_link) unique index in use; the exact pairs are kept by the caller.
const selectActiveLinks = sqlByDialect({
  sqlite: `SELECT service_id, active_link FROM orders
           WHERE service_id IN (SELECT value FROM json_each(?)) AND active_link IN (SELECT value FROM json_each(?))`,
  postgres: `SELECT service_id, active_link FROM orders
             WHERE service_id = ANY(?::bigint[]) AND active_link = ANY(?::text[])`,
});

/** `service_id` + NUL + link: the key of an active link. */
export function activeLinkKey(serviceId: number, link: string): string {
  return `${serviceId}\u0000${link}`;
}

/** Which of these (service, link) pairs an order already holds as its active link. */
export async function readActiveLinks(
  tx: Queryable,
  pairs: readonly { serviceId: number; link: string }[],
): Promise<Set<string>> {
  if (pairs.length === 0) return new Set();
  const serviceIds = [...new Set(pairs.map((pair) => pair.serviceId))];
  const links = [...new Set(pairs.map((pair) => pair.link))];
  const rows = await tx.all<{ service_id: bigint; active_link: string }>(selectActiveLinks, [
    idArray(tx, serviceIds),
    textArray(tx, links),
  ]);
  return new Set(rows.map((row) => activeLinkKey(Number(row.service_id), row.active_link)));
}

/** Most rows one multi-row statement carries (24 parameters a row: well under SQLite's limit). */
const MAX_ROWS = 256;

function valuesFor(rows: number, columns: number): string {
  const row = `(${Array(columns).fill('?').join(', ')})`;
  return Array(rows).fill(row).join(', ');
}

/** One prepared statement per row count, made on first use. */
function perRowCount(build: (rows: number) => Statement): (rows: number) => Statement {
  const made = new Map<number, Statement>();
  return (rows) => {
    let statement = made.get(rows);
    if (!statement) {
      statement = build(rows);
      made.set(rows, statement);
    }
    return statement;
  };
}

const ORDER_COLUMN_COUNT = 24;
const insertOrdersSql = perRowCount((rows) =>
  sql(
    `INSERT INTO orders (user_id, service_id, kind, parent_id, status, link, quantity, runs, interval_minutes,
       details, rate, charge, remains, active_link, run_number, expires_at, unpaid_posts, next_run_at,
       provider_id, provider_service_id, dispatch_state, dispatch_after, created_at, updated_at)
     VALUES ${valuesFor(rows, ORDER_COLUMN_COUNT)} RETURNING id`,
  ),
);

/** A plain order of a batch: kind 'order', pending, no parent. */
export type NewPlainOrder = Pick<
  NewOrderFields,
  | 'userId'
  | 'serviceId'
  | 'link'
  | 'quantity'
  | 'details'
  | 'rate'
  | 'charge'
  | 'remains'
  | 'activeLink'
  | 'providerId'
  | 'providerServiceId'
  | 'dispatchState'
>;

/**
 * Inserts the orders (the same columns `insertOrder` writes), all placed at `now`, and resolves to
 * their ids in the order given. The caller has checked the active links under the write lock: a conflict throws.
 */
export async function insertPlainOrders(
  tx: Queryable,
  orders: readonly NewPlainOrder[],
  now: number,
): Promise<number[]> {
  const ids: number[] = [];
  for (let start = 0; start < orders.length; start += MAX_ROWS) {
    const chunk = orders.slice(start, start + MAX_ROWS);
    const params: SqlValue[] = [];
    for (const order of chunk) {
      params.push(
        order.userId,
        order.serviceId,
        'order',
        null,
        'pending',
        order.link,
        order.quantity,
        null,
        null,
        order.details,
        order.rate,
        order.charge,
        order.remains,
        order.activeLink,
        null,
        null,
        0,
        null,
        order.providerId ?? null,
        order.providerServiceId ?? null,
        order.dispatchState ?? 'manual',
        order.dispatchState === 'queued' ? now : null,
        now,
        now,
      );
    }
    const rows = await tx.all<{ id: bigint }>(insertOrdersSql(chunk.length), params);
    if (rows.length !== chunk.length) throw new Error('batch insert returned fewer orders than it was given');
    // Ids are handed out in the order of the VALUES rows; RETURNING itself promises no order.
    ids.push(...rows.map((row) => Number(row.id)).sort((a, b) => a - b));
  }
  return ids;
}

const debitBalance = sql('UPDATE users SET balance = balance - ? WHERE id = ? AND balance - ? >= 0');

/** Takes `total` off a balance that covers it (the caller checked under the write lock: else it throws). */
export async function debitCoveredBalance(tx: Queryable, userId: number, total: bigint): Promise<void> {
  const changed = await tx.run(debitBalance, [total, userId, total]);
  if (changed !== 1) throw new Error(`batch debit of user ${userId} found the balance changed`);
}

export interface NewCharge {
  readonly userId: number;
  readonly orderId: number;
  /** Positive: what the order costs (posted negated). */
  readonly charge: bigint;
  readonly balanceAfter: bigint;
  readonly now: number;
}

const ENTRY_COLUMN_COUNT = 8;
const insertChargesSql = perRowCount((rows) =>
  sql(
    `INSERT INTO ledger_entries (user_id, amount, kind, entry_key, order_id, memo, balance_after, created_at)
     VALUES ${valuesFor(rows, ENTRY_COLUMN_COUNT)}`,
  ),
);

/** The `charge:<order>` ledger entries, as `postLedgerEntry` writes them. */
export async function insertCharges(tx: Queryable, charges: readonly NewCharge[]): Promise<void> {
  for (let start = 0; start < charges.length; start += MAX_ROWS) {
    const chunk = charges.slice(start, start + MAX_ROWS);
    const params: SqlValue[] = [];
    for (const entry of chunk) {
      params.push(
        entry.userId,
        -entry.charge,
        'charge',
        `charge:${entry.orderId}`,
        entry.orderId,
        null,
        entry.balanceAfter,
        entry.now,
      );
    }
    const inserted = await tx.run(insertChargesSql(chunk.length), params);
    if (inserted !== chunk.length)
      throw new Error('batch insert wrote fewer ledger entries than it was given');
  }
}

/** An order of a batch, as the event loop validated and priced it. */
export interface BatchItem {
  readonly order: NewPlainOrder;
  /** Set when the caller came from the cache (app/users/api-caller-cache.ts): its key is read again first. */
  readonly caller: {
    readonly keyId: number;
    readonly userId: number;
    readonly rateLimitPerMinute: number | null;
  } | null;
  /** Set when the order was priced from a cached offer: the offer is read again next. */
  readonly offer: ServiceOffer | null;
}

/** What became of an order of a batch: placed, not placed (the per-order path's failure), or stale. */
export type BatchOutcome =
  | 'placed'
  | 'duplicate-active-link'
  | 'not-enough-funds'
  /** The key no longer says what the cached caller did: not placed, the request is authenticated again. */
  | 'stale-caller'
  /** The service no longer offers what the order was priced from: not placed, it is priced again. */
  | 'stale-offer';

/** What a batch's orders are decided on, read under the write lock. */
export interface BatchState {
  /** By key id; a revoked or unknown key is absent. */
  readonly keyCallers: Map<number, KeyCaller>;
  /** By `serviceOfferKey`. */
  readonly offers: Map<string, ServiceOffer>;
  readonly balances: Map<number, BatchBalance>;
  /** `activeLinkKey`s already held by an order. */
  readonly held: Set<string>;
}

/** The batch's reads: the cached keys and offers again, the balances, the links its orders would hold. */
export async function readBatchState(tx: Queryable, items: readonly BatchItem[]): Promise<BatchState> {
  // Loops, not flatMap (see validIds).
  const keyIds: number[] = [];
  const offers: { userId: number; serviceId: number }[] = [];
  const links: { serviceId: number; link: string }[] = [];
  for (const { caller, offer, order } of items) {
    if (caller) keyIds.push(caller.keyId);
    if (offer) offers.push({ userId: order.userId, serviceId: order.serviceId });
    if (order.activeLink !== null) links.push({ serviceId: order.serviceId, link: order.activeLink });
  }
  return {
    keyCallers: keyIds.length === 0 ? new Map<number, KeyCaller>() : await readKeyCallers(tx, keyIds),
    offers: offers.length === 0 ? new Map<string, ServiceOffer>() : await findServiceOffers(tx, offers),
    balances: await readBalances(tx, [...new Set(items.map((item) => item.order.userId))]),
    held: await readActiveLinks(tx, links),
  };
}

/** A batch decided: each order's outcome, and the accepted ones with the balance each charge leaves. */
export interface BatchDecision {
  /** By position in the batch. */
  readonly outcomes: BatchOutcome[];
  /** The accepted orders' positions in the batch, in order. */
  readonly accepted: number[];
  /** By position among the accepted: the user's balance once that order's charge is taken. */
  readonly balancesAfter: bigint[];
  /** The accepted orders (by position among them) whose charge takes the balance below its owner's `balance.low` threshold. */
  readonly crossings: { readonly k: number; readonly balanceAfter: bigint; readonly threshold: bigint }[];
}

/**
 * Decides every order of the batch in arrival order, with the checks of the per-order path in its
 * order: the key (when it came from the cache), the offer it was priced from (when that came from
 * the cache), the link, then the money.
 */
export function decideBatch(items: readonly BatchItem[], state: BatchState): BatchDecision {
  const { keyCallers, offers, balances } = state;
  const held = new Set(state.held);
  const outcomes: BatchOutcome[] = [];
  const accepted: number[] = [];
  const balancesAfter: bigint[] = [];
  const crossings: { k: number; balanceAfter: bigint; threshold: bigint }[] = [];
  const running = new Map([...balances].map(([userId, { balance }]) => [userId, balance]));
  for (const [index, { order, caller, offer }] of items.entries()) {
    if (caller && !stillCaller(caller, keyCallers.get(caller.keyId))) {
      outcomes.push('stale-caller');
      continue;
    }
    if (offer && !sameServiceOffer(offer, offers.get(serviceOfferKey(order.userId, order.serviceId)))) {
      outcomes.push('stale-offer');
      continue;
    }
    const linkKey = order.activeLink === null ? null : activeLinkKey(order.serviceId, order.activeLink);
    if (linkKey !== null && held.has(linkKey)) {
      outcomes.push('duplicate-active-link');
      continue;
    }
    const balance = running.get(order.userId);
    // A charge may not take the balance below zero; even a free order waits while a chargeback holds it there.
    if (balance === undefined || balance - order.charge < 0n || balance < 0n) {
      outcomes.push('not-enough-funds');
      continue;
    }
    if (linkKey !== null) held.add(linkKey);
    const balanceAfter = balance - order.charge;
    running.set(order.userId, balanceAfter);
    const threshold = balances.get(order.userId)?.lowBalanceThreshold ?? null;
    if (order.charge > 0n && threshold !== null && crossesBelowThreshold(threshold, balance, balanceAfter))
      crossings.push({ k: accepted.length, balanceAfter, threshold });
    accepted.push(index);
    balancesAfter.push(balanceAfter);
    outcomes.push('placed');
  }
  return { outcomes, accepted, balancesAfter, crossings };
}

/**
 * Writes the accepted orders of a decided batch in the transaction that read its state: the
 * orders (one multi-row insert), each user's balance debited once by the sum of their charges, and
 * the `charge:<order>` ledger entries. Resolves to the accepted orders' ids, in order.
 */
export async function writeDecidedBatch(
  tx: Queryable,
  items: readonly BatchItem[],
  decision: BatchDecision,
  now: number,
): Promise<number[]> {
  if (decision.accepted.length === 0) return [];
  const orders = decision.accepted.map((index) => items[index]!.order);
  const ids = await insertPlainOrders(tx, orders, now);
  const debits = new Map<number, bigint>();
  const charges: NewCharge[] = [];
  for (const [k, { userId, charge }] of orders.entries()) {
    if (charge <= 0n) continue;
    debits.set(userId, (debits.get(userId) ?? 0n) + charge);
    charges.push({ userId, orderId: ids[k]!, charge, balanceAfter: decision.balancesAfter[k]!, now });
  }
  for (const [userId, total] of debits) await debitCoveredBalance(tx, userId, total);
  await insertCharges(tx, charges);
  return ids;
}

/** A batch as the write thread's program takes it: its items packed (`packBatchItems`), placed at `now`. */
export interface OrderBatchInput {
  readonly items: PackedBatchItems;
  readonly now: number;
}

/** A value of a packed batch item. */
type PackedValue = string | number | bigint | boolean | null;

/**
 * A batch's items as they cross to the write thread: one flat array of primitives, PACKED_ITEM_WIDTH
 * values an item (see packBatchItems). Structured clone writes the name of every property of every
 * object it copies and rebuilds each object property by property on the other side; a batch of ~30
 * items as objects took twice the round trip and CPU of the same values flat (ARCHITECTURE.md, "The
 * add write path").
 */
export type PackedBatchItems = readonly PackedValue[];

/** The values one item packs into: the order's 12, the cached caller's 3, the cached offer's 11. */
const PACKED_ITEM_WIDTH = 26;

/**
 * Packs items for the write thread. An absent caller packs as a null key id, an absent offer as a
 * null service id (neither is ever null in a present one); an order's optional provider fields pack
 * as what `insertPlainOrders` writes for them when absent.
 */
export function packBatchItems(items: readonly BatchItem[]): PackedBatchItems {
  const packed: PackedValue[] = [];
  for (const { order, caller, offer } of items) {
    packed.push(
      order.userId,
      order.serviceId,
      order.link,
      order.quantity,
      order.details,
      order.rate,
      order.charge,
      order.remains,
      order.activeLink,
      order.providerId ?? null,
      order.providerServiceId ?? null,
      order.dispatchState ?? 'manual',
      caller?.keyId ?? null,
      caller?.userId ?? null,
      caller?.rateLimitPerMinute ?? null,
      offer?.id ?? null,
      offer?.type ?? null,
      offer?.rate ?? null,
      offer?.customRate ?? null,
      offer?.minQuantity ?? null,
      offer?.maxQuantity ?? null,
      offer?.dripfeed ?? null,
      offer?.allowDuplicateLinks ?? null,
      offer?.oldPosts ?? null,
      offer?.providerId ?? null,
      offer?.providerServiceId ?? null,
    );
  }
  return packed;
}

/** The items `packBatchItems` packed (the values are this process's own: their types are not checked again). */
export function unpackBatchItems(packed: PackedBatchItems): BatchItem[] {
  if (packed.length % PACKED_ITEM_WIDTH !== 0)
    throw new Error(`a packed batch of ${packed.length} values is not whole items of ${PACKED_ITEM_WIDTH}`);
  const v = packed as readonly never[];
  const items: BatchItem[] = [];
  for (let i = 0; i < v.length; i += PACKED_ITEM_WIDTH) {
    const order: NewPlainOrder = {
      userId: v[i]!,
      serviceId: v[i + 1]!,
      link: v[i + 2]!,
      quantity: v[i + 3]!,
      details: v[i + 4]!,
      rate: v[i + 5]!,
      charge: v[i + 6]!,
      remains: v[i + 7]!,
      activeLink: v[i + 8]!,
      providerId: v[i + 9]!,
      providerServiceId: v[i + 10]!,
      dispatchState: v[i + 11]!,
    };
    const caller =
      v[i + 12] === null ? null : { keyId: v[i + 12]!, userId: v[i + 13]!, rateLimitPerMinute: v[i + 14]! };
    const offer: ServiceOffer | null =
      v[i + 15] === null
        ? null
        : {
            id: v[i + 15]!,
            type: v[i + 16]!,
            rate: v[i + 17]!,
            customRate: v[i + 18]!,
            minQuantity: v[i + 19]!,
            maxQuantity: v[i + 20]!,
            dripfeed: v[i + 21]!,
            allowDuplicateLinks: v[i + 22]!,
            oldPosts: v[i + 23]!,
            providerId: v[i + 24]!,
            providerServiceId: v[i + 25]!,
          };
    items.push({ order, caller, offer });
  }
  return items;
}

/** What the write thread's program did: the outcomes and the accepted orders' ids, or nothing (see there). */
export type OrderBatchOutput =
  | { readonly outcomes: BatchOutcome[]; readonly ids: number[] }
  /** A charge crosses a `balance.low` threshold, whose notice needs the event loop: nothing was written. */
  | { readonly onLoop: true };

/**
 * The write thread's program for a batch (store/sqlite-write-thread.ts): read, decide, write, in
 * its transaction. A batch with a `balance.low` crossing writes nothing (`commit` false): the
 * event loop writes it, with the notice, in a transaction of its own.
 */
export async function runOrderBatch(
  tx: Queryable,
  input: OrderBatchInput,
): Promise<{ commit: boolean; value: OrderBatchOutput }> {
  const items = unpackBatchItems(input.items);
  const decision = decideBatch(items, await readBatchState(tx, items));
  if (decision.crossings.length > 0) return { commit: false, value: { onLoop: true } };
  const ids = await writeDecidedBatch(tx, items, decision, input.now);
  // Checked before the commit: an answer that cannot be formed afterwards would leave orders placed unanswered.
  if (ids.length !== decision.accepted.length)
    throw new Error('the batch wrote a different number of orders than it accepted');
  return { commit: true, value: { outcomes: decision.outcomes, ids } };
}
