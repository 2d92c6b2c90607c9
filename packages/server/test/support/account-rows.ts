import { type Queryable, sql } from '../../src/store/database.js';

/**
 * Raw rows (snake_case columns, integers as bigint) for tests that inspect what the database holds
 * about services, providers and the ledger, as they did before the store returned records: the
 * store's own readers map rows into the app's vocabulary, which these assertions are not about.
 */

export interface ServiceRow {
  id: bigint;
  category_id: bigint;
  category: string;
  name: string;
  type: string;
  description: string;
  rate: bigint;
  min_quantity: bigint;
  max_quantity: bigint;
  refill: bigint;
  refill_days: bigint;
  cancel: bigint;
  dripfeed: bigint;
  allow_duplicate_links: bigint;
  old_posts: bigint;
  enabled: bigint;
  mode: string;
  sort: bigint;
}

const selectService = sql(
  `SELECT s.id, s.category_id, c.name AS category, s.name, s.type, s.description, s.rate, s.min_quantity,
     s.max_quantity, s.refill, s.refill_days, s.cancel, s.dripfeed, s.allow_duplicate_links, s.old_posts,
     s.enabled, s.mode, s.sort
   FROM services s JOIN categories c ON c.id = s.category_id WHERE s.id = ?`,
);

export function findService(q: Queryable, id: number): Promise<ServiceRow | undefined> {
  return q.get<ServiceRow>(selectService, [id]);
}

export interface ProviderRow {
  id: bigint;
  name: string;
  url: string;
  api_key: string;
  currency: string | null;
  last_balance: bigint | null;
  last_balance_at: bigint | null;
  markup_percent: bigint;
  fixed_markup: bigint;
  honours_request_id: bigint;
  on_refusal: string;
  paused_until: bigint | null;
  last_error: string | null;
  last_error_at: bigint | null;
  created_at: bigint;
  updated_at: bigint;
}

const selectProvider = sql(
  `SELECT id, name, url, api_key, currency, last_balance, last_balance_at, markup_percent, fixed_markup,
     honours_request_id, on_refusal, paused_until, last_error, last_error_at, created_at, updated_at
   FROM providers WHERE id = ?`,
);

export function findProvider(q: Queryable, id: number): Promise<ProviderRow | undefined> {
  return q.get<ProviderRow>(selectProvider, [id]);
}
