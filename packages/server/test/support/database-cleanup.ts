import { afterAll } from 'vitest';
import { settleDatabaseDrops } from './test-database.js';

/** A setup file of the integration projects: a test file ends once the databases it dropped are gone. */
afterAll(async () => {
  await settleDatabaseDrops();
});
