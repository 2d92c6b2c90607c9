import { type UserStatus, readUserStatus } from '../domain/accounts.js';
import { type Eager, thenEager } from '../domain/eager.js';
import { CATALOG_VERSION_SQL, versionOrZero } from './catalog-version.js';
import { numberOrNull } from './column-values.js';
import { type Queryable, idArray, sql, sqlValues, sqlValuesByDialect } from './database.js';
import { type OrderStatusSnapshot, toOrderStatusSnapshot } from './orders.js';

/**
 * Who an API key belongs to, as every API request needs it: only an active user's key has one
 * (a suspended user's keys read as unknown ones). Each column read costs: better-sqlite3 builds a
 * row value by value (measured: ~1,600 instructions a column, against ~10,800 for the whole
 * indexed read of `status` with one column), so the hot reads select what the API uses and no more.
 */
export interface ApiKeyOwner {
  readonly keyId: number;
  readonly userId: number;
  readonly balance: bigint;
  /** Requests per minute for this user's keys; null: the panel's default, 0: none. */
  readonly rateLimitPerMinute: number | null;
}

/** The owner's columns, in the order both owner reads select them (`OWNER_COLUMNS`). */
type OwnerValues = [keyId: bigint, userId: bigint, balance: bigint, rateLimitPerMinute: bigint | null];

const OWNER_COLUMNS = 'k.id, u.id, u.balance, u.rate_limit_per_minute';
/** The key's row and its user's, when the key is live and the user active. */
const OWNER_FROM = `api_keys k JOIN users u ON u.id = k.user_id AND u.status = 'active'`;
const LIVE_KEY = 'k.key_hash = ? AND k.revoked_at IS NULL';

// Indexes, not destructuring: this runs on every API request.
function toApiKeyOwner(row: readonly [...OwnerValues, ...unknown[]]): ApiKeyOwner {
  return {
    keyId: Number(row[0]),
    userId: Number(row[1]),
    balance: row[2],
    rateLimitPerMinute: numberOrNull(row[3]),
  };
}

const insertApiKeySql = sql(
  'INSERT INTO api_keys (user_id, key_hash, key_prefix, created_at) VALUES (?, ?, ?, ?)',
);
// The hot path of every API request: one indexed read answers who is calling and their balance.
// Read as values (see Statement.values), as is the same with an order below.
const selectOwner = sqlValues(`SELECT ${OWNER_COLUMNS} FROM ${OWNER_FROM} WHERE ${LIVE_KEY}`);

// The count and the insert in one statement; on PostgreSQL the user's row is locked first, so two
// concurrent creations cannot both see room for one more (SQLite serialises writers anyway).
const lockUserSql = sql('SELECT id FROM users WHERE id = ? FOR UPDATE');
const insertApiKeyWithinCapSql = sql(
  `INSERT INTO api_keys (user_id, key_hash, key_prefix, created_at)
   SELECT ?, ?, ?, ? WHERE (SELECT COUNT(*) FROM api_keys WHERE user_id = ? AND revoked_at IS NULL) < ?`,
);

/** Inserts the key unless the user has `max` active keys already; resolves to whether it did. */
export async function insertApiKeyWithinCap(
  q: Queryable,
  key: { userId: number; keyHash: string; prefix: string; now: number },
  max: number,
): Promise<boolean> {
  if (q.dialect === 'postgres') await q.get(lockUserSql, [key.userId]);
  const inserted = await q.run(insertApiKeyWithinCapSql, [
    key.userId,
    key.keyHash,
    key.prefix,
    key.now,
    key.userId,
    max,
  ]);
  return inserted === 1;
}

export async function insertApiKey(
  q: Queryable,
  key: { userId: number; keyHash: string; prefix: string; now: number },
): Promise<void> {
  await q.run(insertApiKeySql, [key.userId, key.keyHash, key.prefix, key.now]);
}

export function findApiKeyOwner(q: Queryable, keyHash: string): Eager<ApiKeyOwner | undefined> {
  return thenEager(q.getEager<OwnerValues>(selectOwner, [keyHash]), ownerOrUndefined);
}

