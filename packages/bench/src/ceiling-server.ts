import { readFileSync } from 'node:fs';
import { type IncomingMessage, type ServerResponse, createServer } from 'node:http';
import { parseArgs } from 'node:util';
import { ServiceListCache, divideRounded, loadConfig, openDatabase } from '@smmkit/server/bench-support';
import { type CeilingStore, type RefillRow, openCeilingStore } from './ceiling-store.js';
import type { CeilingMode } from './scenarios.js';

/**
 * A bare node:http server doing the I/O of one API action and nothing else: no framework, no
 * authentication, no validation. What it reaches is the most the smmkit server could, on this
 * machine and database, for that action.
 *
 *   node ceiling-server.js <fixed-json|pk-read|many-read|many-read-refills|cached-buffer|raw-add> --port N [--keys FILE]
 *
 * The database comes from DATABASE_URL (and SMMKIT_SQLITE_SYNCHRONOUS, SMMKIT_DB_POOL_SIZE), as
 * for the server.
 */
type Answer = string | Buffer;
type Handler = (body: Buffer) => Answer | Promise<Answer>;

const JSON_TYPE = 'application/json; charset=utf-8';
const FIXED_ANSWER = Buffer.from('{"balance":"1000000.00000","currency":"USD"}');

const { values, positionals } = parseArgs({
  options: { port: { type: 'string' }, keys: { type: 'string' } },
  allowPositionals: true,
  strict: true,
});
const mode = positionals[0] as CeilingMode | undefined;
const config = loadConfig(process.env);
let store: CeilingStore | null = null;
const handler = await buildHandler();

async function buildHandler(): Promise<Handler> {
  switch (mode) {
    case 'fixed-json':
      return () => FIXED_ANSWER;
    case 'pk-read':
      store = openCeilingStore(config);
      return pkRead(store);
    case 'many-read':
      store = openCeilingStore(config);
      return manyRead(store, values.keys);
    case 'many-read-refills':
      store = openCeilingStore(config);
      return manyRefillRead(store, values.keys);
    case 'cached-buffer': {
      // Serialised once, with the server's own serialiser: the same bytes `services` answers.
      const db = openDatabase(config.database, {
        sqliteSynchronous: config.sqliteSynchronous,
        maxConnections: 1,
      });
      const buffer = await new ServiceListCache().answerFor(db, 0);
      await db.close();
      return () => buffer;
    }
    case 'raw-add':
      store = openCeilingStore(config);
      return rawAdd(store, await store.serviceRates(), values.keys);
    default:
      throw new Error(`unknown mode ${String(mode)}`);
  }
}

function pkRead(ceilingStore: CeilingStore): Handler {
  return (body) => {
    const id = Number(new URLSearchParams(body.toString('utf8')).get('order'));
    const row = ceilingStore.readOrder(id);
    const toJson = (value: unknown) => JSON.stringify(value ?? { error: 'Incorrect order ID' });
    return row instanceof Promise ? row.then(toJson) : toJson(row);
  };
}

/** The keys in clear, by user id - 1: a map lookup stands in for the server's key check. */
function keyOwners(keysFile: string | undefined, mode: string): Map<string, number> {
  if (keysFile === undefined) throw new Error(`${mode} needs --keys`);
  return new Map((JSON.parse(readFileSync(keysFile, 'utf8')) as string[]).map((key, i) => [key, i + 1]));
}

/**
 * `status` with `orders`: the same one read of the caller's orders among the ids, answered as an
 * object keyed by id in request order (a row, or the not-found error), as the server answers.
 */
function manyRead(ceilingStore: CeilingStore, keysFile: string | undefined): Handler {
  const users = keyOwners(keysFile, 'many-read');
  const missing = JSON.stringify({ error: 'Incorrect order ID' });
  return (body) => {
    const params = new URLSearchParams(body.toString('utf8'));
    const userId = users.get(params.get('key') ?? '');
    const keys = (params.get('orders') ?? '').split(',');
    if (userId === undefined || keys.length > 100) return '{"error":"Incorrect request"}';
    const ids = keys.map(Number).filter((id) => Number.isSafeInteger(id) && id > 0);
    const toJson = (rows: unknown[]) => {
      const byId = new Map((rows as { id: number | string }[]).map((row) => [String(row.id), row]));
      const members = keys.map((key) => {
        const row = byId.get(key);
        return `${JSON.stringify(key)}:${row ? JSON.stringify(row) : missing}`;
      });
      return `{${members.join(',')}}`;
    };
    const rows = ceilingStore.readOwnOrders(userId, ids);
    return rows instanceof Promise ? rows.then(toJson) : toJson(rows);
  };
}

