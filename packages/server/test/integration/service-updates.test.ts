import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repriceServices } from '../../src/app/catalog/reprice-services.js';
import { setServicesEnabled } from '../../src/app/catalog/set-services-enabled.js';
import { updateService } from '../../src/app/catalog/update-service.js';
import { syncProviderServices } from '../../src/app/providers/sync-provider-services.js';
import { runScheduledCatalogSyncs } from '../../src/app/providers/run-scheduled-catalog-syncs.js';
import { scheduleCatalogSync } from '../../src/app/providers/schedule-catalog-sync.js';
import { sql } from '../../src/store/database.js';
import { TestPanel } from '../support/test-panel.js';
import { importFromUpstream } from '../support/upstream-provider.js';
import { type WebClient, webUser } from '../support/web-client.js';

const selectUpdates = sql(
  'SELECT service_id, kind, old_value, new_value, source FROM service_updates WHERE id > ? ORDER BY id',
);
const selectLastId = sql('SELECT COALESCE(MAX(id), 0) AS id FROM service_updates');

/** A reader of the service updates `panel()` recorded since its previous call, oldest first. */
function updatesRecorder(panel: () => TestPanel) {
  let mark = 0n;
  return async () => {
    const rows = await panel().db.all<{
      service_id: bigint;
      kind: string;
      old_value: bigint | null;
      new_value: bigint | null;
      source: string;
    }>(selectUpdates, [mark]);
    mark = (await panel().db.get<{ id: bigint }>(selectLastId))!.id;
    return rows.map((row) => ({
      service: Number(row.service_id),
      kind: row.kind,
      old: row.old_value,
      new: row.new_value,
      source: row.source,
    }));
  };
}

/**
 * Issue 14 item 2: every catalogue change a customer would care about is recorded, whichever path
 * made it, and customers read them newest first at GET /web-api/service-updates.
 */
describe('service updates', () => {
  let panel: TestPanel;
  let customer: WebClient;
  const recorded = updatesRecorder(() => panel);

  beforeAll(async () => {
    panel = await TestPanel.start();
    customer = (await webUser(panel, 'customer')).web;
  });
  afterAll(async () => {
    await panel.close();
  });

  it('records what an admin changes: new, price up and down, min/max, disabled, re-enabled', async () => {
    const id = await panel.createService({ name: 'Likes', rate: '1.00', min: 10, max: 1000 });
    expect(await recorded()).toEqual([
      { service: id, kind: 'new', old: null, new: 100_000n, source: 'admin' },
    ]);

    expect((await updateService(panel.ctx, id, { rate: '1.20' })).ok).toBe(true);
    expect((await updateService(panel.ctx, id, { rate: '0.80', min: 50, max: 5000 })).ok).toBe(true);
    // Name and description are not terms a customer's order depends on: nothing recorded.
    expect((await updateService(panel.ctx, id, { name: 'Likes HQ', description: 'fast' })).ok).toBe(true);
    expect(await recorded()).toEqual([
      { service: id, kind: 'price_up', old: 100_000n, new: 120_000n, source: 'admin' },
      { service: id, kind: 'price_down', old: 120_000n, new: 80_000n, source: 'admin' },
      { service: id, kind: 'min_changed', old: 10n, new: 50n, source: 'admin' },
      { service: id, kind: 'max_changed', old: 1000n, new: 5000n, source: 'admin' },
    ]);

    expect((await setServicesEnabled(panel.ctx, { ids: [id], enabled: false })).ok).toBe(true);
    // Already disabled: no change, no update.
    expect((await setServicesEnabled(panel.ctx, { ids: [id], enabled: false })).ok).toBe(true);
    expect((await updateService(panel.ctx, id, { rate: '0.70' })).ok).toBe(true);
    expect((await updateService(panel.ctx, id, { enabled: true })).ok).toBe(true);
    expect(await recorded()).toEqual([
      { service: id, kind: 'disabled', old: null, new: null, source: 'admin' },
      // The price moved while nobody could order it: the return says the price it comes back at.
      { service: id, kind: 'enabled', old: null, new: 70_000n, source: 'admin' },
    ]);

    // A service created off sale is announced when it goes on sale, not before.
    const hidden = await panel.createService({ name: 'Secret', enabled: false });
    expect(await recorded()).toEqual([]);
    expect((await setServicesEnabled(panel.ctx, { ids: [hidden], enabled: true })).ok).toBe(true);
    expect(await recorded()).toEqual([
      { service: hidden, kind: 'enabled', old: null, new: 90_000n, source: 'admin' },
    ]);
  });

  it('an admin edit refused as a whole records nothing', async () => {
    const id = await panel.createService({ name: 'Views', rate: '0.10', min: 100, max: 1000 });
    await recorded();
    const refused = await updateService(panel.ctx, id, { rate: '0.20', min: 5000 });
    expect(refused.ok).toBe(false);
    expect(await recorded()).toEqual([]);
  });

  it('is read by customers newest first, 50 a page, in the web API formats', async () => {
    const id = await panel.createService({ name: 'Page <b>test</b>', rate: '0.50', min: 10, max: 100 });
    for (let step = 1; step <= 60; step++) {
      expect((await updateService(panel.ctx, id, { max: 100 + step })).ok).toBe(true);
    }
    expect((await updateService(panel.ctx, id, { rate: '0.505' })).ok).toBe(true);

    const first = await customer.get('/service-updates');
    expect(first.status).toBe(200);
    expect(first.json).toMatchObject({ page: 1, pageSize: 50 });
    expect(first.json.total).toBeGreaterThan(60);
    expect(first.json.updates).toHaveLength(50);
    expect(first.json.updates[0]).toEqual({
      id: expect.any(Number),
      serviceId: id,
      serviceName: 'Page <b>test</b>',
      kind: 'price_up',
      old: '0.50',
      new: '0.505',
      createdAt: new Date(panel.clock.now()).toISOString(),
    });
    expect(first.json.updates[1]).toMatchObject({ kind: 'max_changed', old: '159', new: '160' });
    const ids: number[] = first.json.updates.map((update: { id: number }) => update.id);
    expect([...ids].sort((a, b) => b - a)).toEqual(ids);

    const second = await customer.get('/service-updates?page=2');
    expect(second.status).toBe(200);
    expect(second.json.updates[0].id).toBeLessThan(ids.at(-1)!);
    expect(second.json.updates[0]).toMatchObject({ kind: 'max_changed', old: '110', new: '111' });

    expect((await customer.get('/service-updates?page=0')).status).toBe(400);
    expect((await customer.get('/service-updates?page=x')).status).toBe(400);
    const visitor = await fetch(`${panel.baseUrl}/web-api/service-updates`);
    expect(visitor.status).toBe(401);
  });

  it('import and reprice by markup record their changes', async () => {
    await recorded();
    const upstream = await TestPanel.start();
    try {
      const remote = await upstream.createService({ name: 'Remote', rate: '2.00' });
      const imported = await importFromUpstream(panel, upstream, {
        name: 'reprice-upstream',
        markup: { percentHundredths: 0n, fixed: 0n },
        providerServiceIds: [String(remote)],
      });
      const local = imported.report.created[0]!.service;
      expect(await recorded()).toEqual([
        { service: local, kind: 'new', old: null, new: 200_000n, source: 'import' },
      ]);
      const repriced = await repriceServices(panel.ctx, {
        ids: [local],
        markup: { percentHundredths: 5000n, fixed: 0n },
      });
      expect(repriced.ok).toBe(true);
      expect(await recorded()).toEqual([
        { service: local, kind: 'price_up', old: 200_000n, new: 300_000n, source: 'admin' },
      ]);
    } finally {
      await upstream.close();
    }
  });
});

