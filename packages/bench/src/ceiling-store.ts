import BetterSqlite3 from 'better-sqlite3';
import pg from 'pg';
import type { Config } from '@smmkit/server/bench-support';

/** A refill as `refill_status` reads it (ids as numbers: the ceiling reads without safe integers). */
export interface RefillRow {
  readonly id: number | string;
  readonly status: string;
}

/** An order as the raw add transaction writes it: a Default order, as `add` would. */
export interface RawOrder {
  readonly userId: number;
  readonly serviceId: number;
  readonly link: string;
  readonly quantity: number;
  readonly rate: bigint;
  readonly charge: bigint;
  readonly now: number;
}

/**
 * The database work of the ceilings with nothing around it: a driver, prepared statements, the
 * same durability settings as the server. SQLite answers synchronously, PostgreSQL through a pool
 * as large as the server's.
 */
export interface CeilingStore {
  readOrder(id: number): unknown;
  /** The server's one `status` read for many ids: the caller's own orders among `ids`. */
  readOwnOrders(userId: number, ids: readonly number[]): unknown[] | Promise<unknown[]>;
  /** The server's one `refill_status` read for many ids: the caller's own refills among `ids`. */
  readOwnRefills(userId: number, ids: readonly number[]): RefillRow[] | Promise<RefillRow[]>;
  serviceRates(): Promise<Map<number, bigint>>;
  /** Resolves to the order id, or null when the balance does not cover the charge. */
  placeOrder(order: RawOrder): number | null | Promise<number | null>;
  close(): Promise<void>;
}

// The columns the server's `status` reads.
const READ_ORDER =
  'SELECT id, kind, status, quantity, runs, details, charge, refunded, start_count, remains FROM orders WHERE id = ?';
const READ_OWN_ORDERS_SQLITE =
  'SELECT id, kind, status, quantity, runs, details, charge, refunded, start_count, remains FROM orders WHERE user_id = ? AND id IN (SELECT value FROM json_each(?))';
const READ_OWN_ORDERS_POSTGRES =
  'SELECT id, kind, status, quantity, runs, details, charge, refunded, start_count, remains FROM orders WHERE user_id = ? AND id = ANY(?::bigint[])';
// The columns the server's `refill_status` reads (store/refills.ts selectOwnRefillStatuses): what it answers.
const REFILL_COLUMNS = 'id, status';
const READ_OWN_REFILLS_SQLITE = `SELECT ${REFILL_COLUMNS} FROM refills WHERE user_id = ? AND id IN (SELECT value FROM json_each(?))`;
const READ_OWN_REFILLS_POSTGRES = `SELECT ${REFILL_COLUMNS} FROM refills WHERE user_id = ? AND id = ANY(?::bigint[])`;
const SERVICE_RATES = 'SELECT id, rate FROM services';
const DEBIT = 'UPDATE users SET balance = balance - ? WHERE id = ? AND balance >= ? RETURNING balance';
const INSERT_ORDER = `INSERT INTO orders (user_id, service_id, kind, parent_id, status, link, quantity, runs, interval_minutes,
    details, rate, charge, remains, active_link, created_at, updated_at)
  VALUES (?, ?, 'order', NULL, 'pending', ?, ?, NULL, NULL, '{}', ?, ?, ?, NULL, ?, ?) RETURNING id`;
const INSERT_CHARGE = `INSERT INTO ledger_entries (user_id, amount, kind, entry_key, order_id, memo, balance_after, created_at)
  VALUES (?, ?, 'charge', ?, ?, NULL, ?, ?)`;

export function openCeilingStore(config: Config): CeilingStore {
  return config.database.dialect === 'sqlite'
    ? sqliteStore(config.database.filename, config.sqliteSynchronous)
    : postgresStore(config.database.connectionString, config.databasePoolSize);
}

