import type { Dialect } from '@smmkit/server/bench-support';
import { int, series } from './seed-sql.js';

/**
 * The bulk statements of the dispatch benchmark's two databases: the provider's (the reseller's
 * account there, funded, and the service it sells) and the reseller's (the provider, a service
 * backed by it, one customer and N orders `queued`, charged, due now). Rows are generated inside the
 * database, as seed-sql.ts does; every number is ours and inlined as an integer literal.
 *
 * Order n at the reseller (1..count) has link https://instagram.com/p/dispatch<n> and quantity
 * 100 × (1 + n % 50): the check finds each one's provider order by the id the reseller recorded
 * and compares the two.
 */

/** The reseller's user at the provider, and the reseller's customer: both user 1. */
export const DISPATCH_USER_ID = 1;
export const PROVIDER_ID = 1;
export const PROVIDER_SERVICE_ID = 1;

/** 0.91234 per 1000 at the provider; the reseller sells it at 1.23457 (odd rates: rounding shows). */
export const PROVIDER_RATE = 91_234n;
export const RESELLER_RATE = 123_457n;
/** Enough for every seeded charge at either end. */
export const DISPATCH_DEPOSIT_UNITS = 100_000_000_000n;

const DAY_MS = 86_400_000;

/** Order n's link and quantity, as SQL over the column `n` and in code (the check). */
export const dispatchLink = (n: number | bigint) => `https://instagram.com/p/dispatch${n}`;
const linkSql = (n: string) => `'https://instagram.com/p/dispatch' || ${n}`;
const quantity = (n: string) => `100 * (1 + ${n} % 50)`;
const charge = (n: string, rate: bigint) => `(${int(rate)} * ${quantity(n)} + 999) / 1000`;

/** The provider's database: the reseller as a funded customer, and the service it buys. */
export function providerSeedStatements(now: number) {
  const seededAt = now - 30 * DAY_MS;
  return [
    {
      label: 'provider: reseller account',
      text: `INSERT INTO users (id, username, password_hash, role, status, balance, created_at, rate_limit_per_minute)
        VALUES (${int(DISPATCH_USER_ID)}, 'reseller', NULL, 'customer', 'active', ${int(DISPATCH_DEPOSIT_UNITS)},
          ${int(seededAt)}, 0)`,
    },
    {
      label: 'provider: deposit',
      text: `INSERT INTO ledger_entries (id, user_id, amount, kind, entry_key, order_id, memo, balance_after, created_at)
        VALUES (1, ${int(DISPATCH_USER_ID)}, ${int(DISPATCH_DEPOSIT_UNITS)}, 'deposit', 'deposit:seed', NULL,
          'benchmark seed', ${int(DISPATCH_DEPOSIT_UNITS)}, ${int(seededAt)})`,
    },
    {
      label: 'provider: category',
      text: `INSERT INTO categories (id, name, sort, created_at) VALUES (1, 'Instagram', 1, ${int(seededAt)})`,
    },
    {
      // Duplicate links refused (the default of a new service): every order's own link passes.
      label: 'provider: service',
      text: `INSERT INTO services (id, category_id, name, type, rate, min_quantity, max_quantity, cancel, sort,
          allow_duplicate_links, created_at, updated_at)
        VALUES (${int(PROVIDER_SERVICE_ID)}, 1, 'Instagram Followers [Real]', 'Default', ${int(PROVIDER_RATE)}, 10,
          100000, 1, 1, 0, ${int(seededAt)}, ${int(seededAt)})`,
    },
  ];
}

