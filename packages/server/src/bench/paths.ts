import { fileURLToPath } from 'node:url';

/** Where things live relative to this compiled file (packages/server/dist/bench/). */
const here = (relative: string): string => fileURLToPath(new URL(relative, import.meta.url));

export const SMMKIT_BIN = here('../../bin/smmkit.js');
export const CEILING_SERVER = here('./ceiling-server.js');
/** Gitignored: results of every run, one JSON file each. */
export const RESULTS_DIR = here('../../../../bench-results/');