const REFILL_LABELS: Readonly<Record<string, string>> = {
  pending: 'Pending',
  in_progress: 'In progress',
  completed: 'Completed',
  rejected: 'Rejected',
};

/**
 * `refill_status` with `refills`: the same one read of the caller's refills among the ids,
 * answered as an array in request order (`{"refill":id,"status":label}`, or the not-found error).
 */
function manyRefillRead(ceilingStore: CeilingStore, keysFile: string | undefined): Handler {
  const users = keyOwners(keysFile, 'many-read-refills');
  const missing = JSON.stringify({ error: 'Refill not found' });
  return (body) => {
    const params = new URLSearchParams(body.toString('utf8'));
    const userId = users.get(params.get('key') ?? '');
    const keys = (params.get('refills') ?? '').split(',');
    if (userId === undefined || keys.length > 100) return '{"error":"Incorrect request"}';
    const ids = keys.map(Number).filter((id) => Number.isSafeInteger(id) && id > 0);
    const toJson = (rows: RefillRow[]) => {
      const byId = new Map(rows.map((row) => [Number(row.id), row.status]));
      const members = ids.map((id) => {
        const status = byId.get(id);
        return `{"refill":${id},"status":${status === undefined ? missing : JSON.stringify(REFILL_LABELS[status])}}`;
      });
      return `[${members.join(',')}]`;
    };
    const rows = ceilingStore.readOwnRefills(userId, ids);
    return rows instanceof Promise ? rows.then(toJson) : toJson(rows);
  };
}

function rawAdd(
  ceilingStore: CeilingStore,
  rates: Map<number, bigint>,
  keysFile: string | undefined,
): Handler {
  const users = keyOwners(keysFile, 'raw-add');
  return (body) => {
    const params = new URLSearchParams(body.toString('utf8'));
    const userId = users.get(params.get('key') ?? '');
    const serviceId = Number(params.get('service'));
    const rate = rates.get(serviceId);
    const quantity = Number(params.get('quantity'));
    const link = params.get('link');
    if (userId === undefined || rate === undefined || !Number.isInteger(quantity) || link === null) {
      return '{"error":"Incorrect request"}';
    }
    const charge = divideRounded(rate * BigInt(quantity), 1000n, 'up');
    const placed = ceilingStore.placeOrder({
      userId,
      serviceId,
      link,
      quantity,
      rate,
      charge,
      now: Date.now(),
    });
    const toJson = (id: number | null) =>
      id === null ? '{"error":"Not enough funds on balance"}' : `{"order":${id}}`;
    return placed instanceof Promise ? placed.then(toJson) : toJson(placed);
  };
}

function send(response: ServerResponse, status: number, answer: Answer): void {
  response.writeHead(status, { 'content-type': JSON_TYPE, 'content-length': Buffer.byteLength(answer) });
  response.end(answer);
}

function handle(request: IncomingMessage, response: ServerResponse): void {
  if (request.url !== '/api/v2') {
    send(response, 404, '{"error":"Not found"}');
    return;
  }
  const chunks: Buffer[] = [];
  request.on('data', (chunk: Buffer) => chunks.push(chunk));
  request.on('end', () => {
    const fail = (error: unknown) => {
      console.error(error);
      send(response, 500, '{"error":"Internal error"}');
    };
    try {
      const answer = handler(Buffer.concat(chunks));
      if (answer instanceof Promise) answer.then((value) => send(response, 200, value), fail);
      else send(response, 200, answer);
    } catch (error) {
      fail(error);
    }
  });
}

const server = createServer(handle);
server.listen(Number(values.port ?? 0), '127.0.0.1');
process.once('SIGTERM', () => {
  server.close();
  server.closeAllConnections();
  void store?.close();
});
