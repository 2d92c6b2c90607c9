import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

/**
 * `npm run test:faults`: real processes killed and restarted under load, on PostgreSQL and on
 * SQLite. Not part of `npm test` (its files end in `.faults.ts`); the two files run side by side,
 * since most of their time is spent waiting for leases of killed workers to run out.
 */
export default defineConfig({
  root: fileURLToPath(new URL('../../../..', import.meta.url)),
  test: {
    include: ['packages/server/test/faults/**/*.faults.ts'],
    fileParallelism: true,
    maxWorkers: 2,
    testTimeout: 330_000,
    hookTimeout: 120_000,
  },
});
