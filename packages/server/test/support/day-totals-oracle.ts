import { type Queryable, sql } from '../../src/store/database.js';
import { scanOrderDays } from '../../src/store/kept-totals-check.js';
import { dailyTotals } from '../../src/store/order-day-totals.js';

export const DAY_MS = 86_400_000;

const countChanges = sql('SELECT COUNT(*) AS count FROM order_day_changes');
const selectFolded = sql('SELECT day, orders, revenue, cost FROM order_day_totals ORDER BY day');

export interface DayRow {
  day: bigint;
  orders: bigint;
  revenue: bigint;
  cost: bigint;
}
type Totals = { day: number | bigint; orders: number | bigint; revenue: bigint; cost: bigint };
/** A day as one comparable line: a mismatch shows which day and which sum. */
const line = (row: Totals) => `${row.day}: ${row.orders} orders, revenue ${row.revenue}, cost ${row.cost}`;
export const isEmptyDay = (row: Totals) => Number(row.orders) === 0 && row.revenue === 0n && row.cost === 0n;

/** The scan's rows from `since`, as they come. */
export function scanRows(q: Queryable, since = 0): Promise<DayRow[]> {
  return q.all<DayRow>(scanOrderDays, [since]);
}

/** The folded rows of `order_day_totals` alone (without the changes not yet folded). */
export function foldedRows(q: Queryable): Promise<DayRow[]> {
  return q.all<DayRow>(selectFolded);
}

/** `foldedRows` as comparable lines. */
export async function foldedDays(q: Queryable): Promise<string[]> {
  return (await foldedRows(q)).map(line);
}

/** The scan's days from `since`, less those that add up to nothing (the kept totals leave them out). */
export async function scannedDays(q: Queryable, since = 0): Promise<string[]> {
  return (await scanRows(q, since)).filter((row) => !isEmptyDay(row)).map(line);
}

/** The kept totals' days from `since`, as `dailyTotals` reads them. */
export async function keptDays(q: Queryable, since = 0): Promise<string[]> {
  return (await dailyTotals(q, since)).map(line);
}

/** Changes appended and not yet folded. */
export async function unfoldedDayChanges(q: Queryable): Promise<number> {
  return Number((await q.get<{ count: bigint }>(countChanges))?.count);
}
