import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Database, type Queryable, type SqlValue, dynamicSql, sql } from '../../src/store/database.js';
import { MIGRATIONS, migrate } from '../../src/store/migrations.js';
import { openDatabase, parseDatabaseUrl } from '../../src/store/open-database.js';
import { dailyTotals, foldOrderDayChanges } from '../../src/store/order-day-totals.js';
import {
  DAY_MS,
  foldedDays,
  foldedRows,
  isEmptyDay,
  keptDays as kept,
  scannedDays as scanned,
  unfoldedDayChanges as changes,
} from '../support/day-totals-oracle.js';
import { applyMigrationsBefore, insertOrderOwners } from '../support/migrations-before.js';
import { type TestDatabase, createTestDatabase } from '../support/test-database.js';

const DAY = 20_420; // 2025-11-28 (UTC)
const at = (day: number, hour = 12) => (DAY + day) * DAY_MS + hour * 3_600_000;

const insertOrder = sql(
  `INSERT INTO orders (user_id, service_id, kind, parent_id, status, link, quantity, rate, charge, refunded,
     remains, provider_cost, created_at, updated_at)
   VALUES (1, 1, ?, ?, ?, 'https://x.test/p', 100, 100, ?, ?, 100, ?, ?, ?) RETURNING id`,
);
interface RawOrder {
  kind?: 'order' | 'dripfeed' | 'subscription';
  parent?: number | null;
  status?: string;
  charge: bigint;
  refunded?: bigint;
  cost?: bigint | null;
  createdAt: number;
}
async function insert(q: Queryable, order: RawOrder): Promise<number> {
  const row = await q.get<{ id: bigint }>(insertOrder, [
    order.kind ?? 'order',
    order.parent ?? null,
    order.status ?? 'completed',
    order.charge,
    order.refunded ?? 0n,
    order.cost ?? null,
    order.createdAt,
    order.createdAt,
  ]);
  return Number(row!.id);
}

/**
 * Issue 17 item 4: migration 0026's day totals start from the orders already there and, kept by
 * its triggers, equal the dashboard's former scan of the orders (its SQL is the oracle here)
 * whatever raw SQL does to an order, folded or not.
 */
