import { type Database, sql } from '../../src/store/database.js';
import { openDatabase, parseDatabaseUrl } from '../../src/store/open-database.js';

const selectOrders = sql(
  `SELECT id, status, dispatch_state, dispatch_error, provider_order_id, dispatch_attempts FROM orders
   ORDER BY id`,
);
const selectLedger = sql(
  `SELECT u.id, u.balance,
     COALESCE((SELECT SUM(l.amount) FROM ledger_entries l WHERE l.user_id = u.id), 0) AS ledger_sum
   FROM users u`,
);
const selectInstance = sql(`SELECT value FROM settings WHERE key = 'instance_id'`);
const selectUser = sql('SELECT id FROM users WHERE username = ?');
const selectOrdersOf = sql('SELECT id FROM orders WHERE user_id = ?');
const selectKeysOf = sql('SELECT request_key, response FROM idempotency_keys WHERE user_id = ?');
const countInFlight = sql(
  `SELECT COUNT(*) AS count FROM orders WHERE dispatch_state IN ('queued', 'submitting')`,
);

interface OrderRow {
  id: bigint;
  status: string;
  dispatch_state: string;
  dispatch_error: string | null;
  provider_order_id: string | null;
  dispatch_attempts: bigint;
}

/** What a fault test checked, printed as one line. Every "must be 0" field is asserted by the test. */
export interface FaultCounts {
  /** Distinct order ids clients were given. */
  acknowledged: number;
  /** …of which the reseller has the order. */
  found: number;
  unacknowledged: number;
  /** Orders the provider holds from the reseller's account. */
  upstreamSubmissions: number;
  /** Reseller orders linked to a provider order. */
  sent: number;
  /** Provider orders beyond one per reseller order, plus orders sharing one provider order: must be 0. */
  duplicates: number;
  /** Provider orders no reseller order is linked to (sent, outcome unknown here): must be 0. */
  unlinkedUpstream: number;
  /** Linked orders whose request_id at the provider is missing or names another order: must be 0. */
  requestIdMismatches: number;
  review: number;
  /** Orders in review without a reason: must be 0. */
  reviewWithoutReason: number;
  refused: number;
  /** Orders still queued or submitting after the drain, or in any unexpected state: must be 0. */
  stuck: number;
  /** Orders sent more than once with the same request_id after a fault (the provider replayed). */
  resent: number;
  /** Σ |balance − ledger sum| over the reseller's users, in 10⁻⁵: must be 0. */
  ledgerDifference: bigint;
  /** The same at the provider: must be 0. */
  providerLedgerDifference: bigint;
  /** Users with a negative balance, both panels: must be 0. */
  negativeBalances: number;
}

export function openTarget(databaseUrl: string): Database {
  return openDatabase(parseDatabaseUrl(databaseUrl), { maxConnections: 2 });
}

/** Orders not yet settled by dispatch (the drain waits for 0). */
export async function ordersInFlight(db: Database): Promise<number> {
  const row = await db.get<{ count: bigint | string }>(countInFlight);
  return Number(row?.count ?? 0);
}

async function ledgerDifference(db: Database): Promise<{ difference: bigint; negatives: number }> {
  const rows = await db.all<{ balance: bigint; ledger_sum: bigint | string }>(selectLedger);
  let difference = 0n;
  let negatives = 0;
  for (const row of rows) {
    const balance = BigInt(String(row.balance));
    const sum = BigInt(String(row.ledger_sum));
    difference += balance > sum ? balance - sum : sum - balance;
    if (balance < 0n) negatives++;
  }
  return { difference, negatives };
}

export async function checkConsistency(
  reseller: Database,
  provider: Database,
  resellerUsername: string,
  load: { acknowledged: ReadonlyMap<number, number>; unacknowledged: number },
): Promise<FaultCounts> {
  const orders = await reseller.all<OrderRow>(selectOrders);
  const ids = new Set(orders.map((order) => Number(order.id)));
  const found = [...load.acknowledged.keys()].filter((id) => ids.has(id)).length;

  const instance = (await reseller.get<{ value: string }>(selectInstance))?.value;
  const account = await provider.get<{ id: bigint }>(selectUser, [resellerUsername]);
  if (!account) throw new Error(`no ${resellerUsername} at the provider`);
  const upstream = new Set(
    (await provider.all<{ id: bigint }>(selectOrdersOf, [account.id])).map((row) => String(row.id)),
  );
  const keys = new Map<string, string>();
  for (const row of await provider.all<{ request_key: string; response: string }>(selectKeysOf, [
    account.id,
  ])) {
    keys.set(row.request_key, String((JSON.parse(row.response) as { order: unknown }).order));
  }

  const linked = orders.filter((order) => order.provider_order_id !== null);
  const linkedUpstream = new Set(linked.map((order) => order.provider_order_id!));
  let requestIdMismatches = 0;
  for (const order of linked) {
    const key = `smmkit-${instance}-${order.id}`;
    if (keys.get(key) !== order.provider_order_id) requestIdMismatches++;
  }
  // Every provider order must have come with a request_id of ours, each naming its own order.
  const keyedUpstream = new Set(
    [...keys].filter(([key]) => key.startsWith(`smmkit-${instance}-`)).map(([, order]) => order),
  );
  const unkeyedUpstream = [...upstream].filter((id) => !keyedUpstream.has(id)).length;
  const unlinkedUpstream = [...upstream].filter((id) => !linkedUpstream.has(id)).length;
  const sharedProviderOrders = linked.length - linkedUpstream.size;

  let review = 0;
  let reviewWithoutReason = 0;
  let refused = 0;
  let stuck = 0;
  let resent = 0;
  for (const order of orders) {
    if (Number(order.dispatch_attempts) > 1) resent++;
    switch (order.dispatch_state) {
      case 'sent':
        break;
      case 'refused':
        refused++;
        break;
      case 'review':
        review++;
        if ((order.dispatch_error ?? '').trim() === '') reviewWithoutReason++;
        break;
      default:
        stuck++;
    }
  }

  const resellerLedger = await ledgerDifference(reseller);
  const providerLedger = await ledgerDifference(provider);
  return {
    acknowledged: load.acknowledged.size,
    found,
    unacknowledged: load.unacknowledged,
    upstreamSubmissions: upstream.size,
    sent: linked.length,
    duplicates: Math.max(0, upstream.size - linkedUpstream.size) + sharedProviderOrders + unkeyedUpstream,
    unlinkedUpstream,
    requestIdMismatches,
    review,
    reviewWithoutReason,
    refused,
    stuck,
    resent,
    ledgerDifference: resellerLedger.difference,
    providerLedgerDifference: providerLedger.difference,
    negativeBalances: resellerLedger.negatives + providerLedger.negatives,
  };
}

export function formatCounts(label: string, counts: FaultCounts): string {
  return (
    `faults[${label}]: acknowledged=${counts.acknowledged} found=${counts.found} ` +
    `unacknowledged=${counts.unacknowledged} upstream_submissions=${counts.upstreamSubmissions} ` +
    `sent=${counts.sent} duplicates=${counts.duplicates} unlinked_upstream=${counts.unlinkedUpstream} ` +
    `request_id_mismatches=${counts.requestIdMismatches} review=${counts.review} ` +
    `review_without_reason=${counts.reviewWithoutReason} refused=${counts.refused} stuck=${counts.stuck} ` +
    `resent_same_request_id=${counts.resent} ledger_difference=${counts.ledgerDifference} ` +
    `provider_ledger_difference=${counts.providerLedgerDifference} negative_balances=${counts.negativeBalances}`
  );
}
