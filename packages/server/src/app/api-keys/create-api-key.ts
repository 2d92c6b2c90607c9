import { type Result, fail, ok } from '../../domain/errors.js';
import { insertApiKeyWithinCap } from '../../store/api-keys.js';
import type { Context } from '../context.js';
import { apiKeyPrefix, generateApiKey, hashApiKey } from '../users/credentials.js';

/** Active API keys a user may hold by default (SMMKIT_MAX_API_KEYS): rate limits count per user anyway. */
export const DEFAULT_MAX_API_KEYS = 10;

/**
 * A new key for the user, unless they hold `maxKeys` active ones already (revoking one makes room);
 * the key is in the answer once and only its hash is stored.
 */
export async function createApiKey(
  ctx: Context,
  userId: number,
  maxKeys: number = DEFAULT_MAX_API_KEYS,
): Promise<Result<{ apiKey: string }>> {
  const apiKey = generateApiKey();
  const created = await ctx.db.transaction((tx) =>
    insertApiKeyWithinCap(
      tx,
      { userId, keyHash: hashApiKey(apiKey), prefix: apiKeyPrefix(apiKey), now: ctx.clock.now() },
      maxKeys,
    ),
  );
  return created ? ok({ apiKey }) : fail({ code: 'API_KEY_LIMIT', max: maxKeys });
}
