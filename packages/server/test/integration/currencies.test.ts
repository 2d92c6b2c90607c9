import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readDashboard } from '../../src/app/admin/read-dashboard.js';
import { listCurrencies } from '../../src/app/currencies/list-currencies.js';
import { runRateFeed } from '../../src/app/currencies/read-rate-feed.js';
import { setExchangeRateByAdmin } from '../../src/app/currencies/set-exchange-rate.js';
import { dispatchOrders } from '../../src/app/dispatch/dispatch-orders.js';
import type { ProviderGateway } from '../../src/app/dispatch/provider-gateway.js';
import { syncOrders } from '../../src/app/dispatch/sync-orders.js';
import { updateOrderStatus } from '../../src/app/orders/update-order-status.js';
import { addProvider } from '../../src/app/providers/add-provider.js';
import { importProviderServices } from '../../src/app/providers/import-provider-services.js';
import { runScheduledCatalogSyncs } from '../../src/app/providers/run-scheduled-catalog-syncs.js';
import { scheduleCatalogSync } from '../../src/app/providers/schedule-catalog-sync.js';
import { syncProviderServices } from '../../src/app/providers/sync-provider-services.js';
import { updateService } from '../../src/app/catalog/update-service.js';
import { RATE_SCALE, parseExchangeRate } from '../../src/domain/currency.js';
import { failureMessage } from '../../src/domain/errors.js';
import { findCatalogSyncSchedule } from '../../src/store/catalog-sync-schedule.js';
import { sql } from '../../src/store/database.js';
import { startRateFeedServer } from '../support/rate-feed-server.js';
import { runCli } from '../support/run-cli.js';
import { TestPanel, type TestUser } from '../support/test-panel.js';

const selectService = sql('SELECT rate, provider_rate, enabled FROM services WHERE id = ?');
const countServices = sql('SELECT COUNT(*) AS count FROM services');
const selectOrderCost = sql(
  'SELECT charge, provider_order_id, provider_charge, provider_currency, provider_cost FROM orders WHERE id = ?',
);
/** Tests that run the real CLI (a process start each) on a machine shared with other suites. */
const CLI_TIMEOUT = 120_000;
const setProviderCurrency = sql('UPDATE providers SET currency = ? WHERE id = ?');

/**
 * A USD reseller following a real smmkit provider whose SMMKIT_CURRENCY is EUR: import, scheduled
 * sync and order costs convert through the exchange-rate table, set by the admin or read from a
 * feed over real HTTP; a currency without a rate changes nothing.
 */
