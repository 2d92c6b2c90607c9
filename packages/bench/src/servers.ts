import { mkdirSync } from 'node:fs';
import type { BenchDatabase } from './bench-database.js';
import { type ChildServer, freePort, startChildServer } from './child-server.js';
import { CEILING_SERVER, SMMKIT_BIN } from './paths.js';
import type { CeilingMode } from './scenarios.js';

/**
 * The environment both kinds of server read: same database, same durability, quiet logs, and no
 * rate limit (the load comes from a few keys at thousands of requests a second).
 */
function serverEnv(db: BenchDatabase, overrides: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return {
    ...process.env,
    DATABASE_URL: db.url,
    SMMKIT_LOG_LEVEL: 'warn',
    SMMKIT_RATE_LIMIT: '0',
    ...overrides,
  };
}

/** The real server, as an operator runs it: the bin, `serve`, no worker competing for the CPU. */
export async function startSmmkitServer(
  db: BenchDatabase,
  cpuProfileDir: string | null,
  env: NodeJS.ProcessEnv = {},
): Promise<ChildServer> {
  const port = await freePort();
  const profile = cpuProfileDir === null ? [] : ['--cpu-prof', '--cpu-prof-dir', cpuProfileDir];
  if (cpuProfileDir !== null) mkdirSync(cpuProfileDir, { recursive: true });
  return startChildServer(
    [...profile, SMMKIT_BIN, 'serve', '--port', String(port), '--no-worker'],
    port,
    serverEnv(db, env),
  );
}

/** Several servers measured as one: wrk spreads its threads over their ports. */
export function serverGroup(servers: readonly ChildServer[]): ChildServer {
  const first = servers[0];
  if (!first) throw new Error('an empty server group');
  return {
    pid: first.pid,
    url: first.url,
    spreadPorts: servers.map((server) => Number(new URL(server.url).port)),
    peakRssMb: () => Math.max(...servers.map((server) => server.peakRssMb())),
    cpuSeconds: () => servers.reduce((sum, server) => sum + server.cpuSeconds(), 0),
    output: () => servers.map((server) => server.output()).join(''),
    // Each member is stopped on its own.
    stop: () => Promise.resolve(),
  };
}

export async function startCeilingServer(
  mode: CeilingMode,
  db: BenchDatabase,
  keysFile: string,
): Promise<ChildServer> {
  const port = await freePort();
  return startChildServer(
    [CEILING_SERVER, mode, '--port', String(port), '--keys', keysFile],
    port,
    serverEnv(db),
  );
}
