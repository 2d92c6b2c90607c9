import type { Dialect } from '@smmkit/server/bench-support';
import type { SeedSizes } from './options.js';

/**
 * The bulk statements that seed a benchmark database: each generates its rows inside the
 * database (a recursive CTE on SQLite, generate_series on PostgreSQL), so a million orders cost
 * one statement rather than a million round trips. Every number is ours and inlined as an integer
 * literal; nothing here comes from outside.
 */

/** Every customer starts with one deposit big enough for the seeded orders and every benchmark add. */
export const DEPOSIT_UNITS = 100_000_000_000n; // 1,000,000.00000

/** The service `add` is measured on: a Default service (service 1 is Default by the rule below). */
export const ADD_SERVICE_ID = 1;
export const ADD_QUANTITY = 100;

const DAY_MS = 86_400_000;
const YEAR_MS = 365 * DAY_MS;

/**
 * How far apart seeded orders are, oldest first, ending now: evenly over about a year, as on a
 * panel that took that many orders in its first year (10M: ~27,000 a day, what the dashboard's
 * two weeks read; 1M: ~31.5 s apart), and never less than 1 ms.
 */
export function orderSpacingMs(orders: number): number {
  if (!Number.isSafeInteger(orders) || orders < 1) throw new RangeError(`not an order count: ${orders}`);
  return Math.max(1, Math.floor(YEAR_MS / orders));
}

/** An integer of ours as SQL text (never input: anything else throws). */
export function int(value: number | bigint): string {
  const text = value.toString();
  if (!/^-?\d+$/.test(text)) throw new RangeError(`not an integer: ${text}`);
  return text;
}

/** `n` = 1..count, written the dialect's way. */
export function series(dialect: Dialect, count: number): { with: string; from: string } {
  return dialect === 'sqlite'
    ? {
        with: `WITH RECURSIVE s(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM s WHERE n < ${int(count)})`,
        from: 's',
      }
    : { with: '', from: `generate_series(1, ${int(count)}::bigint) AS s(n)` };
}