describe('migration 0026 (order day totals)', () => {
  let database: TestDatabase;
  let db: Database;
  let drip: number;
  const before = MIGRATIONS.findIndex((migration) => migration.id === '0026_order_day_totals');

  beforeAll(async () => {
    database = await createTestDatabase();
    db = openDatabase(parseDatabaseUrl(database.url));
    await applyMigrationsBefore(db, '0026_order_day_totals');
    await db.transaction(async (tx) => {
      await insertOrderOwners(tx);
      // Day 0: plain orders, one partly refunded, one fully; costs and no costs.
      await insert(tx, { charge: 150_625n, cost: 112_500n, createdAt: at(0, 0) });
      await insert(tx, { charge: 90_000n, refunded: 36_000n, cost: 50_000n, createdAt: at(0, 10) });
      await insert(tx, { status: 'canceled', charge: 20_000n, refunded: 20_000n, createdAt: at(0, 23) });
      // Day 1: a drip-feed (charged up front) and its runs (no charge of their own, costs of their own).
      drip = await insert(tx, { kind: 'dripfeed', charge: 300_000n, createdAt: at(1) });
      await insert(tx, { parent: drip, charge: 0n, cost: 40_000n, createdAt: at(1, 13) });
      // Day 2: a run alone, and nothing else: a day that adds up to nothing but its cost.
      await insert(tx, { parent: drip, charge: 0n, cost: 40_000n, createdAt: at(2) });
      // Day 3: a run with no cost at all: all zero, left out.
      await insert(tx, { parent: drip, charge: 0n, createdAt: at(3) });
      // Day 4: a subscription (no charge) and its posts (each charged), one refunded in part.
      const subscription = await insert(tx, {
        kind: 'subscription',
        status: 'active',
        charge: 0n,
        createdAt: at(4),
      });
      await insert(tx, { parent: subscription, charge: 12_346n, cost: 9_000n, createdAt: at(4, 14) });
      await insert(tx, { parent: subscription, charge: 12_346n, refunded: 6_173n, createdAt: at(4, 15) });
      // Day 6, after a day of nothing: one order.
      await insert(tx, { charge: 1n, createdAt: at(6) });
    });
  });
  afterAll(async () => {
    await db.close();
    await database.drop();
  });

  it('backfills every day from the orders there, exactly as the scan adds them up', async () => {
    const expected = await scanned(db);
    expect(expected).toEqual([
      `${DAY}: 3 orders, revenue 204625, cost 162500`,
      `${DAY + 1}: 1 orders, revenue 300000, cost 40000`,
      `${DAY + 2}: 0 orders, revenue 0, cost 40000`,
      `${DAY + 4}: 1 orders, revenue 18519, cost 9000`,
      `${DAY + 6}: 1 orders, revenue 1, cost 0`,
    ]);
    expect(await migrate(db, 1)).toEqual([
      '0026_order_day_totals',
      ...MIGRATIONS.slice(before + 1).map((m) => m.id),
    ]);
    // The backfill is one change a day, none for a day that adds up to nothing (day 3); folded,
    // the same days.
    expect(await changes(db)).toBe(expected.length);
    expect(await foldedDays(db)).toEqual([]);
    expect(await kept(db)).toEqual(expected);
    expect(await foldOrderDayChanges(db)).toBe(expected.length);
    expect(await changes(db)).toBe(0);
    expect(await foldedDays(db)).toEqual(expected);
    expect(await kept(db)).toEqual(expected);
    expect(await kept(db, (DAY + 2) * DAY_MS)).toEqual(await scanned(db, (DAY + 2) * DAY_MS));
    expect(await kept(db, (DAY + 2) * DAY_MS)).toHaveLength(3);
  });

  it('keeps them exact through raw inserts, updates of every counted column and deletes, folded or not', async () => {
    const check = async () => expect(await kept(db)).toEqual(await scanned(db));
    const update = async (set: string, id: number, params: SqlValue[] = []) =>
      expect(await db.run(dynamicSql(`UPDATE orders SET ${set} WHERE id = ?`), [...params, id])).toBe(1);

    const parent = await insert(db, { charge: 500_000n, cost: 100_000n, createdAt: at(7) });
    const other = await insert(db, { kind: 'dripfeed', charge: 70_000n, createdAt: at(7, 1) });
    const child = await insert(db, { parent, charge: 30_000n, createdAt: at(7, 2) });
    await check();

    await update('refunded = 10000', parent); // a partial refund
    await update('refunded = 30000', child); // a full one
    await update('provider_cost = 25000', child); // a cost where there was none
    await update('provider_cost = 26000', child); // another cost
    await update('provider_cost = NULL', parent); // a cost gone (no rate)
    await update('charge = 600000, refunded = 0', parent); // the charge itself
    await check();

    // Moved days, and moved from top-level to child and back (each time counted or not as an order).
    await update('created_at = ?', parent, [at(5)]);
    await update('created_at = ?', child, [at(-3)]);
    await update('parent_id = ?', parent, [other]);
    await check();
    await update('parent_id = NULL', child);
    await update('parent_id = NULL', parent);
    await check();

    // What changes nothing counted appends nothing: a status move, a time within the same day, a
    // child moved to another parent, a cost NULL read as 0 again, a charge and refund that net out.
    await update('parent_id = ?', child, [other]);
    const appended = await changes(db);
    await update("status = 'partial'", parent);
    await update('created_at = ?', parent, [at(5, 23)]);
    await update('parent_id = ?', child, [parent]);
    await update('provider_cost = 0', other);
    await update('charge = 700000, refunded = 100000', parent);
    await update('provider_cost = NULL', other);
    expect(await changes(db)).toBe(appended);
    await check();

    // Folded: no changes left, the same totals; then statements touching several rows, and deletes.
    expect(await foldOrderDayChanges(db)).toBeGreaterThan(0);
    expect(await changes(db)).toBe(0);
    await check();
    expect(
      await db.run(
        dynamicSql('UPDATE orders SET refunded = charge, provider_cost = 1 WHERE created_at < ?'),
        [at(1)],
      ),
    ).toBe(4);
    expect(await db.run(dynamicSql('DELETE FROM orders WHERE parent_id = ?'), [drip])).toBe(3);
    expect(await db.run(dynamicSql('DELETE FROM orders WHERE id = ? OR id = ?'), [drip, other])).toBe(2);
    await check();

    // Folding twice moves nothing the second time and changes nothing; a day emptied by deletes
    // and refunds is gone from the folded table.
    await foldOrderDayChanges(db);
    const folded = await foldedDays(db);
    expect(await foldOrderDayChanges(db)).toBe(0);
    expect(await foldedDays(db)).toEqual(folded);
    expect(folded).toEqual(await scanned(db));
    expect((await foldedRows(db)).filter(isEmptyDay)).toEqual([]);
    await check();
  });

  it('refuses a start that is not the start of a UTC day', async () => {
    await expect(dailyTotals(db, at(0))).rejects.toThrow(RangeError);
    await expect(dailyTotals(db, Number.NaN)).rejects.toThrow(RangeError);
  });
});
