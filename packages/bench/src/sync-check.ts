import { type Queryable, dynamicSql, findLedgerMismatches } from '@smmkit/server/bench-support';
import type { BenchDatabase } from './bench-database.js';
import { withDatabase } from './prepare-database.js';
import { PROVIDER_RATE, RESELLER_RATE, SYNC_DEPOSIT_UNITS, SYNC_USER_ID } from './sync-seed-sql.js';

/**
 * After the sync: does the reseller now hold what the provider holds? Each reseller order is
 * compared with its provider order, and every refund recomputed here from the pricing rule
 * (Canceled: the whole charge; Partial: charge × remains / quantity, rounded down), not taken from
 * the code under measure.
 */
export interface SyncCheck {
  readonly orders: number;
  /** Orders Completed, Partial or Canceled at the provider. */
  readonly finalAtProvider: number;
  readonly refundsExpected: number;
  readonly refundsPosted: number;
  readonly refundedUnits: bigint;
  readonly ledgerMismatches: number;
  /** Every difference found (the first few described): must be none. */
  readonly problems: number;
  readonly problemSamples: readonly string[];
}

interface ProviderOrder {
  id: bigint;
  status: string;
  remains: bigint;
  start_count: bigint;
}

interface ResellerOrder {
  id: bigint;
  status: string;
  quantity: bigint;
  charge: bigint;
  refunded: bigint;
  remains: bigint;
  start_count: bigint;
  provider_order_id: string | null;
  next_sync_at: bigint | null;
}

interface RefundEntry {
  order_id: bigint | null;
  entry_key: string;
  amount: bigint;
}

const FINAL = new Set(['completed', 'partial', 'canceled']);

const selectProviderOrders = dynamicSql(
  `SELECT id, status, remains, start_count FROM orders WHERE user_id = ${SYNC_USER_ID}`,
);
const selectResellerOrders = dynamicSql(
  `SELECT id, status, quantity, charge, refunded, remains, start_count, provider_order_id, next_sync_at
   FROM orders ORDER BY id`,
);
const selectRefunds = dynamicSql(
  `SELECT order_id, entry_key, amount FROM ledger_entries WHERE kind = 'refund'`,
);
const selectService = dynamicSql('SELECT rate, provider_rate, enabled FROM services WHERE id = 1');
const selectBalance = dynamicSql(`SELECT balance FROM users WHERE id = ${SYNC_USER_ID}`);
const selectCharges = dynamicSql(
  `SELECT COALESCE(SUM(charge), 0) AS total FROM orders WHERE user_id = ${SYNC_USER_ID}`,
);

export async function checkSync(provider: BenchDatabase, reseller: BenchDatabase): Promise<SyncCheck> {
  const providerOrders = await withDatabase(provider, (q) => q.all<ProviderOrder>(selectProviderOrders));
  const byProviderId = new Map(providerOrders.map((row) => [String(row.id), row]));
  return withDatabase(reseller, (q) => compare(q, byProviderId));
}

function refundOwed(status: string, order: ResellerOrder, remains: bigint): bigint {
  if (status === 'canceled') return order.charge;
  if (status === 'partial') return (order.charge * remains) / order.quantity;
  return 0n;
}

async function compare(q: Queryable, byProviderId: Map<string, ProviderOrder>): Promise<SyncCheck> {
  const now = BigInt(Date.now());
  const orders = await q.all<ResellerOrder>(selectResellerOrders);
  const refunds = new Map<string, RefundEntry[]>();
  const refundRows = await q.all<RefundEntry>(selectRefunds);
  for (const entry of refundRows) {
    const key = String(entry.order_id);
    refunds.set(key, [...(refunds.get(key) ?? []), entry]);
  }
  const problems: string[] = [];
  const problem = (text: string) => problems.push(text);
  let finalAtProvider = 0;
  let refundsExpected = 0;
  let owedTotal = 0n;
  for (const order of orders) {
    const at = byProviderId.get(order.provider_order_id ?? '');
    if (!at) {
      problem(`order ${order.id}: provider order ${order.provider_order_id} not found`);
      continue;
    }
    const final = FINAL.has(at.status);
    if (final) finalAtProvider++;
    const differs = (what: string, here: unknown, there: unknown) => {
      if (here !== there) problem(`order ${order.id}: ${what} ${String(here)}, provider ${String(there)}`);
    };
    differs('status', order.status, at.status);
    differs('remains', BigInt(order.remains), BigInt(at.remains));
    differs('start_count', BigInt(order.start_count), BigInt(at.start_count));
    if (final && order.next_sync_at !== null) problem(`order ${order.id}: final but still followed`);
    if (!final && (order.next_sync_at === null || BigInt(order.next_sync_at) <= now)) {
      problem(`order ${order.id}: in flight but next_sync_at ${order.next_sync_at}`);
    }
    const owed = refundOwed(at.status, order, BigInt(at.remains));
    owedTotal += owed;
    differs('refunded', BigInt(order.refunded), owed);
    const entries = refunds.get(String(order.id)) ?? [];
    if (owed > 0n) {
      refundsExpected++;
      const key = `refund:${at.status}:${order.id}`;
      if (entries.length !== 1 || entries[0]?.entry_key !== key || BigInt(entries[0].amount) !== owed) {
        problem(
          `order ${order.id}: refund entries ${JSON.stringify(entries.map((e) => [e.entry_key, String(e.amount)]))}, want ${key} ${owed}`,
        );
      }
    } else if (entries.length > 0) {
      problem(`order ${order.id}: ${entries.length} refund entr(ies), none owed`);
    }
  }
  const balance = BigInt((await q.get<{ balance: bigint }>(selectBalance))?.balance ?? -1n);
  const charges = BigInt((await q.get<{ total: bigint | string }>(selectCharges))?.total ?? 0n);
  const wanted = SYNC_DEPOSIT_UNITS - charges + owedTotal;
  if (balance !== wanted)
    problem(`customer balance ${balance}, want deposit - charges + refunds = ${wanted}`);
  // The scheduled catalogue sync ran meanwhile: the provider's terms did not move, so neither did ours.
  const service = await q.get<{ rate: bigint; provider_rate: bigint | null; enabled: bigint | number }>(
    selectService,
  );
  if (
    !service ||
    BigInt(service.rate) !== RESELLER_RATE ||
    BigInt(service.provider_rate ?? -1n) !== PROVIDER_RATE ||
    Number(service.enabled) !== 1
  ) {
    problem(
      `service 1 after the catalogue syncs: ${JSON.stringify(service, (_k, v: unknown) => (typeof v === 'bigint' ? String(v) : v))}`,
    );
  }
  const ledgerMismatches = (await findLedgerMismatches(q)).length;
  return {
    orders: orders.length,
    finalAtProvider,
    refundsExpected,
    refundsPosted: refundRows.length,
    refundedUnits: refundRows.reduce((sum, entry) => sum + BigInt(entry.amount), 0n),
    ledgerMismatches,
    problems: problems.length,
    problemSamples: problems.slice(0, 10),
  };
}