describe('currencies: a USD reseller and a EUR provider', () => {
  let upstream: TestPanel;
  let reseller: TestPanel;
  let feed: Awaited<ReturnType<typeof startRateFeedServer>>;
  let account: TestUser;
  let providerId = 0;
  const upstreamIds = { followers: 0, comments: 0 };
  const local = { followers: 0, comments: 0 };
  const markup = { percentHundredths: 2500n, fixed: 10_000n };
  const gateway: ProviderGateway = {
    log: { warn: () => undefined, error: () => undefined },
    timeoutMs: 5_000,
    syncIntervalMs: 30_000,
  };
  const service = async (id: number) =>
    (await reseller.db.get<{ rate: bigint; provider_rate: bigint; enabled: bigint }>(selectService, [id]))!;
  const serviceCount = async () => (await reseller.db.get<{ count: bigint }>(countServices))!.count;
  const cli = (args: string[]) => runCli(args, reseller.database.url);
  /** Two workers at once; how many scheduled syncs ran in all. */
  const twoSyncWorkers = async () => {
    const runs = await Promise.all([
      runScheduledCatalogSyncs(reseller.ctx),
      runScheduledCatalogSyncs(reseller.ctx),
    ]);
    return runs.reduce((sum, run) => sum + run.synced + run.failed, 0);
  };
  /** The CLI works on the real clock: the panel's clock must not be behind it. */
  const catchUp = () => reseller.clock.set(Math.max(reseller.clock.now(), Date.now()));
  /** What a price is never below: the provider's rate times the exchange rate, exactly. */
  const exactCost = (providerRate: bigint, rate: string) => providerRate * parseExchangeRate(rate)!;

  beforeAll(async () => {
    [upstream, reseller, feed] = await Promise.all([
      TestPanel.start({ currency: 'EUR' }),
      TestPanel.start(),
      startRateFeedServer(),
    ]);
    reseller.clock.set(Date.now());
    upstreamIds.followers = await upstream.createService({
      name: 'Followers',
      rate: '0.90',
      min: 10,
      max: 10_000,
    });
    upstreamIds.comments = await upstream.createService({ name: 'Comments', rate: '2.00' });
    account = await upstream.customer('100');
    const added = await addProvider(reseller.ctx, {
      name: 'euro-upstream',
      url: upstream.apiUrl,
      apiKey: account.apiKey,
      policy: { honoursRequestId: true, onRefusal: 'cancel' },
    });
    if (!added.ok) throw new Error(JSON.stringify(added.failure));
    providerId = added.value.id;
  });
  afterAll(async () => {
    await reseller.close();
    await upstream.close();
    await feed.close();
  });

  it(
    'the provider bills in the currency its balance answer names, shown by provider list',
    async () => {
      const list = await cli(['provider', 'list']);
      expect(list.code, list.stderr).toBe(0);
      const providers = list.stdout
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line) as unknown);
      expect(providers).toEqual([expect.objectContaining({ id: providerId, currency: 'EUR' })]);
    },
    CLI_TIMEOUT,
  );

  it(
    'without a EUR rate, import and sync are refused with the reason and nothing changes',
    async () => {
      const before = await serviceCount();
      const imported = await importProviderServices(reseller.ctx, { providerId, markup });
      expect(imported).toEqual({
        ok: false,
        failure: {
          code: 'NO_EXCHANGE_RATE',
          provider: 'euro-upstream',
          currency: 'EUR',
          panelCurrency: 'USD',
        },
      });
      const run = await cli(['provider', 'import', String(providerId), '--markup', '25%']);
      expect(run.code).toBe(1);
      expect(run.stderr).toContain(
        'Provider euro-upstream bills in EUR and there is no EUR to USD exchange rate, nothing was changed',
      );
      expect(run.stderr).toContain('smmkit currency set EUR --rate');
      const synced = await syncProviderServices(reseller.ctx, providerId);
      expect(synced.ok).toBe(false);
      expect(await serviceCount()).toBe(before);
      expect((await listCurrencies(reseller.ctx)).providers).toEqual([
        { id: providerId, name: 'euro-upstream', currency: 'EUR', rate: null },
      ]);
    },
    CLI_TIMEOUT,
  );

  it(
    'currency set reads the rate strictly, records each change with its time; currency list shows them',
    async () => {
      const refused = await cli(['currency', 'set', 'EUR', '--rate', '1,0845']);
      expect(refused.code, refused.stdout).toBe(1);
      expect(refused.stderr).toContain('Invalid rate: a positive decimal');
      const refusals = [
        ['EUR', '-1', 'Invalid rate'],
        ['EUR', '1e2', 'Invalid rate'],
        ['EUR', '0', 'Invalid rate'],
        ['EURO', '1.08', 'Invalid currency'],
        ['USD', '1.1', "USD is the panel's own currency"],
      ] as const;
      for (const [currency, rate, message] of refusals) {
        const set = await setExchangeRateByAdmin(reseller.ctx, { currency, rate });
        expect(set.ok).toBe(false);
        if (!set.ok) expect(failureMessage(set.failure)).toContain(message);
      }
      expect((await listCurrencies(reseller.ctx)).rates).toEqual([]);
      expect((await listCurrencies(reseller.ctx)).history).toEqual([]);

      const set = await cli(['currency', 'set', 'eur', '--rate', '1.0845']);
      expect(set.code, set.stderr).toBe(0);
      expect(set.json()).toEqual({ currency: 'EUR', base: 'USD', rate: '1.0845', changed: true });
      const again = await cli(['currency', 'set', 'EUR', '--rate', '1.08450']);
      expect(again.json()).toMatchObject({ changed: false });
      const list = await cli(['currency', 'list']);
      expect(list.code, list.stderr).toBe(0);
      const overview = list.json();
      expect(overview).toMatchObject({
        currency: 'USD',
        rates: [{ currency: 'EUR', rate: '1.0845', source: 'admin' }],
        history: [{ currency: 'EUR', base: 'USD', rate: '1.0845', previousRate: null, source: 'admin' }],
        feed: null,
        providers: [{ id: providerId, currency: 'EUR', rate: '1.0845' }],
      });
      expect(Date.parse(overview.history[0].changedAt)).toBeGreaterThan(Date.now() - 60_000);
    },
    CLI_TIMEOUT,
  );

  it('imports at the provider rate converted (rounded up) with the markup on top', async () => {
    const report = await importProviderServices(reseller.ctx, { providerId, markup });
    if (!report.ok) throw new Error(failureMessage(report.failure));
    for (const created of report.value.created) {
      if (created.name === 'Followers') local.followers = created.service;
      if (created.name === 'Comments') local.comments = created.service;
    }
    // 0.90 EUR × 1.0845 = 0.97605 USD; × 1.25 = 1.2200625 → 1.22007 (up); + 0.10 = 1.32007.
    // 2.00 EUR × 1.0845 = 2.169 USD; × 1.25 + 0.10 = 2.81125.
    expect(report.value.created.map((c) => c.rate).sort()).toEqual(['1.32007', '2.81125']);
    expect(await service(local.followers)).toMatchObject({ rate: 132_007n, provider_rate: 97_605n });
    const customer = await reseller.customer('10');
    const services = (await reseller.api({ key: customer.apiKey, action: 'services' })).json as {
      name: string;
      rate: string;
    }[];
    expect(services.find((s) => s.name === 'Followers')?.rate).toBe('1.32007');
  });

  it(
    'a rate changed with the CLI: the next scheduled sync re-prices within one interval, markup kept, once',
    async () => {
      expect((await scheduleCatalogSync(reseller.ctx, providerId, { everyMs: 30_000 })).ok).toBe(true);
      expect(await twoSyncWorkers()).toBe(1); // the first sync, due at once: nothing moved
      expect(await service(local.followers)).toMatchObject({ rate: 132_007n });

      const set = await cli(['currency', 'set', 'EUR', '--rate', '1.2']);
      expect(set.code, set.stderr).toBe(0);
      // Not yet: the provider's next sync is one interval on.
      expect(await twoSyncWorkers()).toBe(0);
      reseller.clock.advance(30_000);
      expect(await twoSyncWorkers()).toBe(1);
      // 0.90 × 1.2 = 1.08 → × 1.25 + 0.10 = 1.45; 2.00 × 1.2 = 2.40 → 3.10.
      expect(await service(local.followers)).toMatchObject({ rate: 145_000n, provider_rate: 108_000n });
      expect(await service(local.comments)).toMatchObject({ rate: 310_000n, provider_rate: 240_000n });
      expect((await findCatalogSyncSchedule(reseller.db, providerId))!.lastResult).toMatchObject({
        changed: expect.arrayContaining([
          expect.objectContaining({
            service: local.followers,
            field: 'providerRate',
            old: '0.97605',
            new: '1.08',
          }),
          expect.objectContaining({ service: local.followers, field: 'rate', old: '1.32007', new: '1.45' }),
        ]),
      });
      expect((await listCurrencies(reseller.ctx)).history.slice(0, 2)).toMatchObject([
        { currency: 'EUR', rate: '1.2', previousRate: '1.0845', source: 'admin' },
        { currency: 'EUR', rate: '1.0845', previousRate: null },
      ]);
    },
    CLI_TIMEOUT,
  );

  it(
    'the feed: read by one of two workers at its interval; the next sync follows its rate, never below cost',
    async () => {
      // 1 USD = 0.8 EUR → 1 EUR = 1.25 USD; GBP listed too.
      feed.serve({ base: 'USD', rates: { EUR: 0.8, GBP: 0.75, USD: 1 } });
      const refused = await cli(['currency', 'feed', '--url', 'ftp://x', '--every', '1h']);
      expect(refused.code).toBe(1);
      expect(refused.stderr).toContain('Invalid url');
      const set = await cli(['currency', 'feed', '--url', feed.url, '--every', '1h']);
      expect(set.code, set.stderr).toBe(0);
      expect(set.json()).toEqual({ url: feed.url, every: '1h' });

      catchUp(); // the CLI set the feed due now on the real clock
      const runs = await Promise.all([runRateFeed(reseller.ctx), runRateFeed(reseller.ctx)]);
      expect(runs.filter((run) => run.read)).toHaveLength(1);
      expect(feed.requests).toBe(1);
      expect(runs.find((run) => run.read)).toMatchObject({ changed: 2, error: null });
      const overview = await listCurrencies(reseller.ctx);
      expect(overview.rates).toMatchObject([
        { currency: 'EUR', rate: '1.25', source: 'feed' },
        { currency: 'GBP', rate: '1.3333333334', source: 'feed' }, // 1 / 0.75, rounded up
      ]);
      expect(overview.feed).toMatchObject({ url: feed.url, every: '1h', lastError: null });
      expect(overview.feed!.lastOkAt).not.toBeNull();
      // Not read again before its interval, whatever the workers do.
      expect((await runRateFeed(reseller.ctx)).read).toBe(false);

      // The provider raises a price too: both moves are followed by the next sync.
      expect((await updateService(upstream.ctx, upstreamIds.comments, { rate: '2.10' })).ok).toBe(true);
      reseller.clock.advance(30_000);
      expect(await twoSyncWorkers()).toBe(1);
      // 0.90 × 1.25 = 1.125 → × 1.25 = 1.40625 + 0.10 = 1.50625; 2.10 × 1.25 = 2.625 → 3.38125.
      const followers = await service(local.followers);
      const comments = await service(local.comments);
      expect(followers).toMatchObject({ rate: 150_625n, provider_rate: 112_500n });
      expect(comments).toMatchObject({ rate: 338_125n, provider_rate: 262_500n });
      for (const [row, raw] of [
        [followers, 90_000n],
        [comments, 210_000n],
      ] as const) {
        expect(row.provider_rate * RATE_SCALE).toBeGreaterThanOrEqual(exactCost(raw, '1.25'));
        expect(row.rate).toBeGreaterThan(row.provider_rate);
      }
    },
    CLI_TIMEOUT,
  );

  it(
    'a failing feed is recorded and shown, and every rate stays as it was',
    async () => {
      reseller.clock.advance(60 * 60_000);
      feed.answerRaw(503, 'busy');
      expect(await runRateFeed(reseller.ctx)).toMatchObject({
        read: true,
        error: 'the feed answered HTTP 503',
      });
      reseller.clock.advance(60 * 60_000);
      feed.serve({ base: 'GBP', rates: { EUR: 1.1 } });
      const run = await runRateFeed(reseller.ctx);
      expect(run.error).toContain('lists no usable rate for USD');
      const overview = await listCurrencies(reseller.ctx);
      expect(overview.feed).toMatchObject({ lastError: run.error });
      expect(overview.rates.find((r) => r.currency === 'EUR')).toMatchObject({
        rate: '1.25',
        source: 'feed',
      });
      const list = await cli(['currency', 'list']);
      expect(list.json().feed.lastError).toContain('lists no usable rate for USD');
    },
    CLI_TIMEOUT,
  );

  it("a provider's currency without a rate: the scheduled sync re-prices nothing and says why", async () => {
    // As when the provider moves its billing to a currency the table lacks (its balance answer names it).
    await reseller.db.run(setProviderCurrency, ['INR', providerId]);
    expect((await updateService(upstream.ctx, upstreamIds.followers, { rate: '0.95' })).ok).toBe(true);
    const before = [await service(local.followers), await service(local.comments)];
    reseller.clock.advance(30_000);
    expect(await twoSyncWorkers()).toBe(1);
    expect([await service(local.followers), await service(local.comments)]).toEqual(before);
    expect((await findCatalogSyncSchedule(reseller.db, providerId))!.lastResult).toEqual({
      error:
        'Provider euro-upstream bills in INR and there is no INR to USD exchange rate, nothing was changed: set one with "smmkit currency set INR --rate …" or on the Currencies page',
    });
    await reseller.db.run(setProviderCurrency, ['EUR', providerId]);
    expect((await updateService(upstream.ctx, upstreamIds.followers, { rate: '0.90' })).ok).toBe(true);
    reseller.clock.advance(30_000);
    expect(await twoSyncWorkers()).toBe(1);
    expect(await service(local.followers)).toMatchObject({ rate: 150_625n });
  });

  it(
    "an order's cost is the provider's charge converted when recorded; the profit report uses it",
    async () => {
      const customer = await reseller.customer('10');
      const placed = await reseller.api({
        key: customer.apiKey,
        action: 'add',
        service: local.followers,
        link: 'https://ig.example/eur',
        quantity: 1000,
      });
      const orderId = (placed.json as { order: number }).order;
      expect(await dispatchOrders(reseller.ctx, gateway)).toMatchObject({ sent: 1 });
      const sent = (await reseller.db.get<{ provider_order_id: string }>(selectOrderCost, [orderId]))!;
      const upstreamOrder = Number(sent.provider_order_id);
      expect(
        (await updateOrderStatus(upstream.ctx, { orderId: upstreamOrder, status: 'Completed' })).ok,
      ).toBe(true);
      reseller.clock.advance(60_000);
      await syncOrders(reseller.ctx, gateway);
      const row = (await reseller.db.get<{
        charge: bigint;
        provider_charge: bigint;
        provider_currency: string;
        provider_cost: bigint;
      }>(selectOrderCost, [orderId]))!;
      // The provider charged 0.90 EUR; at 1.25 that is 1.125 USD; the customer paid 1.50625 USD.
      expect(row).toMatchObject({
        charge: 150_625n,
        provider_charge: 90_000n,
        provider_currency: 'EUR',
        provider_cost: 112_500n,
      });
      const show = await cli(['order', 'show', String(orderId)]);
      expect(show.json()).toMatchObject({
        providerCost: { amount: '0.90000', currency: 'EUR' },
        cost: '1.12500',
        profit: '0.38125',
      });
      const dashboard = await readDashboard(reseller.ctx);
      expect(dashboard.totals).toEqual({ revenue: '1.50625', profit: '0.38125' });
    },
    CLI_TIMEOUT,
  );
});