/** The reseller's database: the provider, its service here, one customer and the queued orders. */
export function resellerSeedStatements(
  dialect: Dialect,
  count: number,
  provider: { url: string; apiKey: string },
  now: number,
) {
  const seededAt = now - 30 * DAY_MS;
  const s = series(dialect, count);
  return [
    {
      label: 'reseller: customer',
      text: `INSERT INTO users (id, username, password_hash, role, status, balance, created_at)
        VALUES (${int(DISPATCH_USER_ID)}, 'customer', NULL, 'customer', 'active', 0, ${int(seededAt)})`,
    },
    {
      label: 'reseller: deposit',
      text: `INSERT INTO ledger_entries (id, user_id, amount, kind, entry_key, order_id, memo, balance_after, created_at)
        VALUES (1, ${int(DISPATCH_USER_ID)}, ${int(DISPATCH_DEPOSIT_UNITS)}, 'deposit', 'deposit:seed', NULL,
          'benchmark seed', ${int(DISPATCH_DEPOSIT_UNITS)}, ${int(seededAt)})`,
    },
    {
      // The url and key are ours (a port number and a hex key), checked before they are inlined.
      // smmkit replays a repeated request_id: the worker sends every order with one.
      label: 'reseller: provider',
      text: `INSERT INTO providers (id, name, url, api_key, currency, honours_request_id, created_at, updated_at)
        VALUES (${int(PROVIDER_ID)}, 'bench-provider', ${quoted(provider.url)}, ${quoted(provider.apiKey)}, 'USD', 1,
          ${int(seededAt)}, ${int(seededAt)})`,
    },
    {
      label: 'reseller: category',
      text: `INSERT INTO categories (id, name, sort, created_at) VALUES (1, 'Instagram', 1, ${int(seededAt)})`,
    },
    {
      label: 'reseller: service',
      text: `INSERT INTO services (id, category_id, name, type, rate, min_quantity, max_quantity, cancel, sort, mode,
          allow_duplicate_links, provider_id, provider_service_id, provider_rate, created_at, updated_at)
        VALUES (1, 1, 'Instagram Followers [Real]', 'Default', ${int(RESELLER_RATE)}, 10, 100000, 1, 1, 'provider', 0,
          ${int(PROVIDER_ID)}, '${int(PROVIDER_SERVICE_ID)}', ${int(PROVIDER_RATE)}, ${int(seededAt)}, ${int(seededAt)})`,
    },
    {
      // As `add` leaves them: Pending, charged, queued for dispatch and due now.
      label: 'reseller: queued orders',
      text: `${s.with} INSERT INTO orders (id, user_id, service_id, kind, status, link, quantity, details, rate, charge,
          refunded, remains, active_link, dispatch_state, dispatch_after, provider_id, provider_service_id, created_at,
          updated_at)
        SELECT n, ${int(DISPATCH_USER_ID)}, 1, 'order', 'pending', ${linkSql('n')}, ${quantity('n')}, '{}',
          ${int(RESELLER_RATE)}, ${charge('n', RESELLER_RATE)}, 0, ${quantity('n')}, ${linkSql('n')}, 'queued',
          ${int(now)} - 60000, ${int(PROVIDER_ID)}, '${int(PROVIDER_SERVICE_ID)}', ${int(now)} - 60000,
          ${int(now)} - 60000
        FROM ${s.from} ORDER BY n`,
    },
    {
      label: 'reseller: charges',
      text: `INSERT INTO ledger_entries (id, user_id, amount, kind, entry_key, order_id, memo, balance_after, created_at)
        SELECT 1 + ROW_NUMBER() OVER (ORDER BY id), user_id, -charge, 'charge', 'charge:' || id, id, NULL,
          ${int(DISPATCH_DEPOSIT_UNITS)} - SUM(charge) OVER (PARTITION BY user_id ORDER BY id), created_at
        FROM orders ORDER BY id`,
    },
    {
      label: 'reseller: balance',
      text: `UPDATE users SET balance = (SELECT SUM(l.amount) FROM ledger_entries l WHERE l.user_id = users.id)`,
    },
  ];
}

/** A string literal of our own making: refused if it holds anything but URL and hex characters. */
function quoted(text: string): string {
  if (!/^[A-Za-z0-9:/._-]+$/.test(text)) throw new RangeError(`unexpected characters in ${text}`);
  return `'${text}'`;
}
