import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WAL_COMBINE_LIBRARY, loadWalCombine } from '../../src/store/sqlite-wal-combine.js';
import { TEST_DIALECT } from '../support/test-database.js';

/**
 * wal-combine (native/wal-combine.c): a commit's WAL frames go out in a few writes instead of two a
 * frame, and nothing else changes: another connection sees every commit at once, a transaction
 * larger than the cache (frames spilled, rewritten, their checksums redone) commits and rolls back
 * intact, connections go on after another one restarted the WAL, SQLite's recovery accepts every
 * frame, a process killed at any moment keeps every commit it was told of, and a write that fails
 * fails its whole transaction. Its counters show that every commit was written at its commit frame,
 * never only by the guard before the wal-index publishes it.
 *
 * Skipped where wal-combine could not be built (no C compiler) unless SMMKIT_WAL_COMBINE_REQUIRED=1,
 * as in CI, where its build must succeed.
 */

const BETTER_SQLITE3 = createRequire(import.meta.url).resolve('better-sqlite3');

type Connection = BetterSqlite3.Database;

/**
 * A child process's script: its first argument says whether it loads wal-combine, its second is the
 * database file, which `openWal(pragmas)` opens in WAL mode at NORMAL.
 */
function childScript(body: string): string {
  return `
const Database = require(${JSON.stringify(BETTER_SQLITE3)});
const fs = require('node:fs');
if (process.argv[1] === 'on') {
  const loader = new Database(':memory:');
  loader.loadExtension(${JSON.stringify(WAL_COMBINE_LIBRARY)});
  loader.close();
}
const file = process.argv[2];
function openWal(pragmas = []) {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  for (const pragma of pragmas) db.pragma(pragma);
  return db;
}
${body}`;
}

/** One transaction of 400 rows of ~600 bytes, each with a random key in an index: its frames and the process's write calls. */
const COUNT_WRITES = childScript(`
const db = openWal(['wal_autocheckpoint = 0']);
db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, k TEXT, v BLOB); CREATE INDEX t_k ON t (k)');
const writes = () => Number(/syscw: (\\d+)/.exec(fs.readFileSync('/proc/self/io', 'utf8'))[1]);
const insert = db.prepare('INSERT INTO t (k, v) VALUES (?, randomblob(600))');
const framesBefore = db.pragma('wal_checkpoint(PASSIVE)')[0].log;
const before = writes();
db.transaction(() => { for (let i = 0; i < 400; i++) insert.run(String(Math.random())); })();
const written = writes() - before;
db.pragma('wal_autocheckpoint = 1000');
const frames = db.pragma('wal_checkpoint(PASSIVE)')[0].log - framesBefore;
console.log(JSON.stringify({ frames, written }));
`);

/** Commits transactions until killed, each of `n` rows summing to a known total; prints n once committed. */
const WRITE_UNTIL_KILLED = childScript(`
const db = openWal();
db.exec('CREATE TABLE IF NOT EXISTS t (n INTEGER, k TEXT, v BLOB); CREATE INDEX IF NOT EXISTS t_k ON t (k)');
const insert = db.prepare('INSERT INTO t (n, k, v) VALUES (?, ?, randomblob(200))');
for (let n = 1; ; n++) {
  db.transaction(() => { for (let i = 0; i < n % 50 + 1; i++) insert.run(n, String(Math.random())); })();
  process.stdout.write(n + '\\n');
}
`);

/**
 * Under a 3 MB file size limit (a shell's ulimit; SIGXFSZ ignored, so a write past it fails with
 * EFBIG): small commits, then one of ~5 MB, spilled as it goes (a 50-page cache), which cannot be
 * written; then a small commit again. Prints each outcome.
 */