/**
 * PostgreSQL: the channel a change to what a key says of its caller is NOTIFYed on (a key revoked
 * or deleted, its user suspended, deleted or given another rate limit), for the nodes' copies of
 * key owners (app/users/api-key-owner-cache.ts). Triggers on `api_keys` and `users` NOTIFY it
 * whoever writes (migration 0028); the writers here NOTIFY it as well, which PostgreSQL folds into
 * one notification, so that this process's own copy is dropped as soon as the commit returns.
 */
export const API_KEYS_CHANNEL = 'smmkit_api_keys';

/** In the transaction that changes a key or its user's status or rate limit (a no-op on SQLite). */
export async function notifyKeyOwnersChanged(q: Queryable): Promise<void> {
  if (q.notify) await q.notify(API_KEYS_CHANNEL);
}

// The owner reads run on every API request: eager reads (on SQLite the row at once, no promise)
// and plain functions applied to them, not async ones, so a request allocates no async frame.
function ownerOrUndefined(row: OwnerValues | undefined): ApiKeyOwner | undefined {
  return row && toApiKeyOwner(row);
}

/** What a key says of its caller now, as `readKeyCallers` reads it for a batch of `add`s. */
export interface KeyCaller {
  readonly userId: number;
  readonly status: UserStatus;
  readonly rateLimitPerMinute: number | null;
}

/** Whether the key's caller read inside the write is still the cached one (app/users/api-caller-cache.ts). */
export function stillCaller(
  cached: { readonly userId: number; readonly rateLimitPerMinute: number | null },
  now: KeyCaller | undefined,
): boolean {
  return (
    now !== undefined &&
    now.status === 'active' &&
    now.userId === cached.userId &&
    now.rateLimitPerMinute === cached.rateLimitPerMinute
  );
}

// Rows as arrays (`sqlValues`): a batch reads one per order.
const selectKeyCallers = sqlValuesByDialect({
  sqlite: `SELECT k.id AS key_id, k.user_id, u.status, u.rate_limit_per_minute
           FROM api_keys k JOIN users u ON u.id = k.user_id
           WHERE k.id IN (SELECT value FROM json_each(?)) AND k.revoked_at IS NULL`,
  postgres: `SELECT k.id AS key_id, k.user_id, u.status, u.rate_limit_per_minute
             FROM api_keys k JOIN users u ON u.id = k.user_id
             WHERE k.id = ANY(?::bigint[]) AND k.revoked_at IS NULL`,
});

/** The callers of these keys by key id; a revoked or unknown key is absent. */
export async function readKeyCallers(
  q: Queryable,
  keyIds: readonly number[],
): Promise<Map<number, KeyCaller>> {
  const rows = await q.all<
    [keyId: bigint, userId: bigint, status: string, rateLimitPerMinute: bigint | null]
  >(selectKeyCallers, [idArray(q, keyIds)]);
  const callers = new Map<number, KeyCaller>();
  for (const [keyId, userId, status, rateLimitPerMinute] of rows) {
    callers.set(Number(keyId), {
      userId: Number(userId),
      status: readUserStatus(status),
      rateLimitPerMinute: numberOrNull(rateLimitPerMinute),
    });
  }
  return callers;
}

// `services` where the catalogue copy is checked per request (SQLite; PostgreSQL without LISTEN):
// the key and the catalogue's version (store/catalog-version.ts) in one read, not two.
const selectOwnerWithCatalogVersion = sqlValues(
  `SELECT ${OWNER_COLUMNS}, (${CATALOG_VERSION_SQL}) FROM ${OWNER_FROM} WHERE ${LIVE_KEY}`,
);

