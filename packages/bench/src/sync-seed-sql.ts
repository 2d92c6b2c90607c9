import type { Dialect } from '@smmkit/server/bench-support';
import { int, series } from './seed-sql.js';

/**
 * The bulk statements of the sync benchmark's two databases: the provider's (the reseller's account
 * there and its orders) and the reseller's (the provider, a service backed by it, a customer and
 * the orders in flight). Rows are generated inside the database, as seed-sql.ts does; every number
 * is ours and inlined as an integer literal.
 *
 * Order n at the provider (1..count, id PROVIDER_ORDER_BASE + n) decides everything by n % 100:
 *   0, 1   Completed            the reseller still has it In progress
 *   2      Partial with remains the reseller has it In progress: a partial refund
 *   3      Canceled             the reseller has it Pending: a full refund
 *   4, 5   In progress          the reseller has it Pending: a change without money
 *   6-49   Pending              the same at the reseller
 *   50-99  In progress          the same at the reseller, with older progress
 * Reseller order r points at provider order 1 + (r × ORDER_STRIDE) mod count, a permutation, so a
 * batch of 100 consecutive reseller orders asks about provider orders scattered over the table.
 */

/** The reseller's user at the provider, and the reseller's customer: both user 1. */
export const SYNC_USER_ID = 1;
export const PROVIDER_ID = 1;
export const PROVIDER_SERVICE_ID = 1;
/** The reseller syncs the provider's catalogue on a schedule meanwhile, at the shortest cadence allowed. */
export const CATALOG_SYNC_EVERY_MS = 10_000;
/** Provider order ids start past this, so they never coincide with the reseller's own ids. */
export const PROVIDER_ORDER_BASE = 500_000_000;
/** Prime to every order count the benchmark uses (powers of ten): r → r × stride mod count is one-to-one. */
export const ORDER_STRIDE = 7919;

/** 0.91234 per 1000 at the provider; the reseller sells it at 1.23457 (odd rates: rounding shows). */
export const PROVIDER_RATE = 91_234n;
export const RESELLER_RATE = 123_457n;
/** Enough for every seeded charge at either end. */
export const SYNC_DEPOSIT_UNITS = 100_000_000_000n;

const DAY_MS = 86_400_000;

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}

/** The provider order (its n, 1..count) reseller order r points at. */
export function providerOrderOf(r: number, count: number): number {
  return 1 + ((r * ORDER_STRIDE) % count);
}

function assertPermutation(count: number): void {
  if (gcd(ORDER_STRIDE, count) !== 1) throw new RangeError(`${count} orders: not prime to ${ORDER_STRIDE}`);
}

/** Provider order `n`'s status, quantity and charge at a rate, as SQL expressions over the column `n`. */
const providerStatus = (
  n: string,
) => `CASE WHEN ${n} % 100 < 2 THEN 'completed' WHEN ${n} % 100 = 2 THEN 'partial'
  WHEN ${n} % 100 = 3 THEN 'canceled' WHEN ${n} % 100 < 6 OR ${n} % 100 >= 50 THEN 'in_progress' ELSE 'pending' END`;
const quantity = (n: string) => `100 * (1 + ${n} % 50)`;
const charge = (n: string, rate: bigint) => `(${int(rate)} * ${quantity(n)} + 999) / 1000`;

