/**
 * `@smmkit/server/bench-support`: internal, for the bench (`packages/bench`) and the tests; not a
 * public API, and it may change with any commit. The bench drives the server as a client would
 * (`smmkit serve`, API v2 over HTTP); these are the few internals it cannot reach that way, each
 * with the reason it needs them. The worker's sync pass is a separate entry
 * (`./sync-worker.ts`), so the bare ceiling servers load nothing they do not run.
 */
import { fileURLToPath } from 'node:url';

/** The `smmkit` CLI the bench starts servers with (`node [--cpu-prof] <bin> serve`), as an operator runs it. */
export const SMMKIT_BIN = fileURLToPath(new URL('../../bin/smmkit.js', import.meta.url));

// Settings read from the environment exactly as the server reads them: the ceiling servers open the
// same database with the same durability and pool size, and the report prints `synchronous`.
export { type Config, loadConfig } from '../config.js';

// The query layer and the schema: a million orders are seeded in a few bulk statements (one
// transaction), then read back to build the request bodies and to check the results.
export { type Database, type Dialect, type Queryable, type SqlValue, dynamicSql } from '../store/database.js';
export { openDatabase, parseDatabaseUrl } from '../store/open-database.js';
export { migrate } from '../store/migrations.js';
// The seed's orders reach the kept status counts and day totals through the triggers, as the
// server's do; the seeder folds them once, as the worker would, so the dashboard starts from folded
// tables rather than ten million appended changes.
export { foldOrderStatusChanges } from '../store/order-status-counts.js';
export { foldOrderDayChanges } from '../store/order-day-totals.js';
// The ledger's sums by kind likewise (migration 0029: on SQLite the seed's entries are summed by
// the fold, on PostgreSQL appended by its trigger).
export { foldLedgerKindTotals } from '../store/ledger-kind-totals.js';

// Every balance must equal its ledger sum after seeding and after the load, as after every test.
export { findLedgerMismatches } from '../store/ledger.js';
// The kept status counts, day totals and ledger sums by kind must equal a scan after migrations 0024 and 0026 ran again
// beside `add` on the big table; the bench undoes them first as a panel before them looks.
export { findKeptTotalMismatches } from '../store/kept-totals-check.js';

// API keys stored as the server stores them (hash and prefix): the load uses 10,000 seeded keys.
export { apiKeyPrefix, generateApiKey, hashApiKey } from '../app/users/credentials.js';

// The `raw-add` ceiling charges with the server's rounding; the sync report prints refunds as money.
export { divideRounded, formatMoney } from '../domain/money.js';

// The `cached-buffer` ceiling serves the very bytes `services` answers, built by the server's cache.
export { ServiceListCache } from '../app/catalog/service-list-cache.js';
