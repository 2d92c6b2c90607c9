import { insertApiKey } from '../../store/api-keys.js';
import type { Context } from '../context.js';
import { apiKeyPrefix, generateApiKey, hashApiKey } from '../users/credentials.js';

/** A new key for the user; the key is in the answer once and only its hash is stored. */
export async function createApiKey(ctx: Context, userId: number): Promise<{ apiKey: string }> {
  const apiKey = generateApiKey();
  await ctx.db.transaction((tx) =>
    insertApiKey(tx, {
      userId,
      keyHash: hashApiKey(apiKey),
      prefix: apiKeyPrefix(apiKey),
      now: ctx.clock.now(),
    }),
  );
  return { apiKey };
}
