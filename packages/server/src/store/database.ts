/**
 * The one query layer over SQLite and PostgreSQL. SQL is written once with `?` placeholders
 * (and per-dialect text where the dialects differ); each statement is prepared once per
 * connection (SQLite) or sent as a named prepared statement (PostgreSQL), keeping hot API paths
 * off any query builder.
 *
 * Integers come back as `bigint` on both dialects; row mappers turn ids and counts into numbers.
 */
export type Dialect = 'sqlite' | 'postgres';

export type SqlValue = string | number | bigint | boolean | null;

export interface Statement {
  /** Stable name, used for PostgreSQL named prepared statements; null for one-off dynamic SQL. */
  readonly name: string | null;
  readonly sqlite: string;
  readonly postgres: string;
}

let statementCounter = 0;

function toPostgresPlaceholders(text: string): string {
  let index = 0;
  return text.replace(/\?/g, () => `$${++index}`);
}

/** A statement whose text is the same on both dialects. Create at module load: it is prepared once. */
export function sql(text: string): Statement {
  return { name: `smmkit_${++statementCounter}`, sqlite: text, postgres: toPostgresPlaceholders(text) };
}

/** A statement whose text differs by dialect (both with `?` placeholders). */
export function sqlByDialect(text: { sqlite: string; postgres: string }): Statement {
  return {
    name: `smmkit_${++statementCounter}`,
    sqlite: text.sqlite,
    postgres: toPostgresPlaceholders(text.postgres),
  };
}

/** Dynamic SQL built per call (admin listings with optional filters): not kept as a prepared statement. */
export function dynamicSql(text: string): Statement {
  return { name: null, sqlite: text, postgres: toPostgresPlaceholders(text) };
}

export interface Queryable {
  readonly dialect: Dialect;
  all<T>(statement: Statement, params?: readonly SqlValue[]): Promise<T[]>;
  get<T>(statement: Statement, params?: readonly SqlValue[]): Promise<T | undefined>;
  /** Runs a statement; resolves to the number of rows it changed. */
  run(statement: Statement, params?: readonly SqlValue[]): Promise<number>;
}

export interface Database extends Queryable {
  /**
   * Runs `fn` in one transaction: committed when it resolves, rolled back when it throws.
   * On SQLite, transactions that arrive together share one commit (one fsync) while each keeps
   * its own savepoint, so one failing never undoes another.
   */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}
