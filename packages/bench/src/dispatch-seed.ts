import { apiKeyPrefix, dynamicSql, generateApiKey, hashApiKey } from '@smmkit/server/bench-support';
import type { BenchDatabase } from './bench-database.js';
import { DISPATCH_USER_ID, providerSeedStatements, resellerSeedStatements } from './dispatch-seed-sql.js';
import { seed } from './sync-seed.js';

/**
 * Seeds the provider's database: the reseller's funded account (with an API key, returned in
 * clear) and the service it buys. The provider is the real server afterwards.
 */
export async function seedDispatchProvider(
  target: BenchDatabase,
  progress: (line: string) => void,
): Promise<{ apiKey: string }> {
  const apiKey = generateApiKey();
  await seed(target, providerSeedStatements(Date.now()), progress, async (tx) => {
    await tx.run(
      dynamicSql('INSERT INTO api_keys (user_id, key_hash, key_prefix, created_at) VALUES (?, ?, ?, ?)'),
      [DISPATCH_USER_ID, hashApiKey(apiKey), apiKeyPrefix(apiKey), Date.now()],
    );
  });
  return { apiKey };
}

/** Seeds the reseller's database: the provider at `url`, a customer and `orders` queued orders. */
export async function seedDispatchReseller(
  target: BenchDatabase,
  orders: number,
  provider: { url: string; apiKey: string },
  progress: (line: string) => void,
): Promise<void> {
  await seed(target, resellerSeedStatements(target.dialect, orders, provider, Date.now()), progress);
}
