import { type Result, fail, ok } from '../../domain/errors.js';
import { insertApiKey, revokeApiKey as storeRevoke } from '../../store/api-keys.js';
import type { Context } from '../context.js';
import { apiKeyPrefix, generateApiKey, hashApiKey } from '../users/credentials.js';

/**
 * Revokes one of the user's keys: refused at once by every action on every server that reads the key
 * on each request. The reads by user id alone (`services`, `status` of many orders, `refill_status`)
 * are answered on PostgreSQL from each server's copy of key owners until the revocation's
 * notification reaches it, within milliseconds (ApiKeyOwnerCache); this server drops its copy on commit.
 */
export async function revokeApiKey(ctx: Context, userId: number, keyId: number): Promise<Result<null>> {
  const revoked = await ctx.db.transaction((tx) => storeRevoke(tx, { userId, keyId, now: ctx.clock.now() }));
  return revoked ? ok(null) : fail({ code: 'API_KEY_NOT_FOUND', id: keyId });
}

/** Replaces a key: the old one is revoked and a new one created in the same transaction. */
export async function rotateApiKey(
  ctx: Context,
  userId: number,
  keyId: number,
): Promise<Result<{ apiKey: string }>> {
  const apiKey = generateApiKey();
  return ctx.db.transaction(async (tx) => {
    const now = ctx.clock.now();
    const revoked = await storeRevoke(tx, { userId, keyId, now });
    if (!revoked) return fail({ code: 'API_KEY_NOT_FOUND', id: keyId });
    await insertApiKey(tx, { userId, keyHash: hashApiKey(apiKey), prefix: apiKeyPrefix(apiKey), now });
    return ok({ apiKey });
  });
}
