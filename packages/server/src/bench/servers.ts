import { mkdirSync } from 'node:fs';
import type { BenchDatabase } from './bench-database.js';
import { type ChildServer, freePort, startChildServer } from './child-server.js';
import { CEILING_SERVER, SMMKIT_BIN } from './paths.js';
import type { CeilingMode } from './scenarios.js';

/** The environment both kinds of server read: same database, same durability, quiet logs. */
function serverEnv(db: BenchDatabase): NodeJS.ProcessEnv {
  return { ...process.env, DATABASE_URL: db.url, SMMKIT_LOG_LEVEL: 'warn' };
}

/** The real server, as an operator runs it: the bin, `serve`, no worker competing for the CPU. */
export async function startSmmkitServer(
  db: BenchDatabase,
  cpuProfileDir: string | null,
): Promise<ChildServer> {
  const port = await freePort();
  const profile = cpuProfileDir === null ? [] : ['--cpu-prof', '--cpu-prof-dir', cpuProfileDir];
  if (cpuProfileDir !== null) mkdirSync(cpuProfileDir, { recursive: true });
  return startChildServer(
    [...profile, SMMKIT_BIN, 'serve', '--port', String(port), '--no-worker'],
    port,
    serverEnv(db),
  );
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