/** The provider's database: the reseller as a customer with its orders, as the provider would have them. */
export function providerSeedStatements(dialect: Dialect, count: number, now: number) {
  assertPermutation(count);
  const seededAt = now - 30 * DAY_MS;
  const s = series(dialect, count);
  return [
    {
      label: 'provider: reseller account',
      text: `INSERT INTO users (id, username, password_hash, role, status, balance, created_at, rate_limit_per_minute)
        VALUES (${int(SYNC_USER_ID)}, 'reseller', NULL, 'customer', 'active', 0, ${int(seededAt)}, 0)`,
    },
    {
      label: 'provider: deposit',
      text: `INSERT INTO ledger_entries (id, user_id, amount, kind, entry_key, order_id, memo, balance_after, created_at)
        VALUES (1, ${int(SYNC_USER_ID)}, ${int(SYNC_DEPOSIT_UNITS)}, 'deposit', 'deposit:seed', NULL, 'benchmark seed',
          ${int(SYNC_DEPOSIT_UNITS)}, ${int(seededAt)})`,
    },
    {
      label: 'provider: category',
      text: `INSERT INTO categories (id, name, sort, created_at) VALUES (1, 'Instagram', 1, ${int(seededAt)})`,
    },
    {
      label: 'provider: service',
      text: `INSERT INTO services (id, category_id, name, type, rate, min_quantity, max_quantity, cancel, sort, created_at,
          updated_at)
        VALUES (${int(PROVIDER_SERVICE_ID)}, 1, 'Instagram Followers [Real]', 'Default', ${int(PROVIDER_RATE)}, 10,
          100000, 1, 1, ${int(seededAt)}, ${int(seededAt)})`,
    },
    {
      // What the provider refunded follows the pricing rule: Canceled all, Partial the undelivered
      // share rounded down; remains are what a provider shows (Canceled: nothing delivered).
      label: 'provider: orders',
      text: `${s.with} INSERT INTO orders (id, user_id, service_id, kind, status, link, quantity, details, rate, charge,
          refunded, start_count, remains, dispatch_state, created_at, updated_at, completed_at)
        SELECT ${int(PROVIDER_ORDER_BASE)} + n, ${int(SYNC_USER_ID)}, ${int(PROVIDER_SERVICE_ID)}, 'order', x.status,
          'https://instagram.com/p/sync' || n, x.quantity, '{}', ${int(PROVIDER_RATE)}, x.charge,
          CASE x.status WHEN 'canceled' THEN x.charge WHEN 'partial' THEN x.charge * x.remains / x.quantity ELSE 0 END,
          CASE WHEN x.status = 'pending' THEN 0 ELSE 1000 + n % 9000 END, x.remains, 'manual',
          ${int(seededAt)} + n, ${int(now)}, CASE WHEN x.status IN ('completed', 'partial') THEN ${int(now)} END
        FROM (
          -- Delivered so far (Partial, In progress): 1 to 9 tenths of the quantity.
          SELECT n, ${providerStatus('n')} AS status, ${quantity('n')} AS quantity, ${charge('n', PROVIDER_RATE)} AS charge,
            CASE ${providerStatus('n')} WHEN 'completed' THEN 0 WHEN 'partial' THEN ${quantity('n')} * (9 - n % 9) / 10
              WHEN 'in_progress' THEN ${quantity('n')} * (9 - n % 9) / 10 ELSE ${quantity('n')} END AS remains
          FROM ${s.from}
        ) x ORDER BY n`,
    },
    ...ledgerStatements(count, 1),
  ];
}

