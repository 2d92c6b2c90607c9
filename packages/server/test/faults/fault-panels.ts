import { join } from 'node:path';
import {
  type FleetProcess,
  type ProcessFleet,
  freePort,
  httpReady,
  logReady,
} from '../support/process-fleet.js';
import { spawnCli } from '../support/run-cli.js';
import { ProviderProxy } from './provider-proxy.js';

/** Every process of a fault test: a 1 s cadence, short provider calls, no rate limit, warnings and errors logged. */
export const PROCESS_ENV = {
  SMMKIT_DISPATCH_INTERVAL: '1',
  SMMKIT_SYNC_INTERVAL: '1',
  // A provider call may take 5 s: a killed worker's orders are settled after 2 × 5 + 10 = 20 s.
  SMMKIT_PROVIDER_TIMEOUT: '5',
  SMMKIT_RATE_LIMIT: '0',
  SMMKIT_DB_POOL_SIZE: '5',
  SMMKIT_LOG_LEVEL: 'info',
};

/** Runs a CLI command that must succeed, and returns what it printed as JSON. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- as CliRun.json: many shapes
export async function cli(databaseUrl: string, args: readonly string[]): Promise<any> {
  const run = await spawnCli(args, databaseUrl, PROCESS_ENV);
  if (run.code !== 0) {
    throw new Error(`smmkit ${args.join(' ')} exited ${String(run.code)}: ${run.stderr}${run.stdout}`);
  }
  return run.json();
}

export interface ProviderInstance {
  readonly databaseUrl: string;
  readonly process: FleetProcess;
  /** What the reseller's workers call: a proxy holding back `add` answers a little. */
  readonly proxy: ProviderProxy;
  /** The reseller's account at the provider. */
  readonly resellerUsername: string;
  readonly resellerKey: string;
}

/**
 * The provider: another smmkit instance on its own SQLite file, worker off, whose one service is
 * manual (its orders stay Pending), with an account for the reseller, funded.
 */
export async function startProvider(fleet: ProcessFleet, dir: string): Promise<ProviderInstance> {
  const databaseUrl = join(dir, 'provider.db');
  await cli(databaseUrl, [
    'service',
    'create',
    ...['--name', 'IG Followers', '--type', 'Default', '--category', 'Instagram'],
    ...['--rate', '0.90', '--min', '10', '--max', '10000'],
  ]);
  const resellerUsername = 'reseller';
  const account = await cli(databaseUrl, ['user', 'create', '--username', resellerUsername]);
  await cli(databaseUrl, ['funds', 'add', '--username', resellerUsername, '--amount', '100000']);
  const port = await freePort();
  const process = fleet.add({
    name: 'provider',
    args: ['serve', '--port', String(port), '--no-worker'],
    env: { ...PROCESS_ENV, DATABASE_URL: databaseUrl },
    ready: httpReady(`http://127.0.0.1:${port}/readyz`),
  });
  await process.start();
  const proxy = await ProviderProxy.start(`http://127.0.0.1:${port}`, 400);
  return { databaseUrl, process, proxy, resellerUsername, resellerKey: account.apiKey as string };
}

export interface ResellerSetup {
  /** The imported, provider-backed service. */
  readonly service: number;
  readonly customers: { username: string; apiKey: string }[];
}

/**
 * The reseller's catalogue and customers, made with the CLI as an operator would: the provider
 * registered as one that replays a repeated request_id, its service imported with a markup.
 */
export async function setUpReseller(
  databaseUrl: string,
  provider: ProviderInstance,
  customerCount: number,
): Promise<ResellerSetup> {
  const added = await cli(databaseUrl, [
    'provider',
    'add',
    ...['--name', 'upstream', '--url', provider.proxy.url, '--key', provider.resellerKey],
    ...['--honours-request-id', 'yes'],
  ]);
  const imported = await cli(databaseUrl, ['provider', 'import', String(added.id), '--markup', '25%']);
  const service = imported.created[0]?.service as number | undefined;
  if (service === undefined) throw new Error(`nothing imported: ${JSON.stringify(imported)}`);
  const customers = await Promise.all(
    Array.from({ length: customerCount }, async (_, index) => {
      const username = `customer${index + 1}`;
      const user = await cli(databaseUrl, ['user', 'create', '--username', username]);
      await cli(databaseUrl, ['funds', 'add', '--username', username, '--amount', '10000']);
      return { username, apiKey: user.apiKey as string };
    }),
  );
  return { service, customers };
}

/** `smmkit serve` on a fixed port (so a restart comes back where the clients look for it). */
export async function addServer(
  fleet: ProcessFleet,
  name: string,
  databaseUrl: string,
  options: { worker: boolean },
): Promise<{ process: FleetProcess; apiUrl: string }> {
  const port = await freePort();
  const process = fleet.add({
    name,
    args: ['serve', '--port', String(port), ...(options.worker ? [] : ['--no-worker'])],
    env: { ...PROCESS_ENV, DATABASE_URL: databaseUrl },
    ready: httpReady(`http://127.0.0.1:${port}/readyz`),
  });
  return { process, apiUrl: `http://127.0.0.1:${port}/api/v2` };
}

export function addWorker(fleet: ProcessFleet, name: string, databaseUrl: string): FleetProcess {
  return fleet.add({
    name,
    args: ['worker'],
    env: { ...PROCESS_ENV, DATABASE_URL: databaseUrl },
    ready: logReady('smmkit worker started'),
  });
}
