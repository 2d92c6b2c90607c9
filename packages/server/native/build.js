// Builds wal-combine (a SQLite extension, wal-combine.c) into native/build/, against the SQLite headers
// better-sqlite3 compiles with. Without a C compiler the panel still runs, writing the WAL as SQLite
// does (the server logs that the library is missing); so a missing compiler is a notice, not a failure.
import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
const headers = join(dirname(require.resolve('better-sqlite3/package.json')), 'deps', 'sqlite3');
const library = { darwin: 'wal-combine.dylib', win32: null }[process.platform] ?? 'wal-combine.so';

if (library === null) {
  console.log('wal-combine: not built on Windows (the WAL is written as SQLite does)');
  process.exit(0);
}
mkdirSync(join(here, 'build'), { recursive: true });
const compiler = process.env.CC || 'cc';
const shared = process.platform === 'darwin' ? ['-dynamiclib', '-undefined', 'dynamic_lookup'] : ['-shared'];
const built = spawnSync(
  compiler,
  [
    '-O2',
    '-fPIC',
    '-Wall',
    '-Wextra',
    '-Werror',
    ...shared,
    '-I',
    headers,
    '-o',
    join(here, 'build', library),
    join(here, 'wal-combine.c'),
  ],
  { stdio: 'inherit' },
);
if (built.error && built.error.code === 'ENOENT') {
  console.log(`wal-combine: no C compiler (${compiler}); not built (the WAL is written as SQLite does)`);
  process.exit(0);
}
if (built.status !== 0) process.exit(built.status ?? 1);
