import pg from 'pg';
import type { Database, Queryable, SqlValue, Statement } from './database.js';

export interface PostgresOptions {
  readonly connectionString: string;
  readonly maxConnections?: number;
}

const BIGINT_OIDS = new Set([20, 21, 23]);
const parseBigInt = (text: string): bigint => BigInt(text);

/** Integers come back as bigint, as they do from SQLite with safe integers on. */
const defaultParser = pg.types.getTypeParser as (oid: number, format?: 'text' | 'binary') => unknown;
const types = {
  getTypeParser: (oid: number, format?: 'text' | 'binary') =>
    BIGINT_OIDS.has(oid) ? parseBigInt : defaultParser(oid, format),
};

/** Errors worth retrying the whole transaction for. */
const RETRYABLE = new Set(['40001', '40P01']);

/** Flags are SMALLINT 0/1 on both dialects; bigints travel as text so no precision is lost. */
function bind(params: readonly SqlValue[]): unknown[] {
  return params.map((value) =>
    typeof value === 'bigint' ? value.toString() : typeof value === 'boolean' ? (value ? 1 : 0) : value,
  );
}

function toQuery(statement: Statement, params: readonly SqlValue[]): pg.QueryConfig {
  const config: pg.QueryConfig = { text: statement.postgres, values: bind(params) };
  if (statement.name !== null) config.name = statement.name;
  return config;
}

class ClientQueries implements Queryable {
  readonly dialect = 'postgres' as const;
  constructor(private readonly client: pg.Pool | pg.PoolClient) {}

  async all<T>(statement: Statement, params: readonly SqlValue[] = []): Promise<T[]> {
    const result = await this.client.query(toQuery(statement, params));
    return result.rows as T[];
  }

  async get<T>(statement: Statement, params: readonly SqlValue[] = []): Promise<T | undefined> {
    const result = await this.client.query(toQuery(statement, params));
    return result.rows[0] as T | undefined;
  }

  async run(statement: Statement, params: readonly SqlValue[] = []): Promise<number> {
    const result = await this.client.query(toQuery(statement, params));
    return result.rowCount ?? 0;
  }
}

interface CheckedOutClient {
  readonly client: pg.PoolClient;
  /** Back to the pool; dropped if `broken` or if its connection was cut meanwhile. */
  release(broken: boolean): void;
}

/**
 * Takes a client from the pool for a transaction, listening for its errors from the first moment.
 * The pool listens only on idle clients: a checked-out client whose connection the server cuts
 * (a database restart) emits 'error' itself, and unheard that would crash the process. Heard, the
 * next query fails, the transaction rolls back and the client is dropped. The callback form of
 * `connect`, not the promise: the listener must be on before the driver reads the rest of the
 * packet that completed a new connection, which may hold the server's "terminating connection".
 */
function checkOut(pool: pg.Pool): Promise<CheckedOutClient> {
  return new Promise((resolve, reject) => {
    pool.connect((error, client) => {
      if (error || !client) {
        reject(error ?? new Error('the pool gave no client'));
        return;
      }
      let cut = false;
      const onError = () => {
        cut = true;
      };
      client.on('error', onError);
      resolve({
        client,
        release(broken) {
          client.removeListener('error', onError);
          client.release(broken || cut);
        },
      });
    });
  });
}

export class PostgresDatabase implements Database {
  readonly dialect = 'postgres' as const;
  private readonly pool: pg.Pool;
  private readonly queries: ClientQueries;

  constructor(options: PostgresOptions) {
    this.pool = new pg.Pool({
      connectionString: options.connectionString,
      max: options.maxConnections ?? 10,
      types,
    });
    // An idle client losing its connection (a database restart) must not crash the process.
    this.pool.on('error', () => undefined);
    this.queries = new ClientQueries(this.pool);
  }

  all<T>(statement: Statement, params?: readonly SqlValue[]): Promise<T[]> {
    return this.queries.all<T>(statement, params);
  }

  get<T>(statement: Statement, params?: readonly SqlValue[]): Promise<T | undefined> {
    return this.queries.get<T>(statement, params);
  }

  run(statement: Statement, params?: readonly SqlValue[]): Promise<number> {
    return this.queries.run(statement, params);
  }

  async transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      const checkedOut = await checkOut(this.pool);
      const { client } = checkedOut;
      let broken = false;
      try {
        await client.query('BEGIN');
        const value = await fn(new ClientQueries(client));
        await client.query('COMMIT');
        return value;
      } catch (error) {
        try {
          await client.query('ROLLBACK');
        } catch {
          broken = true;
        }
        const code = (error as { code?: string }).code;
        if (attempt < 3 && code !== undefined && RETRYABLE.has(code)) continue;
        throw error;
      } finally {
        checkedOut.release(broken);
      }
    }
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}
