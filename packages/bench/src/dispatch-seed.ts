import type { BenchDatabase } from './bench-database.js';
import { DISPATCH_USER_ID, providerSeedStatements, resellerSeedStatements } from './dispatch-seed-sql.js';
import { seed, seedWithApiKey } from './sync-seed.js';

/**
 * Seeds the provider's database: the reseller's funded account (with an API key, returned in
 * clear) and the service it buys. The provider is the real server afterwards.
 */
export async function seedDispatchProvider(
  target: BenchDatabase,
  progress: (line: string) => void,
): Promise<{ apiKey: string }> {
  return seedWithApiKey(target, providerSeedStatements(Date.now()), DISPATCH_USER_ID, progress);
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
