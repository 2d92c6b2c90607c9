import { type Queryable, sql } from './database.js';
import { type OrderStatusSnapshot, toOrderStatusSnapshot } from './orders.js';
import type { UserRole, UserStatus } from './users.js';

export interface ApiKeyOwner {
  key_id: bigint;
  user_id: bigint;
  role: UserRole;
  status: UserStatus;
  balance: bigint;
  /** Requests per minute for this user's keys; null: the panel's default, 0: none. */
  rate_limit_per_minute: bigint | null;
}

const insertApiKeySql = sql(
  'INSERT INTO api_keys (user_id, key_hash, key_prefix, created_at) VALUES (?, ?, ?, ?)',
);
// The hot path of every API request: one indexed read answers who is calling and their balance.
const selectOwner = sql(
  `SELECT k.id AS key_id, u.id AS user_id, u.role, u.status, u.balance, u.rate_limit_per_minute
   FROM api_keys k JOIN users u ON u.id = k.user_id
   WHERE k.key_hash = ? AND k.revoked_at IS NULL`,
);

export async function insertApiKey(
  q: Queryable,
  key: { userId: number; keyHash: string; prefix: string; now: number },
): Promise<void> {
  await q.run(insertApiKeySql, [key.userId, key.keyHash, key.prefix, key.now]);
}

export function findApiKeyOwner(q: Queryable, keyHash: string): Promise<ApiKeyOwner | undefined> {
  return q.get<ApiKeyOwner>(selectOwner, [keyHash]);
}

// `status` with one order, the call scripts repeat most: the key and the order in one read.
const selectOwnerWithOrder = sql(
  `SELECT k.id AS key_id, u.id AS user_id, u.role, u.status, u.balance, u.rate_limit_per_minute, o.id AS order_id, o.kind AS order_kind,
     o.status AS order_status, o.quantity AS order_quantity, o.runs AS order_runs, o.details AS order_details,
     o.charge AS order_charge, o.refunded AS order_refunded, o.start_count AS order_start_count,
     o.remains AS order_remains
   FROM api_keys k JOIN users u ON u.id = k.user_id
   LEFT JOIN orders o ON o.id = ? AND o.user_id = u.id
   WHERE k.key_hash = ? AND k.revoked_at IS NULL`,
);

interface OwnerWithOrderRow extends ApiKeyOwner {
  order_id: bigint | null;
  order_kind: string;
  order_status: string;
  order_quantity: bigint;
  order_runs: bigint | null;
  order_details: string;
  order_charge: bigint;
  order_refunded: bigint;
  order_start_count: bigint;
  order_remains: bigint;
}

/** The key's owner and, when it is theirs, one of their orders (undefined otherwise). */
export async function findApiKeyOwnerWithOrder(
  q: Queryable,
  keyHash: string,
  orderId: number,
): Promise<{ owner: ApiKeyOwner; order: OrderStatusSnapshot | undefined } | undefined> {
  const row = await q.get<OwnerWithOrderRow>(selectOwnerWithOrder, [orderId, keyHash]);
  if (!row) return undefined;
  const owner: ApiKeyOwner = {
    key_id: row.key_id,
    user_id: row.user_id,
    role: row.role,
    status: row.status,
    balance: row.balance,
    rate_limit_per_minute: row.rate_limit_per_minute,
  };
  if (row.order_id === null) return { owner, order: undefined };
  return {
    owner,
    order: toOrderStatusSnapshot({
      id: row.order_id,
      kind: row.order_kind,
      status: row.order_status,
      quantity: row.order_quantity,
      runs: row.order_runs,
      details: row.order_details,
      charge: row.order_charge,
      refunded: row.order_refunded,
      start_count: row.order_start_count,
      remains: row.order_remains,
    }),
  };
}