const WRITE_PAST_LIMIT = childScript(`
const db = openWal(['wal_autocheckpoint = 0', 'cache_size = 50']);
db.exec('CREATE TABLE t (n INTEGER, k TEXT, v BLOB); CREATE INDEX t_k ON t (k)');
const insert = db.prepare('INSERT INTO t (n, k, v) VALUES (?, ?, randomblob(?))');
const commit = (n, rows, size) => db.transaction(() => { for (let i = 0; i < rows; i++) insert.run(n, n + '-' + i, size); })();
for (let n = 1; n <= 20; n++) commit(n, 10, 200);
try { commit(100, 5000, 1000); console.log('big committed'); } catch (error) { console.log('big failed ' + error.code); }
try { commit(21, 10, 200); console.log('after committed'); } catch (error) { console.log('after failed ' + error.code); }
`);

const runs =
  TEST_DIALECT === 'sqlite' &&
  (existsSync(WAL_COMBINE_LIBRARY) || process.env.SMMKIT_WAL_COMBINE_REQUIRED === '1');

describe.runIf(runs)('SQLite wal-combine', () => {
  let dir: string;
  const open: Connection[] = [];

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'smmkit-wal-combine-'));
    // Every test panel has loaded it already: `npm test` builds it first (a C compiler is needed).
    expect(loadWalCombine()).toEqual({ state: 'on' });
  });

  afterAll(() => {
    for (const connection of open) if (connection.open) connection.close();
    rmSync(dir, { recursive: true, force: true });
  });

  function connect(name: string, pragmas: readonly string[] = []): Connection {
    const connection = new BetterSqlite3(join(dir, name));
    connection.pragma('journal_mode = WAL');
    connection.pragma('synchronous = NORMAL');
    // The WAL is kept: the tests read it back through recovery (recoveredCopy).
    connection.pragma('wal_autocheckpoint = 0');
    for (const pragma of pragmas) connection.pragma(pragma);
    open.push(connection);
    return connection;
  }

  /** A copy of the database and its WAL as they are now, opened: SQLite recovers the WAL, checking every frame's checksum. */
  function recoveredCopy(name: string): Connection {
    const copy = `${name}.copy-${open.length}`;
    copyFileSync(join(dir, name), join(dir, copy));
    copyFileSync(join(dir, `${name}-wal`), join(dir, `${copy}-wal`));
    const connection = new BetterSqlite3(join(dir, copy), { readonly: true });
    open.push(connection);
    return connection;
  }

  function contents(connection: Connection): { rows: number; total: number; integrity: string } {
    const row = connection.prepare('SELECT count(*) AS rows, coalesce(sum(n), 0) AS total FROM t').get() as {
      rows: number;
      total: number;
    };
    return { ...row, integrity: connection.pragma('integrity_check', { simple: true }) as string };
  }

  it.runIf(process.platform === 'linux')(
    'writes a commit of ~70 frames with a few write calls, not two a frame',
    () => {
      const run = (mode: 'on' | 'off') => {
        const child = spawnSync(process.execPath, ['-e', COUNT_WRITES, mode, join(dir, `count-${mode}.db`)], {
          encoding: 'utf8',
        });
        expect(child.stderr).toBe('');
        return JSON.parse(child.stdout) as { frames: number; written: number };
      };
      const without = run('off');
      const combined = run('on');
      expect(without.frames).toBeGreaterThan(40);
      // SQLite alone: a header and a page per frame.
      expect(without.written).toBeGreaterThanOrEqual(2 * without.frames);
      // Through wal-combine: the frames in pieces of up to 124 KiB, and the process's few other writes.
      expect(combined.frames).toBeGreaterThan(40);
      expect(combined.written).toBeLessThan(combined.frames / 4);
    },
  );

  it('lets another connection see every commit at once', () => {
    const writer = connect('seen.db');
    writer.exec('CREATE TABLE t (n INTEGER, k TEXT, v BLOB); CREATE INDEX t_k ON t (k)');
    const reader = connect('seen.db');
    const insert = writer.prepare('INSERT INTO t (n, k, v) VALUES (?, ?, randomblob(700))');
    let rows = 0;
    let total = 0;
    for (let n = 1; n <= 200; n++) {
      const count = ((n * 7) % 40) + 1;
      writer.transaction(() => {
        for (let i = 0; i < count; i++) insert.run(n, `${(n * 7919 + i * 104729) % 100_000}`);
      })();
      rows += count;
      total += n * count;
      // The reader's own file handle: the frames must be in the file before the commit is published.
      expect(contents(reader)).toEqual({ rows, total, integrity: 'ok' });
    }
    expect(contents(recoveredCopy('seen.db'))).toEqual({ rows, total, integrity: 'ok' });
  });

  it('commits and rolls back a transaction larger than the cache, its spilled frames rewritten', () => {
    // 20 pages of cache: the transaction's pages spill to the WAL before it commits, and the ones it
    // changes again are rewritten there in place (their checksums redone at the commit).
    const writer = connect('spill.db', ['cache_size = 20']);
    writer.exec('CREATE TABLE t (n INTEGER, k TEXT, v BLOB); CREATE INDEX t_k ON t (k)');
    const insert = writer.prepare('INSERT INTO t (n, k, v) VALUES (?, ?, randomblob(500))');
    const bump = writer.prepare('UPDATE t SET n = n + 1 WHERE rowid % 7 = ?');
    const big = (n: number) => {
      for (let i = 0; i < 3000; i++) insert.run(n, `${(i * 104729) % 9973}-${n}`);
      for (let pass = 0; pass < 3; pass++) bump.run(pass);
    };
    writer.transaction(() => big(1))();
    const committed = contents(writer);
    expect(committed.rows).toBe(3000);
    expect(committed.integrity).toBe('ok');

    expect(() =>
      writer.transaction(() => {
        big(2);
        throw new Error('rolled back');
      })(),
    ).toThrow('rolled back');
    expect(contents(writer)).toEqual(committed);

    writer.transaction(() => insert.run(5, 'after'))();
    const after = { rows: committed.rows + 1, total: committed.total + 5, integrity: 'ok' };
    expect(contents(connect('spill.db'))).toEqual(after);
    expect(contents(recoveredCopy('spill.db'))).toEqual(after);
  });

  it('goes on writing after another connection restarted the WAL', () => {
    const a = connect('restart.db');
    a.exec('CREATE TABLE t (n INTEGER, k TEXT, v BLOB); CREATE INDEX t_k ON t (k)');
    const b = connect('restart.db');
    const insertA = a.prepare('INSERT INTO t (n, k, v) VALUES (?, ?, randomblob(900))');
    const insertB = b.prepare('INSERT INTO t (n, k, v) VALUES (?, ?, randomblob(900))');
    let rows = 0;
    let total = 0;
    const write = (insert: BetterSqlite3.Statement, conn: Connection, n: number, count: number) => {
      conn.transaction(() => {
        for (let i = 0; i < count; i++) insert.run(n, `${n}-${i}`);
      })();
      rows += count;
      total += n * count;
    };
    write(insertA, a, 1, 200);
    write(insertB, b, 2, 10);
    for (let round = 0; round < 3; round++) {
      // B copies the WAL into the database and starts it again: A's next frames begin a new WAL.
      expect(b.pragma('wal_checkpoint(RESTART)')).toEqual([
        { busy: 0, log: expect.any(Number), checkpointed: expect.any(Number) },
      ]);
      write(insertA, a, 3 + round, 30);
      write(insertB, b, 10 + round, 150);
      write(insertA, a, 20 + round, 5);
    }
    expect(contents(connect('restart.db'))).toEqual({ rows, total, integrity: 'ok' });
    expect(contents(recoveredCopy('restart.db'))).toEqual({ rows, total, integrity: 'ok' });
  });

  it('keeps every commit a killed process was told of', async () => {
    for (let run = 0; run < 3; run++) {
      const file = join(dir, `killed-${run}.db`);
      const child = spawn(process.execPath, ['-e', WRITE_UNTIL_KILLED, 'on', file], {
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      const lastTold = await killAfterCommits(child, 150 + run * 200);
      const after = connect(`killed-${run}.db`);
      const { integrity } = contents(after);
      expect(integrity).toBe('ok');
      // Every transaction is whole, and none it was told of is missing.
      const partial = after
        .prepare('SELECT n, count(*) AS rows FROM t GROUP BY n HAVING count(*) != n % 50 + 1')
        .all();
      expect(partial).toEqual([]);
      const { last } = after.prepare('SELECT coalesce(max(n), 0) AS last FROM t').get() as { last: number };
      expect(last).toBeGreaterThanOrEqual(lastTold);
      const { missing } = after
        .prepare('SELECT ? - count(DISTINCT n) AS missing FROM t WHERE n <= ?')
        .get(lastTold, lastTold) as { missing: number };
      expect(missing).toBe(0);
    }
  });

  it('writes the commit whose page comes after a full buffer at that page', () => {
    // A run of appends is written when it reaches 4 MiB: with 4 KiB pages, between the 1,019th frame's
    // header and its page. Transactions of ~990 to ~1,050 frames, each from the WAL's start, put the
    // commit frame there once; its page must still end the run.
    const writer = connect('boundary.db');
    writer.exec('CREATE TABLE t (n INTEGER, v BLOB)');
    const insert = writer.prepare('INSERT INTO t (n, v) VALUES (?, randomblob(3000))');
    const before = combineStats(writer);
    let rows = 0;
    for (let count = 980; count <= 1050; count++) {
      writer.exec('DELETE FROM t');
      writer.pragma('wal_checkpoint(TRUNCATE)');
      writer.transaction(() => {
        for (let i = 0; i < count; i++) insert.run(count);
      })();
      rows = count;
    }
    const after = combineStats(writer);
    expect(after.commits - before.commits).toBeGreaterThanOrEqual(71);
    expect(after.guarded).toBe(before.guarded);
    expect(contents(recoveredCopy('boundary.db'))).toEqual({ rows, total: rows * rows, integrity: 'ok' });
  });

  it.runIf(process.platform === 'linux')(
    'fails the whole transaction whose write fails, and writes again after it',
    () => {
      const file = join(dir, 'limited.db');
      const child = spawnSync(
        'bash',
        [
          '-c',
          'trap "" XFSZ; ulimit -f 3000; exec "$0" "$@"',
          process.execPath,
          '-e',
          WRITE_PAST_LIMIT,
          'on',
          file,
        ],
        { encoding: 'utf8' },
      );
      expect(child.stderr).toBe('');
      expect(child.stdout).toBe('big failed SQLITE_IOERR_WRITE\nafter committed\n');
      const rows = 21 * 10;
      const total = 10 * ((21 * 22) / 2);
      expect(contents(connect('limited.db'))).toEqual({ rows, total, integrity: 'ok' });
      expect(contents(recoveredCopy('limited.db'))).toEqual({ rows, total, integrity: 'ok' });
    },
  );

  it('wrote every commit of this process at its commit frame, never only at the guard', () => {
    // Every test panel of this file's process, and the tests above, wrote through wal-combine.
    const stats = combineStats(connect('stats.db'));
    expect(stats.commits).toBeGreaterThan(250);
    expect(stats.guarded).toBe(0);
    expect(stats.failed).toBe(0);
  });
});

/** wal-combine's counters, process-wide (`wal_combine_stats()`, on every connection opened after it was loaded). */
function combineStats(connection: Connection): { commits: number; guarded: number; failed: number } {
  const { stats } = connection.prepare('SELECT wal_combine_stats() AS stats').get() as { stats: string };
  return JSON.parse(stats) as { commits: number; guarded: number; failed: number };
}

/** Kills the child (SIGKILL) once it has printed `commits` commits; resolves to the last one it printed. */
function killAfterCommits(child: ChildProcess, commits: number): Promise<number> {
  return new Promise((resolve, reject) => {
    let last = 0;
    let pending = '';
    let errors = '';
    child.stderr!.on('data', (chunk: Buffer) => (errors += chunk.toString()));
    child.stdout!.on('data', (chunk: Buffer) => {
      pending += chunk.toString();
      const lines = pending.split('\n');
      pending = lines.pop()!;
      for (const line of lines) last = Number(line);
      if (last >= commits && child.exitCode === null) child.kill('SIGKILL');
    });
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (signal === 'SIGKILL') resolve(last);
      else reject(new Error(`the writer ended by itself (${code}): ${errors}`));
    });
  });
}
