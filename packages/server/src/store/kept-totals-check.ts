import { type Queryable, sql } from './database.js';
import { DAY_MS } from './admin-stats.js';
import { dailyTotals } from './order-day-totals.js';
import { readLedgerKindTotals } from './ledger-kind-totals.js';
import { countOrdersByStoredStatus, readOrderStatusCounts } from './order-status-counts.js';

/**
 * What the kept totals (migrations 0024, 0026 and 0029) stand for, counted the slow way: every order
 * and ledger entry scanned. The tests' oracle, and the bench's check after ten million orders and an
 * upgrade under load.
 */
export const scanStatusCounts = sql(
  'SELECT kind, status, COUNT(*) AS count FROM orders WHERE parent_id IS NULL GROUP BY kind, status',
);
/** The metrics scrape's scans before migration 0029: every order by stored status, the ledger by kind. */
export const scanStoredStatusCounts = sql('SELECT status, COUNT(*) AS count FROM orders GROUP BY status');
export const scanLedgerKinds = sql(
  'SELECT kind, CAST(SUM(amount) AS BIGINT) AS total FROM ledger_entries GROUP BY kind',
);
/** The dashboard's scan before migration 0026: each UTC day's top-level orders, charges less refunds, provider costs. */
export const scanOrderDays = sql(
  `SELECT created_at / ${DAY_MS} AS day,
     SUM(CASE WHEN parent_id IS NULL THEN 1 ELSE 0 END) AS orders,
     CAST(COALESCE(SUM(charge - refunded), 0) AS BIGINT) AS revenue,
     CAST(COALESCE(SUM(provider_cost), 0) AS BIGINT) AS cost
   FROM orders WHERE created_at >= ?
   GROUP BY created_at / ${DAY_MS} ORDER BY day`,
);

/**
 * Where the kept counts, day totals and ledger sums by kind (folded or not) differ from a scan of the orders, one line
 * each ("order/pending: kept 3, scanned 4"); empty when they agree. Reads every order, in several
 * statements: for a database nobody writes meanwhile (the tests, the bench after its load).
 */
export async function findKeptTotalMismatches(q: Queryable): Promise<string[]> {
  const mismatches: string[] = [];
  const compare = (what: string, kept: Map<string, string>, scanned: Map<string, string>) => {
    for (const key of new Set([...kept.keys(), ...scanned.keys()])) {
      const a = kept.get(key) ?? 'nothing';
      const b = scanned.get(key) ?? 'nothing';
      if (a !== b) mismatches.push(`${what} ${key}: kept ${a}, scanned ${b}`);
    }
  };
  const counts = await readOrderStatusCounts(q);
  const countRows = await q.all<{ kind: string; status: string; count: bigint }>(scanStatusCounts);
  compare(
    'status count',
    new Map(counts.map((row) => [`${row.kind}/${row.status}`, String(row.count)])),
    new Map(countRows.map((row) => [`${row.kind}/${row.status}`, String(row.count)])),
  );
  const day = (row: { orders: number | bigint; revenue: bigint; cost: bigint }) =>
    `${row.orders} orders, revenue ${row.revenue}, cost ${row.cost}`;
  const days = await dailyTotals(q, 0);
  const dayRows = await q.all<{ day: bigint; orders: bigint; revenue: bigint; cost: bigint }>(
    scanOrderDays,
    [0],
  );
  compare(
    'day',
    new Map(days.map((row) => [String(row.day), day(row)])),
    new Map(
      dayRows
        .filter((row) => row.orders !== 0n || row.revenue !== 0n || row.cost !== 0n)
        .map((row) => [String(row.day), day(row)]),
    ),
  );
  const stored = await countOrdersByStoredStatus(q);
  const storedRows = await q.all<{ status: string; count: bigint }>(scanStoredStatusCounts);
  compare(
    'stored status',
    new Map([...stored].map(([status, count]) => [status, String(count)])),
    new Map(storedRows.map((row) => [row.status, String(row.count)])),
  );
  compare('ledger kind', ...(await ledgerKindTotalsAndScan(q)));
  return mismatches;
}

/** The kept ledger sums by kind and a scan's, as text by kind: equal when the kept ones are right. */
export async function ledgerKindTotalsAndScan(
  q: Queryable,
): Promise<[kept: Map<string, string>, scanned: Map<string, string>]> {
  const kept = await readLedgerKindTotals(q);
  const scanned = await q.all<{ kind: string; total: bigint }>(scanLedgerKinds);
  // A kind whose entries add up to nothing is the same as no kind: PostgreSQL's backfill leaves it out.
  const text = (pairs: Iterable<readonly [string, bigint]>) =>
    new Map([...pairs].filter(([, total]) => total !== 0n).map(([kind, total]) => [kind, String(total)]));
  return [text(kept), text(scanned.map((row) => [row.kind, BigInt(row.total)] as const))];
}
