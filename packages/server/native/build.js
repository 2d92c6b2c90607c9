// Builds wal-combine (a SQLite extension, wal-combine.c) into native/build/, against the SQLite headers
// better-sqlite3 compiles with. The panel runs without it, writing the WAL as SQLite does (`serve`
// logs that it is unavailable), so a build that cannot be made is a notice, never a failed install;
// SMMKIT_WAL_COMBINE_REQUIRED=1 (CI) makes it an error.
import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const required = process.env.SMMKIT_WAL_COMBINE_REQUIRED === '1';

function skip(reason) {
  const message = `wal-combine: not built (${reason}); the WAL is written as SQLite does`;
  if (required) {
    console.error(`${message}, and SMMKIT_WAL_COMBINE_REQUIRED=1`);
    process.exit(1);
  }
  console.log(message);
  process.exit(0);
}

if (process.platform === 'win32') skip('not built on Windows');
const library = join(here, 'build', process.platform === 'darwin' ? 'wal-combine.dylib' : 'wal-combine.so');
let headers = '';
try {
  headers = join(
    dirname(createRequire(import.meta.url).resolve('better-sqlite3/package.json')),
    'deps',
    'sqlite3',
  );
} catch (error) {
  skip(`better-sqlite3's SQLite headers are not found (${error.message})`);
}
// CC may carry arguments of its own ("ccache cc").
const [compiler, ...compilerArgs] = (process.env.CC || 'cc').trim().split(/\s+/);
const shared = process.platform === 'darwin' ? ['-dynamiclib', '-undefined', 'dynamic_lookup'] : ['-shared'];
mkdirSync(join(here, 'build'), { recursive: true });
// A stale library must not outlive a failed build.
rmSync(library, { force: true });
const built = spawnSync(
  compiler,
  [
    ...compilerArgs,
    '-O2',
    '-fPIC',
    '-Wall',
    '-Wextra',
    ...shared,
    '-I',
    headers,
    '-o',
    library,
    join(here, 'wal-combine.c'),
  ],
  { stdio: 'inherit' },
);
if (built.error) skip(`${compiler}: ${built.error.message}`);
if (built.status !== 0) skip(`${compiler} exited with ${built.status ?? built.signal}`);