function sqliteStore(filename: string, synchronous: string): CeilingStore {
  // The server's pragmas, so the ceiling pays what the server pays (WAL, fsync per commit at FULL).
  const open = (readonly: boolean) => {
    const connection = new BetterSqlite3(filename, { readonly });
    connection.pragma('busy_timeout = 5000');
    if (!readonly) {
      connection.pragma('journal_mode = WAL');
      connection.pragma('foreign_keys = ON');
    }
    connection.pragma(`synchronous = ${synchronous.toUpperCase()}`);
    connection.pragma('cache_size = -32000');
    return connection;
  };
  const reader = open(true);
  const writer = open(false);
  const readOrder = reader.prepare<[number], unknown>(READ_ORDER);
  const readOwnOrders = reader.prepare<[number, string], unknown>(READ_OWN_ORDERS_SQLITE);
  const readOwnRefills = reader.prepare<[number, string], RefillRow>(READ_OWN_REFILLS_SQLITE);
  const debit = writer.prepare<[bigint, number, bigint], { balance: number }>(DEBIT);
  const insertOrder = writer.prepare<unknown[], { id: number }>(INSERT_ORDER);
  const insertCharge = writer.prepare<unknown[]>(INSERT_CHARGE);
  // BEGIN IMMEDIATE … COMMIT, one transaction (one fsync) per request.
  const place = writer.transaction((order: RawOrder): number | null => {
    const debited = debit.get(order.charge, order.userId, order.charge);
    if (!debited) return null;
    const inserted = insertOrder.get(
      order.userId,
      order.serviceId,
      order.link,
      order.quantity,
      order.rate,
      order.charge,
      order.quantity,
      order.now,
      order.now,
    );
    if (!inserted) throw new Error('order insert returned no id');
    insertCharge.run(
      order.userId,
      -order.charge,
      `charge:${inserted.id}`,
      inserted.id,
      debited.balance,
      order.now,
    );
    return inserted.id;
  });
  return {
    readOrder: (id) => readOrder.get(id),
    readOwnOrders: (userId, ids) => readOwnOrders.all(userId, JSON.stringify(ids)),
    readOwnRefills: (userId, ids) => readOwnRefills.all(userId, JSON.stringify(ids)),
    serviceRates: () =>
      Promise.resolve(
        new Map(
          reader
            .prepare<[], { id: number; rate: number }>(SERVICE_RATES)
            .all()
            .map((row) => [row.id, BigInt(row.rate)]),
        ),
      ),
    placeOrder: (order) => place.immediate(order),
    close() {
      reader.close();
      writer.close();
      return Promise.resolve();
    },
  };
}

function postgres(text: string): string {
  let index = 0;
  return text.replace(/\?/g, () => `$${++index}`);
}

function postgresStore(connectionString: string, poolSize: number): CeilingStore {
  const pool = new pg.Pool({ connectionString, max: poolSize });
  pool.on('error', () => undefined);
  // Named statements: parsed and planned once per connection, as the server's are.
  const named = (name: string, text: string, values: unknown[]): pg.QueryConfig => ({
    name,
    text: postgres(text),
    values,
  });
  return {
    async readOrder(id) {
      const result = await pool.query(named('ceiling_read_order', READ_ORDER, [id]));
      return result.rows[0] as unknown;
    },
    async readOwnOrders(userId, ids) {
      const values = [userId, `{${ids.join(',')}}`];
      const result = await pool.query(named('ceiling_read_own_orders', READ_OWN_ORDERS_POSTGRES, values));
      return result.rows as unknown[];
    },
    async readOwnRefills(userId, ids) {
      const values = [userId, `{${ids.join(',')}}`];
      const result = await pool.query(named('ceiling_read_own_refills', READ_OWN_REFILLS_POSTGRES, values));
      return result.rows as RefillRow[];
    },
    async serviceRates() {
      const result = await pool.query<{ id: string; rate: string }>(SERVICE_RATES);
      return new Map(result.rows.map((row) => [Number(row.id), BigInt(row.rate)]));
    },
    async placeOrder(order) {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const charge = order.charge.toString();
        const debited = await client.query<{ balance: string }>(
          named('ceiling_debit', DEBIT, [charge, order.userId, charge]),
        );
        const balance = debited.rows[0]?.balance;
        if (balance === undefined) {
          await client.query('ROLLBACK');
          return null;
        }
        const inserted = await client.query<{ id: string }>(
          named('ceiling_insert_order', INSERT_ORDER, [
            order.userId,
            order.serviceId,
            order.link,
            order.quantity,
            order.rate.toString(),
            charge,
            order.quantity,
            order.now,
            order.now,
          ]),
        );
        const id = inserted.rows[0]?.id;
        if (id === undefined) throw new Error('order insert returned no id');
        await client.query(
          named('ceiling_insert_charge', INSERT_CHARGE, [
            order.userId,
            `-${charge}`,
            `charge:${id}`,
            id,
            balance,
            order.now,
          ]),
        );
        await client.query('COMMIT');
        return Number(id);
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      } finally {
        client.release();
      }
    },
    close: () => pool.end(),
  };
}
