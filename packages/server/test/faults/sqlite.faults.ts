import { join } from 'node:path';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { type FleetProcess, waitFor } from '../support/process-fleet.js';
import { ClientLoad } from './client-load.js';
import {
  type ProviderInstance,
  type ResellerSetup,
  addServer,
  setUpReseller,
  startProvider,
} from './fault-panels.js';
import { FaultRun } from './fault-run.js';

/**
 * SQLite, the embedded setup: one `smmkit serve` with its worker, and a provider instance behind
 * a proxy that holds back its `add` answers. Under a steady load of `add`/`status`, kill -9 the
 * panel while it waits on the provider and while clients wait on it, and start it again.
 */
describe('faults on SQLite: one panel process with its worker, a provider', () => {
  const run = new FaultRun('sqlite');
  let provider: ProviderInstance;
  let reseller: ResellerSetup;
  let panel: { process: FleetProcess; apiUrl: string };
  let databaseUrl: string;
  let failed = true;

  beforeAll(async () => {
    databaseUrl = join(run.dir, 'reseller.db');
    provider = await startProvider(run.fleet, run.dir);
    reseller = await setUpReseller(databaseUrl, provider, 2);
    panel = await addServer(run.fleet, 'panel', databaseUrl, { worker: true });
    await panel.process.start();
    run.step(`provider and panel (serve with its worker) up; logs in ${run.dir}`);
  });

  afterAll(async () => {
    await run.close(failed);
    await provider?.proxy.close();
  });

  it('loses no acknowledged order, sends none twice, and balances the ledgers', async () => {
    const load = new ClientLoad({
      servers: [panel.apiUrl],
      customers: reseller.customers,
      service: reseller.service,
      callers: 4,
      pauseMs: 40,
      retryForMs: 60_000,
    });
    load.start();
    try {
      await run.loadProgresses(load, 30);
      run.step(`load running: ${load.acknowledgedCount} orders acknowledged`);

      // kill -9 while clients wait on the panel and the panel waits on the provider.
      const waiting = await waitFor(
        'the panel to wait on provider adds with clients waiting on it',
        () =>
          (load.inFlightTo(panel.apiUrl) > 0 && provider.proxy.inFlightAddsOf(panel.process.pid)) ||
          undefined,
        { timeoutMs: 30_000, intervalMs: 10, guard: run.noCrash },
      );
      const faultsBefore = load.faultCount;
      await panel.process.kill();
      run.step(`killed the panel (SIGKILL) with ${waiting} provider adds in flight`);
      await waitFor('clients to meet the outage', () => load.faultCount >= faultsBefore + 3, {
        timeoutMs: 15_000,
      });
      await panel.process.start();
      run.step(`panel restarted; ${load.faultCount - faultsBefore} requests failed meanwhile`);
      await run.loadProgresses(load, 50);
    } finally {
      await load.stop();
    }
    run.step(`load stopped: ${load.counts.acknowledged} acknowledged, ${load.counts.unacknowledged} not`);

    await run.drain(databaseUrl, 200_000);
    await run.check(databaseUrl, provider, load, { resentAtLeast: 1 });
    failed = false;
  });
});
