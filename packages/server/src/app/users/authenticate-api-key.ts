import { type Result, fail, ok } from '../../domain/errors.js';
import { type Eager, thenEager } from '../../domain/eager.js';
import type { Money } from '../../domain/money.js';
import {
  type ApiKeyOwner,
  findApiKeyOwner,
  findApiKeyOwnerWithCatalogVersion,
  findApiKeyOwnerWithOrder,
} from '../../store/api-keys.js';
import type { OrderStatusSnapshot } from '../../store/orders.js';
import type { Context } from '../context.js';
import { hashApiKey } from './credentials.js';

export interface ApiCaller {
  readonly userId: number;
  /** The key's id. */
  readonly keyId: number;
  /** What the key is looked up by (see `apiKeyHash`). */
  readonly keyHash: string;
  /** The user's own requests per minute (0: none), or null for the panel's default. */
  readonly rateLimitPerMinute: number | null;
  /** The balance as read with the key: `balance` answers from it without a second read. */
  readonly balance: Money;
  /**
   * The order asked for with `withOrder`, read in the same statement as the key: the row when it is
   * the caller's, null when it is not (or does not exist), undefined when none was asked for.
   */
  readonly order?: OrderStatusSnapshot | null;
  /** The catalogue's version read with the key, when asked for with `withCatalogVersion`. */
  readonly catalogVersion?: bigint;
}

const MAX_KEY_LENGTH = 256;

/** The hash a key is stored and looked up by; null for a key no lookup could find (empty, too long). */
export function apiKeyHash(key: string | undefined): string | null {
  const trimmed = key?.trim() ?? '';
  if (trimmed === '' || trimmed.length > MAX_KEY_LENGTH) return null;
  return hashApiKey(trimmed);
}

/**
 * A missing, unknown or revoked key, or a suspended user, are all the same "Invalid API key".
 * Eager (see `Queryable.getEager`): on SQLite the answer comes at once, without a promise, since
 * every API request starts here.
 */
export function authenticateApiKey(
  ctx: Context,
  key: string | undefined,
  options: { withOrder?: number | null; withCatalogVersion?: boolean } = {},
): Eager<Result<ApiCaller>> {
  const keyHash = apiKeyHash(key);
  if (keyHash === null) return fail({ code: 'INVALID_API_KEY' });
  if (options.withOrder != null) {
    return thenEager(findApiKeyOwnerWithOrder(ctx.db, keyHash, options.withOrder), (found) =>
      callerOf(keyHash, found?.owner, { order: found?.order ?? null }),
    );
  }
  if (options.withCatalogVersion) {
    return thenEager(findApiKeyOwnerWithCatalogVersion(ctx.db, keyHash), (found) =>
      callerOf(keyHash, found?.owner, { catalogVersion: found?.catalogVersion }),
    );
  }
  return thenEager(findApiKeyOwner(ctx.db, keyHash), (owner) => callerOf(keyHash, owner, {}));
}

function callerOf(
  keyHash: string,
  owner: ApiKeyOwner | undefined,
  read: Pick<ApiCaller, 'order' | 'catalogVersion'>,
): Result<ApiCaller> {
  // No owner: an unknown or revoked key, or a user who is not active (see `ApiKeyOwner`).
  if (!owner) return fail({ code: 'INVALID_API_KEY' });
  return ok({
    userId: owner.userId,
    keyId: owner.keyId,
    keyHash,
    rateLimitPerMinute: owner.rateLimitPerMinute,
    balance: owner.balance,
    order: read.order,
    catalogVersion: read.catalogVersion,
  });
}
