import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Where things live relative to this compiled file (packages/bench/dist/). */
const here = (relative: string): string => fileURLToPath(new URL(relative, import.meta.url));

export { SMMKIT_BIN } from '@smmkit/server/bench-support';
export const CEILING_SERVER = here('./ceiling-server.js');
/** Gitignored, at the repository's root: results of every run, one JSON file each. */
export const RESULTS_DIR = here('../../../bench-results/');

/** Where a run's CPU profiles go (`--cpu-prof`), named by when it started and what it profiles; null without the flag. */
export function profileDirFor(cpuProfile: boolean, startedAt: string, label: string): string | null {
  return cpuProfile ? join(RESULTS_DIR, `${startedAt.replace(/[:.]/g, '-')}-${label}`) : null;
}