export function seedStatements(
  dialect: Dialect,
  sizes: SeedSizes,
  now: number,
): { label: string; text: string }[] {
  const { users, categories, services, orders } = sizes;
  // Each user's money arrives in `deposits` equal deposits before any order (the scale mode's
  // two a order make ~3 ledger entries per order); `funded` is what they add up to.
  const deposits = Math.max(1, sizes.depositsPerUser ?? 1);
  const depositUnits = DEPOSIT_UNITS / BigInt(deposits);
  const funded = depositUnits * BigInt(deposits);
  const depositRows = users * deposits;
  const d = series(dialect, depositRows);
  const seededAt = now - 400 * DAY_MS;
  const c = series(dialect, categories);
  const s = series(dialect, services);
  const u = series(dialect, users);
  const o = series(dialect, orders);
  const spacing = orderSpacingMs(orders);
  return [
    {
      label: 'categories',
      text: `${c.with} INSERT INTO categories (id, name, sort, created_at)
        SELECT n, 'Category ' || n, n, ${int(seededAt)} FROM ${c.from}`,
    },
    {
      // Mostly Default (what most panels sell), with a few other types so `services` looks real.
      label: 'services',
      text: `${s.with} INSERT INTO services (id, category_id, name, type, description, rate, min_quantity,
          max_quantity, refill, cancel, dripfeed, sort, created_at, updated_at)
        SELECT n, 1 + (n - 1) % ${int(categories)},
          'Instagram Followers [Real, HQ] #' || n || ' - up to 100K/day',
          CASE n % 20 WHEN 0 THEN 'Package' WHEN 5 THEN 'Custom Comments' WHEN 10 THEN 'Mentions Hashtag'
            WHEN 15 THEN 'Comment Likes' ELSE 'Default' END,
          'Start: 0-1 hours. Speed: 10K/day. Refill: 30 days. Link: profile or post URL.',
          10000 + (n * 7919) % 990000,
          CASE WHEN n % 20 = 0 THEN 1 ELSE 10 END,
          CASE WHEN n % 20 = 0 THEN 1 ELSE 100000 END,
          CASE WHEN n % 3 = 0 THEN 1 ELSE 0 END, n % 2,
          CASE WHEN n % 5 = 1 THEN 1 ELSE 0 END, n, ${int(seededAt)}, ${int(seededAt)}
        FROM ${s.from}`,
    },
    {
      label: 'users',
      text: `${u.with} INSERT INTO users (id, username, password_hash, role, status, balance, created_at)
        SELECT n, 'bench' || n, NULL, 'customer', 'active', ${int(DEPOSIT_UNITS)}, ${int(seededAt)} FROM ${u.from}`,
    },
    {
      // Deposit n goes to user 1 + (n - 1) / deposits, its running balance the deposits so far.
      label: 'deposits',
      text: `${d.with} INSERT INTO ledger_entries (id, user_id, amount, kind, entry_key, order_id, memo, balance_after, created_at)
        SELECT n, 1 + (n - 1) / ${int(deposits)}, ${int(depositUnits)}, 'deposit', 'deposit:seed:' || n, NULL,
          'benchmark seed', ${int(depositUnits)} * (1 + (n - 1) % ${int(deposits)}), ${int(seededAt)}
        FROM ${d.from} ORDER BY n`,
    },
    {
      // Each user gets orders/users orders (7919 is prime to the user count), over every service;
      // statuses are mostly final, as on a panel that has been running a while. Charges follow the
      // pricing rule: rate x quantity / 1000 rounded up, flat for a Package.
      label: 'orders',
      text: `${o.with} INSERT INTO orders (id, user_id, service_id, kind, parent_id, status, link, quantity, details,
          rate, charge, refunded, start_count, remains, active_link, dispatch_state, created_at, updated_at,
          completed_at)
        SELECT x.n, x.user_id, x.service_id, 'order', NULL, x.status, 'https://instagram.com/p/seed' || x.n,
          x.quantity, '{}', x.rate,
          CASE WHEN x.flat = 1 THEN x.rate ELSE (x.rate * x.quantity + 999) / 1000 END,
          0, x.n % 10000,
          CASE x.status WHEN 'completed' THEN 0 WHEN 'pending' THEN x.quantity ELSE x.quantity / 2 END,
          NULL, 'manual', x.created_at, x.created_at,
          CASE WHEN x.status = 'completed' THEN x.created_at + 3600000 END
        FROM (
          SELECT g.n, g.user_id, sv.id AS service_id, sv.rate, g.status, g.created_at,
            CASE WHEN sv.type = 'Package' THEN 1 ELSE 0 END AS flat,
            CASE WHEN sv.type = 'Package' THEN 1 ELSE g.quantity END AS quantity
          FROM (
            SELECT n, 1 + (n * 7919) % ${int(users)} AS user_id, 1 + (n * 729) % ${int(services)} AS service_id,
              CASE n % 10 WHEN 6 THEN 'in_progress' WHEN 7 THEN 'in_progress' WHEN 8 THEN 'processing'
                WHEN 9 THEN 'pending' ELSE 'completed' END AS status,
              100 * (1 + n % 50) AS quantity,
              ${int(now)} - (${int(orders)} - n) * ${int(spacing)} AS created_at
            FROM ${o.from}
          ) g JOIN services sv ON sv.id = g.service_id
        ) x ORDER BY x.n`,
    },
    {
      // One charge entry per order, keyed as placeOrder keys it, with the running balance after it.
      label: 'charges',
      text: `INSERT INTO ledger_entries (id, user_id, amount, kind, entry_key, order_id, memo, balance_after, created_at)
        SELECT ${int(depositRows)} + id, user_id, -charge, 'charge', 'charge:' || id, id, NULL,
          ${int(funded)} - SUM(charge) OVER (PARTITION BY user_id ORDER BY id), created_at
        FROM orders ORDER BY id`,
    },
    {
      // A refill on every fifth completed order (its id a fifth of the order's), most done long
      // ago: what `refill_status` with many ids reads.
      label: 'refills',
      text: `INSERT INTO refills (id, order_id, user_id, status, created_at, updated_at)
        SELECT id / 5, id, user_id,
          CASE (id / 5) % 4 WHEN 0 THEN 'rejected' WHEN 1 THEN 'in_progress' ELSE 'completed' END,
          completed_at, completed_at
        FROM orders WHERE status = 'completed' AND id % 5 = 0 ORDER BY id`,
    },
    {
      // The cached balance is set from the ledger itself, so balance == SUM(amount) by construction.
      label: 'balances',
      text: `UPDATE users SET balance = (SELECT SUM(l.amount) FROM ledger_entries l WHERE l.user_id = users.id)`,
    },
  ];
}

/** After explicit ids, PostgreSQL's identity sequences must move past them or the server's inserts collide. */
export function postgresSequenceResets(): string[] {
  return ['users', 'categories', 'services', 'orders', 'ledger_entries', 'refills'].map(
    (table) =>
      `SELECT setval(pg_get_serial_sequence('${table}', 'id'), (SELECT COALESCE(MAX(id), 1) FROM ${table}))`,
  );
}