describe('service updates from provider sync, scheduled and by hand', () => {
  let upstream: TestPanel;
  let reseller: TestPanel;
  let providerId = 0;
  const remote = { followers: 0, likes: 0, views: 0 };
  const local = { followers: 0, likes: 0, views: 0, later: 0 };
  const recorded = updatesRecorder(() => reseller);
  /** The scheduled sync as the worker runs it, one interval on. */
  const scheduledSync = async () => {
    reseller.clock.advance(60_000);
    const run = await runScheduledCatalogSyncs(reseller.ctx);
    expect(run).toEqual({ synced: 1, failed: 0 });
  };

  beforeAll(async () => {
    [upstream, reseller] = await Promise.all([TestPanel.start(), TestPanel.start()]);
    remote.followers = await upstream.createService({ name: 'Followers', rate: '1.00', min: 10, max: 1000 });
    remote.likes = await upstream.createService({ name: 'Likes', rate: '0.50', min: 10, max: 1000 });
    remote.views = await upstream.createService({ name: 'Views', rate: '0.10', min: 100, max: 10000 });
    const imported = await importFromUpstream(reseller, upstream, {
      name: 'upstream',
      markup: { percentHundredths: 2000n, fixed: 0n },
    });
    providerId = imported.providerId;
    for (const created of imported.report.created) {
      if (created.name === 'Followers') local.followers = created.service;
      if (created.name === 'Likes') local.likes = created.service;
      if (created.name === 'Views') local.views = created.service;
    }
    expect((await scheduleCatalogSync(reseller.ctx, providerId, { everyMs: 30_000 })).ok).toBe(true);
  });
  let upstreamClosed = false;
  afterAll(async () => {
    await reseller.close();
    if (!upstreamClosed) await upstream.close();
  });

  it('an import records each new service', async () => {
    expect(await recorded()).toEqual([
      { service: local.followers, kind: 'new', old: null, new: 120_000n, source: 'import' },
      { service: local.likes, kind: 'new', old: null, new: 60_000n, source: 'import' },
      { service: local.views, kind: 'new', old: null, new: 12_000n, source: 'import' },
    ]);
  });

  it('a scheduled sync records price up, price down and min/max changes', async () => {
    expect((await updateService(upstream.ctx, remote.followers, { rate: '1.50' })).ok).toBe(true);
    expect((await updateService(upstream.ctx, remote.likes, { rate: '0.40' })).ok).toBe(true);
    expect((await updateService(upstream.ctx, remote.views, { min: 200, max: 5000 })).ok).toBe(true);
    await scheduledSync();
    expect(await recorded()).toEqual([
      { service: local.followers, kind: 'price_up', old: 120_000n, new: 180_000n, source: 'sync' },
      { service: local.likes, kind: 'price_down', old: 60_000n, new: 48_000n, source: 'sync' },
      { service: local.views, kind: 'min_changed', old: 100n, new: 200n, source: 'sync' },
      { service: local.views, kind: 'max_changed', old: 10000n, new: 5000n, source: 'sync' },
    ]);
    // Nothing moved: nothing recorded.
    await scheduledSync();
    expect(await recorded()).toEqual([]);
  });

  it('removed at the provider: disabled; offered again: re-enabled, with its new price', async () => {
    expect((await setServicesEnabled(upstream.ctx, { ids: [remote.likes], enabled: false })).ok).toBe(true);
    await scheduledSync();
    expect(await recorded()).toEqual([
      { service: local.likes, kind: 'disabled', old: null, new: null, source: 'sync' },
    ]);
    expect((await setServicesEnabled(upstream.ctx, { ids: [remote.likes], enabled: true })).ok).toBe(true);
    expect((await updateService(upstream.ctx, remote.likes, { rate: '0.45' })).ok).toBe(true);
    // `provider sync` by hand takes the same path.
    const synced = await syncProviderServices(reseller.ctx, providerId);
    expect(synced.ok && synced.value.enabled).toEqual([
      { service: local.likes, providerService: String(remote.likes) },
    ]);
    expect(await recorded()).toEqual([
      { service: local.likes, kind: 'enabled', old: null, new: 54_000n, source: 'sync' },
      { service: local.likes, kind: 'price_up', old: 48_000n, new: 54_000n, source: 'sync' },
    ]);
  });

  it('a service the admin disabled stays off when its provider still offers it', async () => {
    expect((await setServicesEnabled(reseller.ctx, { ids: [local.views], enabled: false })).ok).toBe(true);
    expect(await recorded()).toEqual([
      { service: local.views, kind: 'disabled', old: null, new: null, source: 'admin' },
    ]);
    await scheduledSync();
    expect(await recorded()).toEqual([]);
    const synced = await syncProviderServices(reseller.ctx, providerId);
    expect(synced.ok && synced.value.enabled).toBeUndefined();
  });

  it('the dashboard shows the last scheduled sync: when, counts, and what notify held back', async () => {
    const owner = await webUser(reseller, 'admin');
    expect(
      (
        await scheduleCatalogSync(reseller.ctx, providerId, {
          followPrices: 'notify',
          onRemoved: 'notify',
        })
      ).ok,
    ).toBe(true);
    expect((await updateService(upstream.ctx, remote.followers, { rate: '2.00', max: 2000 })).ok).toBe(true);
    expect((await setServicesEnabled(upstream.ctx, { ids: [remote.likes], enabled: false })).ok).toBe(true);
    await scheduledSync();
    // The max follows; the price is held back and listed.
    expect(await recorded()).toEqual([
      { service: local.followers, kind: 'max_changed', old: 1000n, new: 2000n, source: 'sync' },
    ]);
    const dashboard = await owner.web.get('/admin/dashboard');
    expect(dashboard.status).toBe(200);
    expect(dashboard.json.catalogSyncs).toEqual([
      {
        providerId,
        providerName: 'upstream',
        at: new Date(reseller.clock.now()).toISOString(),
        error: null,
        changed: 1,
        disabled: 0,
        enabled: 0,
        skipped: 0,
        notImported: 0,
        priceNotices: [
          {
            service: local.followers,
            providerService: String(remote.followers),
            oldProviderRate: '1.50',
            newProviderRate: '2.00',
            rate: '1.80',
            withMarkup: '2.40',
          },
        ],
        removedNotices: [{ service: local.likes, providerService: String(remote.likes) }],
      },
    ]);

    await upstream.close();
    upstreamClosed = true;
    reseller.clock.advance(60_000);
    expect(await runScheduledCatalogSyncs(reseller.ctx)).toEqual({ synced: 0, failed: 1 });
    const failed = await owner.web.get('/admin/dashboard');
    expect(failed.json.catalogSyncs[0]).toMatchObject({
      providerId,
      error: expect.any(String),
      changed: 0,
      priceNotices: [],
    });
    expect(failed.json.catalogSyncs[0].error).not.toBe('');
  });
});