/** The key's owner and the catalogue's version as read with it (0 when the panel has none yet). */
export function findApiKeyOwnerWithCatalogVersion(
  q: Queryable,
  keyHash: string,
): Eager<{ owner: ApiKeyOwner; catalogVersion: bigint } | undefined> {
  return thenEager(
    q.getEager<[...OwnerValues, version: bigint | null]>(selectOwnerWithCatalogVersion, [keyHash]),
    (row) => row && { owner: toApiKeyOwner(row), catalogVersion: versionOrZero(row[4]) },
  );
}

// `status` with one order, the call scripts repeat most: the key and the order in one read.
const selectOwnerWithOrder = sqlValues(
  `SELECT ${OWNER_COLUMNS}, o.kind, o.status, o.quantity, o.runs, o.details, o.charge, o.refunded,
     o.start_count, o.remains
   FROM ${OWNER_FROM}
   LEFT JOIN orders o ON o.id = ? AND o.user_id = u.id
   WHERE ${LIVE_KEY}`,
);

/** The owner's columns, then the order's (all null when it is not theirs; its id is the one asked for). */
type OwnerWithOrderValues = [
  ...OwnerValues,
  kind: string | null,
  status: string,
  quantity: bigint,
  runs: bigint | null,
  details: string,
  charge: bigint,
  refunded: bigint,
  startCount: bigint,
  remains: bigint,
];

/** The key's owner and, when it is theirs, one of their orders (undefined otherwise). */
export function findApiKeyOwnerWithOrder(
  q: Queryable,
  keyHash: string,
  orderId: number,
): Eager<{ owner: ApiKeyOwner; order: OrderStatusSnapshot | undefined } | undefined> {
  return thenEager(q.getEager<OwnerWithOrderValues>(selectOwnerWithOrder, [orderId, keyHash]), (row) =>
    ownerWithOrder(orderId, row),
  );
}

function ownerWithOrder(
  orderId: number,
  row: OwnerWithOrderValues | undefined,
): { owner: ApiKeyOwner; order: OrderStatusSnapshot | undefined } | undefined {
  if (!row) return undefined;
  const owner = toApiKeyOwner(row);
  // `kind` is never null in an order's row: null is the LEFT JOIN finding none.
  if (row[4] === null) return { owner, order: undefined };
  return {
    owner,
    order: toOrderStatusSnapshot({
      id: orderId,
      kind: row[4],
      status: row[5],
      quantity: row[6],
      runs: row[7],
      details: row[8],
      charge: row[9],
      refunded: row[10],
      start_count: row[11],
      remains: row[12],
    }),
  };
}

/** One of a user's keys as their key list shows it: never the key itself, which is not stored. */
export interface ApiKey {
  readonly id: number;
  /** The key's first characters, to recognise it by. */
  readonly prefix: string;
  readonly createdAt: number;
  readonly revokedAt: number | null;
}

interface ApiKeyRow {
  id: bigint;
  key_prefix: string;
  created_at: bigint;
  revoked_at: bigint | null;
}

function toApiKey(row: ApiKeyRow): ApiKey {
  return {
    id: Number(row.id),
    prefix: row.key_prefix,
    createdAt: Number(row.created_at),
    revokedAt: numberOrNull(row.revoked_at),
  };
}

const selectKeysOfUser = sql(
  'SELECT id, key_prefix, created_at, revoked_at FROM api_keys WHERE user_id = ? ORDER BY id DESC',
);
const revokeKeySql = sql(
  'UPDATE api_keys SET revoked_at = ? WHERE id = ? AND user_id = ? AND revoked_at IS NULL',
);

/** A user's keys, newest first, revoked ones included. */
export async function listApiKeysOfUser(q: Queryable, userId: number): Promise<ApiKey[]> {
  return (await q.all<ApiKeyRow>(selectKeysOfUser, [userId])).map(toApiKey);
}

/** Resolves to false when the key is not the user's or is revoked already. */
export async function revokeApiKey(
  q: Queryable,
  key: { userId: number; keyId: number; now: number },
): Promise<boolean> {
  const revoked = (await q.run(revokeKeySql, [key.now, key.keyId, key.userId])) === 1;
  if (revoked) await notifyKeyOwnersChanged(q);
  return revoked;
}
