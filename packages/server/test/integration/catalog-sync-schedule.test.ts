import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setServicesEnabled } from '../../src/app/catalog/set-services-enabled.js';
import { updateService } from '../../src/app/catalog/update-service.js';
import { runScheduledCatalogSyncs } from '../../src/app/providers/run-scheduled-catalog-syncs.js';
import { scheduleCatalogSync } from '../../src/app/providers/schedule-catalog-sync.js';
import { findCatalogSyncSchedule } from '../../src/store/catalog-sync-schedule.js';
import { sql } from '../../src/store/database.js';
import { runCli } from '../support/run-cli.js';
import { TestPanel } from '../support/test-panel.js';
import { importFromUpstream } from '../support/upstream-provider.js';

const selectService = sql('SELECT rate, provider_rate, enabled FROM services WHERE id = ?');

/**
 * A reseller following a real smmkit provider on a schedule: the worker job syncs each provider at
 * its own cadence, one worker at a time, with the provider's price and removal policies.
 */
describe('scheduled catalogue sync against a real provider', () => {
  let upstream: TestPanel;
  let reseller: TestPanel;
  let providerId = 0;
  const upstreamIds = { followers: 0, comments: 0 };
  const local = { followers: 0, comments: 0 };
  const service = async (id: number) =>
    (await reseller.db.get<{ rate: bigint; provider_rate: bigint | null; enabled: bigint }>(selectService, [
      id,
    ]))!;
  /** Two workers at once; resolves to how many syncs ran in all. */
  const twoWorkers = async () => {
    const runs = await Promise.all([
      runScheduledCatalogSyncs(reseller.ctx),
      runScheduledCatalogSyncs(reseller.ctx),
    ]);
    return runs.reduce((sum, run) => sum + run.synced + run.failed, 0);
  };

  beforeAll(async () => {
    [upstream, reseller] = await Promise.all([TestPanel.start(), TestPanel.start()]);
    reseller.clock.set(Date.now());
    upstreamIds.followers = await upstream.createService({ name: 'Followers', rate: '0.90' });
    upstreamIds.comments = await upstream.createService({ name: 'Comments', rate: '2.00' });
    const imported = await importFromUpstream(reseller, upstream, {
      name: 'upstream',
      markup: { percentHundredths: 2500n, fixed: 10_000n },
    });
    providerId = imported.providerId;
    for (const created of imported.report.created) {
      if (created.name === 'Followers') local.followers = created.service;
      if (created.name === 'Comments') local.comments = created.service;
    }
  });
  afterAll(async () => {
    await reseller.close();
    await upstream.close();
  });

  it('provider set --sync-every refuses under 10 s and bad policies, and sets the schedule', async () => {
    const refusals = [
      [['--sync-every', '5s'], 'at least 10s'],
      [['--sync-every', 'soon'], 'a whole number'],
      [['--follow-prices', 'always'], 'keep-markup, notify or off'],
      [['--on-removed', 'delete'], 'disable or notify'],
    ] as const;
    const runs = await Promise.all(
      refusals.map(([flags]) =>
        runCli(['provider', 'set', String(providerId), ...flags], reseller.database.url),
      ),
    );
    refusals.forEach(([, message], index) => {
      const run = runs[index]!;
      expect(run.code).toBe(2);
      expect(run.stderr).toContain(message);
    });
    expect((await findCatalogSyncSchedule(reseller.db, providerId))!.everyMs).toBeNull();
    const set = await runCli(
      ['provider', 'set', String(providerId), '--sync-every', '30s'],
      reseller.database.url,
    );
    expect(set.code, set.stderr).toBe(0);
    expect(set.json()).toMatchObject({
      id: providerId,
      syncEvery: '30s',
      followPrices: 'keep-markup',
      onRemoved: 'disable',
    });
    // Nothing is due before the cadence says so.
    reseller.clock.set(Date.now() - 60_000);
    expect(await twoWorkers()).toBe(0);
  });

  it('follows a price rise within one interval with the markup kept, one worker at a time', async () => {
    expect(await service(local.followers)).toMatchObject({ rate: 122_500n, provider_rate: 90_000n });
    expect((await updateService(upstream.ctx, upstreamIds.followers, { rate: '1.00' })).ok).toBe(true);
    reseller.clock.set(Date.now() + 30_000);
    expect(await twoWorkers()).toBe(1);
    // 1.00 × 1.25 + 0.10: never below the provider's rate.
    expect(await service(local.followers)).toMatchObject({ rate: 135_000n, provider_rate: 100_000n });
    const schedule = (await findCatalogSyncSchedule(reseller.db, providerId))!;
    expect(schedule.nextAt).toBe(reseller.clock.now() + 30_000);
    expect(schedule.lastResult).toMatchObject({
      changed: [{ field: 'providerRate' }, { field: 'rate', new: '1.35' }],
    });
    // Not due again until one interval later; then once more.
    expect(await twoWorkers()).toBe(0);
    reseller.clock.advance(30_000);
    expect(await twoWorkers()).toBe(1);
  });

  it('removed at the provider: disabled (the default policy)', async () => {
    expect((await setServicesEnabled(upstream.ctx, { ids: [upstreamIds.comments], enabled: false })).ok).toBe(
      true,
    );
    reseller.clock.advance(30_000);
    expect(await twoWorkers()).toBe(1);
    expect((await service(local.comments)).enabled).toBe(0n);
    expect((await findCatalogSyncSchedule(reseller.db, providerId))!.lastResult).toMatchObject({
      disabled: [{ service: local.comments }],
    });
    expect((await setServicesEnabled(upstream.ctx, { ids: [upstreamIds.comments], enabled: true })).ok).toBe(
      true,
    );
  });

  it('notify: prices and removals are listed for the admin and nothing changes', async () => {
    const set = await scheduleCatalogSync(reseller.ctx, providerId, {
      followPrices: 'notify',
      onRemoved: 'notify',
    });
    expect(set.ok).toBe(true);
    expect((await updateService(upstream.ctx, upstreamIds.followers, { rate: '1.20' })).ok).toBe(true);
    expect(
      (await setServicesEnabled(upstream.ctx, { ids: [upstreamIds.followers], enabled: false })).ok,
    ).toBe(true);
    reseller.clock.advance(30_000);
    expect(await twoWorkers()).toBe(1);
    expect(await service(local.followers)).toMatchObject({
      rate: 135_000n,
      provider_rate: 100_000n,
      enabled: 1n,
    });
    expect((await findCatalogSyncSchedule(reseller.db, providerId))!.lastResult).toMatchObject({
      changed: [],
      notices: { prices: [], removed: [{ service: local.followers }] },
    });
    expect((await setServicesEnabled(upstream.ctx, { ids: [upstreamIds.followers], enabled: true })).ok).toBe(
      true,
    );
    reseller.clock.advance(30_000);
    expect(await twoWorkers()).toBe(1);
    expect(await service(local.followers)).toMatchObject({ rate: 135_000n, provider_rate: 100_000n });
    expect((await findCatalogSyncSchedule(reseller.db, providerId))!.lastResult).toMatchObject({
      notices: {
        prices: [
          {
            service: local.followers,
            oldProviderRate: '1.00',
            newProviderRate: '1.20',
            rate: '1.35',
            withMarkup: '1.60',
          },
        ],
        removed: [],
      },
    });
  });

  it('off: no sync runs', async () => {
    expect((await scheduleCatalogSync(reseller.ctx, providerId, { everyMs: null })).ok).toBe(true);
    reseller.clock.advance(24 * 60 * 60_000);
    expect(await twoWorkers()).toBe(0);
  });
});