/** The reseller's database: the provider, its service here, one customer and the orders in flight. */
export function resellerSeedStatements(
  dialect: Dialect,
  count: number,
  provider: { url: string; apiKey: string },
  now: number,
) {
  assertPermutation(count);
  const seededAt = now - 30 * DAY_MS;
  const s = series(dialect, count);
  // What the reseller last knew of provider order p: Completed, Partial and the first In progress
  // ones (p % 100 < 3) as In progress, Canceled and the moved ones (3 to 5) as Pending.
  const resellerStatus = `CASE WHEN p % 100 < 3 OR p % 100 >= 50 THEN 'in_progress' ELSE 'pending' END`;
  return [
    {
      label: 'reseller: customer',
      text: `INSERT INTO users (id, username, password_hash, role, status, balance, created_at)
        VALUES (${int(SYNC_USER_ID)}, 'customer', NULL, 'customer', 'active', 0, ${int(seededAt)})`,
    },
    {
      label: 'reseller: deposit',
      text: `INSERT INTO ledger_entries (id, user_id, amount, kind, entry_key, order_id, memo, balance_after, created_at)
        VALUES (1, ${int(SYNC_USER_ID)}, ${int(SYNC_DEPOSIT_UNITS)}, 'deposit', 'deposit:seed', NULL, 'benchmark seed',
          ${int(SYNC_DEPOSIT_UNITS)}, ${int(seededAt)})`,
    },
    {
      // The url and key are ours (a port number and a hex key), checked before they are inlined.
      label: 'reseller: provider',
      text: `INSERT INTO providers (id, name, url, api_key, currency, honours_request_id, sync_every_ms,
          next_catalog_sync_at, created_at, updated_at)
        VALUES (${int(PROVIDER_ID)}, 'bench-provider', ${quoted(provider.url)}, ${quoted(provider.apiKey)}, 'USD', 1,
          ${int(CATALOG_SYNC_EVERY_MS)}, ${int(seededAt)}, ${int(seededAt)}, ${int(seededAt)})`,
    },
    {
      label: 'reseller: category',
      text: `INSERT INTO categories (id, name, sort, created_at) VALUES (1, 'Instagram', 1, ${int(seededAt)})`,
    },
    {
      label: 'reseller: service',
      text: `INSERT INTO services (id, category_id, name, type, rate, min_quantity, max_quantity, cancel, sort, mode,
          provider_id, provider_service_id, provider_rate, created_at, updated_at)
        VALUES (1, 1, 'Instagram Followers [Real]', 'Default', ${int(RESELLER_RATE)}, 10, 100000, 1, 1, 'provider',
          ${int(PROVIDER_ID)}, '${int(PROVIDER_SERVICE_ID)}', ${int(PROVIDER_RATE)}, ${int(seededAt)}, ${int(seededAt)})`,
    },
    {
      // Sent, linked to their provider order, and all due: the worker's next pass asks about every one.
      label: 'reseller: orders in flight',
      text: `${s.with} INSERT INTO orders (id, user_id, service_id, kind, status, link, quantity, details, rate, charge,
          refunded, start_count, remains, dispatch_state, provider_id, provider_service_id, provider_order_id,
          dispatch_attempts, next_sync_at, created_at, updated_at)
        SELECT r, ${int(SYNC_USER_ID)}, 1, 'order', ${resellerStatus}, 'https://instagram.com/p/sync' || p,
          ${quantity('p')}, '{}', ${int(RESELLER_RATE)}, ${charge('p', RESELLER_RATE)}, 0, 0, ${quantity('p')}, 'sent',
          ${int(PROVIDER_ID)}, '${int(PROVIDER_SERVICE_ID)}', CAST(${int(PROVIDER_ORDER_BASE)} + p AS TEXT), 1,
          ${int(now)} - 60000 - r, ${int(seededAt)} + r, ${int(seededAt)} + r
        FROM (SELECT n AS r, 1 + (n * ${int(ORDER_STRIDE)}) % ${int(count)} AS p FROM ${s.from}) x ORDER BY r`,
    },
    ...ledgerStatements(count, 1),
  ];
}

/**
 * One charge per order keyed `charge:<id>` with the running balance after it (ids after the
 * deposit's), then each balance set from its ledger: balance == SUM(amount) by construction.
 */
function ledgerStatements(count: number, firstEntryId: number) {
  return [
    {
      label: 'charges',
      text: `INSERT INTO ledger_entries (id, user_id, amount, kind, entry_key, order_id, memo, balance_after, created_at)
        SELECT ${int(firstEntryId)} + ROW_NUMBER() OVER (ORDER BY id), user_id, -charge, 'charge', 'charge:' || id, id,
          NULL, ${int(SYNC_DEPOSIT_UNITS)} - SUM(charge) OVER (PARTITION BY user_id ORDER BY id), created_at
        FROM orders ORDER BY id`,
    },
    {
      // Refunds of Partial and Canceled orders (the provider's; none yet at the reseller), keyed
      // as changeOrderStatus keys them, after every charge. The one user's (uncorrelated: one sum).
      label: 'refunds',
      text: `INSERT INTO ledger_entries (id, user_id, amount, kind, entry_key, order_id, memo, balance_after, created_at)
        SELECT ${int(firstEntryId + count)} + ROW_NUMBER() OVER (ORDER BY id), user_id, refunded, 'refund',
          'refund:' || status || ':' || id, id, NULL,
          ${int(SYNC_DEPOSIT_UNITS)} - (SELECT SUM(charge) FROM orders WHERE user_id = ${int(SYNC_USER_ID)})
            + SUM(refunded) OVER (ORDER BY id), updated_at
        FROM orders WHERE user_id = ${int(SYNC_USER_ID)} AND refunded > 0 ORDER BY id`,
    },
    {
      label: 'balances',
      text: `UPDATE users SET balance = (SELECT SUM(l.amount) FROM ledger_entries l WHERE l.user_id = users.id)`,
    },
  ];
}

/** A string literal of our own making: refused if it holds anything but URL and hex characters. */
function quoted(text: string): string {
  if (!/^[A-Za-z0-9:/._-]+$/.test(text)) throw new RangeError(`unexpected characters in ${text}`);
  return `'${text}'`;
}
