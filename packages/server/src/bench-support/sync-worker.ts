/**
 * `@smmkit/server/bench-support/sync-worker`: internal, for the bench's sync worker and the tests.
 * `npm run bench -- sync` times the worker's `syncOrders` passes alone (not the rest of
 * `smmkit worker`'s loop) and counts every provider call through the gateway's observer, so its
 * worker process opens the database as `smmkit worker` does and calls the use case itself.
 */
export { openMigrated } from '../cli/command.js';
export { Panel } from '../panel.js';
export { systemClock } from '../app/context.js';
export {
  DEFAULT_PROVIDER_TIMEOUT_MS,
  type ProviderCallOutcome,
  type ProviderGateway,
} from '../app/dispatch/provider-gateway.js';
export { syncOrders } from '../app/dispatch/sync-orders.js';
export { runScheduledCatalogSyncs } from '../app/providers/run-scheduled-catalog-syncs.js';
