import type { BenchDatabase } from './bench-database.js';
import type { ChildServer } from './child-server.js';
import type { BenchOptions } from './options.js';
import { profileDirFor } from './paths.js';
import type { CeilingMode } from './scenarios.js';
import { serverGroup, startCeilingServer, startSmmkitServer } from './servers.js';

export const CEILING_MODES: readonly CeilingMode[] = [
  'fixed-json',
  'pk-read',
  'many-read',
  'many-read-refills',
  'cached-buffer',
  'raw-add',
];

export interface FleetVariant {
  /** Appended to the scenario's name: "status, two servers". */
  readonly label: string;
  readonly server: ChildServer;
}

/** A rate limit no key reaches: the cost of counting, not of refusing. */
export const UNREACHED_RATE_LIMIT = '1000000000';

/**
 * Every server one run measures, started together and left idle between their turns: the smmkit
 * server on the big database and on the small one, and one ceiling server per mode on the big one.
 * Only one of them is under load at any time.
 */
export interface Fleet {
  readonly smmkit: ChildServer;
  readonly smallSmmkit: ChildServer;
  readonly ceilings: Readonly<Record<CeilingMode, ChildServer>>;
  /** Other setups of the server on the big database, each scenario measured on them too. */
  readonly variants: readonly FleetVariant[];
  /** Where the smmkit server's CPU profile goes, when asked for. */
  readonly profileDir: string | null;
  stop(): Promise<void>;
}

export async function startFleet(
  big: BenchDatabase,
  small: BenchDatabase,
  keysFile: string,
  options: BenchOptions,
  startedAt: string,
): Promise<Fleet> {
  const started: ChildServer[] = [];
  const stop = async () => {
    await Promise.all(started.map((server) => server.stop()));
  };
  const track = async (starting: Promise<ChildServer>) => {
    const server = await starting;
    started.push(server);
    return server;
  };
  try {
    const profileDir = profileDirFor(options.cpuProfile, startedAt, 'profile');
    const smmkit = await track(startSmmkitServer(big, profileDir));
    const smallSmmkit = await track(startSmmkitServer(small, null));
    const ceilings = {} as Record<CeilingMode, ChildServer>;
    for (const mode of CEILING_MODES) ceilings[mode] = await track(startCeilingServer(mode, big, keysFile));
    const variants: FleetVariant[] = [];
    if (options.servers === 2) {
      const second = await track(startSmmkitServer(big, null));
      variants.push({ label: 'two servers', server: serverGroup([smmkit, second]) });
    }
    if (options.compareRateLimit) {
      const env = { SMMKIT_RATE_LIMIT: UNREACHED_RATE_LIMIT };
      variants.push({ label: 'rate limit on', server: await track(startSmmkitServer(big, null, env)) });
    }
    return { smmkit, smallSmmkit, ceilings, variants, profileDir, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
