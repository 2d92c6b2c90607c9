import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from '../../src/store/database.js';
import { type FleetProcess, httpReady, sleep, waitFor } from '../support/process-fleet.js';
import { RestartablePostgres } from '../support/restartable-postgres.js';
import { ClientLoad } from './client-load.js';
import {
  type ProviderInstance,
  type ResellerSetup,
  addServer,
  addWorker,
  setUpReseller,
  startProvider,
} from './fault-panels.js';
import { openTarget } from './consistency.js';
import { FaultRun } from './fault-run.js';

const backendPid = sql('SELECT pg_backend_pid() AS pid');
const terminateBackend = sql('SELECT pg_terminate_backend(?) AS done');
const backendAlive = sql('SELECT 1 AS alive FROM pg_stat_activity WHERE pid = ?');

/**
 * PostgreSQL, scaled out: two `smmkit serve --no-worker`, two `smmkit worker`, a provider instance
 * (smmkit on SQLite) behind a proxy that holds back its `add` answers. Under a steady load of
 * `add`/`status`: kill -9 a server, then a worker mid-dispatch, then restart PostgreSQL. Then no
 * acknowledged order is lost, nothing was ordered upstream twice, and the ledgers balance.
 */
describe('faults on PostgreSQL: two servers, two workers, a provider', () => {
  const run = new FaultRun('postgres');
  let postgres: RestartablePostgres;
  let provider: ProviderInstance;
  let reseller: ResellerSetup;
  const servers: { process: FleetProcess; apiUrl: string }[] = [];
  const workers: FleetProcess[] = [];
  let failed = true;

  beforeAll(async () => {
    [postgres, provider] = await Promise.all([
      RestartablePostgres.start(),
      startProvider(run.fleet, run.dir),
    ]);
    run.step(`embedded PostgreSQL on port ${postgres.port}; logs in ${run.dir}`);
    reseller = await setUpReseller(postgres.url, provider, 3);
    for (const name of ['server-1', 'server-2']) {
      servers.push(await addServer(run.fleet, name, postgres.url, { worker: false }));
    }
    workers.push(
      addWorker(run.fleet, 'worker-1', postgres.url),
      addWorker(run.fleet, 'worker-2', postgres.url),
    );
    await Promise.all([...servers.map((server) => server.process.start()), ...workers.map((w) => w.start())]);
    run.step('provider, 2 servers and 2 workers up');
  });

  afterAll(async () => {
    await run.close(failed);
    await provider?.proxy.close();
    await postgres?.destroy();
  });

  it('a transaction whose connection is cut between two queries fails, and the process lives on', async () => {
    const db = openTarget(postgres.url);
    const admin = openTarget(postgres.url);
    try {
      const attempt = db.transaction(async (tx) => {
        const { pid } = (await tx.get<{ pid: bigint }>(backendPid))!;
        await admin.get(terminateBackend, [pid]);
        // The server's "terminating connection" reaches this client while no query of it runs.
        await waitFor('the backend to be gone', async () => !(await admin.get(backendAlive, [pid])), {
          timeoutMs: 10_000,
          intervalMs: 20,
        });
        await sleep(100);
        return tx.get(backendPid);
      });
      await expect(attempt).rejects.toThrow();
      // The pool hands out a working connection again.
      expect(await db.get(backendPid)).toHaveProperty('pid');
    } finally {
      await db.close();
      await admin.close();
    }
  });

  it('loses no acknowledged order, sends none twice, and balances the ledgers', async () => {
    const first = servers[0]!;
    const load = new ClientLoad({
      servers: servers.map((server) => server.apiUrl),
      customers: reseller.customers,
      service: reseller.service,
      callers: 6,
      pauseMs: 40,
      retryForMs: 60_000,
    });
    load.start();
    try {
      await run.loadProgresses(load, 30);
      run.step(`load running: ${load.acknowledgedCount} orders acknowledged`);

      // 1. kill -9 a server with requests in flight; the load goes on through the other.
      await waitFor('requests in flight to server-1', () => load.inFlightTo(first.apiUrl) > 0, {
        timeoutMs: 10_000,
        intervalMs: 5,
        guard: run.noCrash,
      });
      await first.process.kill();
      load.markDown(first.apiUrl);
      run.step('killed server-1 (SIGKILL)');
      await run.loadProgresses(load, 30);
      await first.process.start();
      load.markUp(first.apiUrl);
      run.step(`server-1 restarted; ${load.acknowledgedCount} acknowledged`);
      await run.loadProgresses(load, 20);

      // 2. kill -9 a worker while the provider has answered adds it has not heard back about.
      const worker = workers[0]!;
      const waiting = await waitFor(
        'worker-1 to wait on provider adds',
        () => provider.proxy.inFlightAddsOf(worker.pid) || undefined,
        { timeoutMs: 30_000, intervalMs: 10, guard: run.noCrash },
      );
      await worker.kill();
      run.step(`killed worker-1 (SIGKILL) with ${waiting} provider adds in flight`);
      await run.loadProgresses(load, 20);
      await worker.start();
      run.step('worker-1 restarted');

      // 3. restart PostgreSQL (fast shutdown: every connection is cut).
      const faultsBefore = load.faultCount;
      await postgres.stop();
      run.step('PostgreSQL stopped');
      await waitFor('clients to meet the outage', () => load.faultCount >= faultsBefore + 5, {
        timeoutMs: 15_000,
        guard: run.noCrash,
      });
      await postgres.start();
      run.step(`PostgreSQL started again; ${load.faultCount - faultsBefore} requests failed meanwhile`);
      await run.loadProgresses(load, 30);
      // The servers recovered by themselves: ready again, with no restart.
      await Promise.all(servers.map((server) => httpReady(server.apiUrl.replace('/api/v2', '/readyz'))()));
      run.step(`servers ready again; ${load.acknowledgedCount} acknowledged`);
      await run.loadProgresses(load, 20);
    } finally {
      await load.stop();
    }
    run.step(`load stopped: ${load.counts.acknowledged} acknowledged, ${load.counts.unacknowledged} not`);

    await run.drain(postgres.url, 200_000);
    await run.check(postgres.url, provider, load, { resentAtLeast: 1 });
    failed = false;
  });
});
