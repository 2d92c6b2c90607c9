import { type Queryable, dynamicSql, findLedgerMismatches } from '@smmkit/server/bench-support';
import type { BenchDatabase } from './bench-database.js';
import { withDatabase } from './prepare-database.js';
import { DISPATCH_DEPOSIT_UNITS, DISPATCH_USER_ID, dispatchLink } from './dispatch-seed-sql.js';

/**
 * After a dispatch run: was every order sent exactly once? The provider must hold exactly N orders
 * of the reseller's account, each reseller order must name one of them (its own: same link and
 * quantity), no two the same, each sent in one attempt; both panels' balances must equal their
 * ledgers, and the provider's must be the deposit less the charges of the orders it holds.
 */
export interface DispatchCheck {
  readonly resellerOrders: number;
  readonly sent: number;
  readonly providerOrders: number;
  readonly distinctProviderOrderIds: number;
  readonly ledgerMismatches: number;
  /** Every difference found (the first few described): must be none. */
  readonly problems: number;
  readonly problemSamples: readonly string[];
  /** When the first order reached the provider and the last was recorded sent here (epoch ms). */
  readonly firstArrivalAt: number;
  readonly lastRecordedAt: number;
}

interface ProviderOrder {
  id: bigint;
  link: string;
  quantity: bigint;
  charge: bigint;
  created_at: bigint;
}

interface ResellerOrder {
  id: bigint;
  status: string;
  link: string;
  quantity: bigint;
  dispatch_state: string;
  dispatch_attempts: bigint;
  provider_order_id: string | null;
  updated_at: bigint;
}

const selectProviderOrders = dynamicSql(
  `SELECT id, link, quantity, charge, created_at FROM orders WHERE user_id = ${DISPATCH_USER_ID}`,
);
const selectProviderBalance = dynamicSql(`SELECT balance FROM users WHERE id = ${DISPATCH_USER_ID}`);
const selectResellerOrders = dynamicSql(
  `SELECT id, status, link, quantity, dispatch_state, dispatch_attempts, provider_order_id, updated_at
   FROM orders ORDER BY id`,
);

export async function checkDispatch(
  provider: BenchDatabase,
  reseller: BenchDatabase,
): Promise<DispatchCheck> {
  const problems: string[] = [];
  const atProvider = await withDatabase(provider, async (q) => ({
    orders: await q.all<ProviderOrder>(selectProviderOrders),
    balance: (await q.get<{ balance: bigint }>(selectProviderBalance))?.balance,
    mismatches: (await findLedgerMismatches(q)).length,
  }));
  const charged = atProvider.orders.reduce((sum, order) => sum + BigInt(order.charge), 0n);
  if (BigInt(atProvider.balance ?? -1n) !== DISPATCH_DEPOSIT_UNITS - charged) {
    problems.push(
      `provider: the reseller's balance ${atProvider.balance}, want deposit - charges = ${DISPATCH_DEPOSIT_UNITS - charged}`,
    );
  }
  const byId = new Map(atProvider.orders.map((order) => [String(order.id), order]));
  const here = await withDatabase(reseller, (q) => compare(q, byId, problems));
  const firstArrivalAt = Math.min(...atProvider.orders.map((order) => Number(order.created_at)));
  return {
    ...here,
    providerOrders: atProvider.orders.length,
    ledgerMismatches: here.ledgerMismatches + atProvider.mismatches,
    problems: problems.length,
    problemSamples: problems.slice(0, 10),
    firstArrivalAt,
  };
}

async function compare(q: Queryable, byId: Map<string, ProviderOrder>, problems: string[]) {
  const orders = await q.all<ResellerOrder>(selectResellerOrders);
  const seen = new Set<string>();
  let sent = 0;
  let lastRecordedAt = 0;
  for (const order of orders) {
    const id = String(order.id);
    if (order.dispatch_state !== 'sent' || order.provider_order_id === null) {
      problems.push(`order ${id}: ${order.dispatch_state}, provider order ${order.provider_order_id}`);
      continue;
    }
    sent++;
    lastRecordedAt = Math.max(lastRecordedAt, Number(order.updated_at));
    if (seen.has(order.provider_order_id)) {
      problems.push(`order ${id}: provider order ${order.provider_order_id} named twice`);
    }
    seen.add(order.provider_order_id);
    if (Number(order.dispatch_attempts) !== 1) {
      problems.push(`order ${id}: ${order.dispatch_attempts} dispatch attempts, want 1`);
    }
    if (order.status !== 'pending') problems.push(`order ${id}: status ${order.status}, want pending`);
    const there = byId.get(order.provider_order_id);
    if (!there) {
      problems.push(`order ${id}: provider order ${order.provider_order_id} not at the provider`);
    } else if (there.link !== dispatchLink(order.id) || BigInt(there.quantity) !== BigInt(order.quantity)) {
      problems.push(
        `order ${id}: provider order ${order.provider_order_id} is ${there.link} x ${there.quantity}, ` +
          `want ${order.link} x ${order.quantity}`,
      );
    }
  }
  if (byId.size !== orders.length) {
    problems.push(`the provider holds ${byId.size} orders, the reseller ${orders.length}`);
  }
  return {
    resellerOrders: orders.length,
    sent,
    distinctProviderOrderIds: seen.size,
    ledgerMismatches: (await findLedgerMismatches(q)).length,
    lastRecordedAt,
  };
}
