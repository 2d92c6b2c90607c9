import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createService } from '../../src/app/catalog/create-service.js';
import { updateService } from '../../src/app/catalog/update-service.js';
import { DEFAULT_PROVIDER_POLICY, addProvider } from '../../src/app/providers/add-provider.js';
import { importProviderServices } from '../../src/app/providers/import-provider-services.js';
import { listProviders } from '../../src/app/providers/list-providers.js';
import { providerBalance } from '../../src/app/providers/provider-balance.js';
import { syncProviderServices } from '../../src/app/providers/sync-provider-services.js';
import { bumpCatalogVersion, catalogVersion } from '../../src/store/catalog-version.js';
import { sql } from '../../src/store/database.js';
import { insertProvider } from '../../src/store/providers.js';
import { findProvider } from '../support/account-rows.js';
import { runCli } from '../support/run-cli.js';
import { TestPanel, type TestUser } from '../support/test-panel.js';

interface LocalService {
  id: bigint;
  name: string;
  category: string;
  type: string;
  rate: bigint;
  min_quantity: bigint;
  max_quantity: bigint;
  refill: bigint;
  cancel: bigint;
  dripfeed: bigint;
  enabled: bigint;
  mode: string;
  provider_id: bigint | null;
  provider_service_id: string | null;
  provider_rate: bigint | null;
}

const selectLocal = sql(
  `SELECT s.id, s.name, c.name AS category, s.type, s.rate, s.min_quantity, s.max_quantity, s.refill,
     s.cancel, s.dripfeed, s.enabled, s.mode, s.provider_id, s.provider_service_id, s.provider_rate
   FROM services s JOIN categories c ON c.id = s.category_id WHERE s.id = ?`,
);
const countServices = sql('SELECT COUNT(*) AS count FROM services');
const countAudit = sql('SELECT COUNT(*) AS count FROM audit_log WHERE action = ?');
const setType = sql('UPDATE services SET type = ? WHERE id = ?');

describe('providers: registry, import and catalogue sync against a real upstream smmkit', () => {
  let upstream: TestPanel;
  let reseller: TestPanel;
  let resellerOnUpstream: TestUser;
  let providerId: number;
  /** Upstream service ids. */
  let followers: number;
  let likePack: number;
  let comments: number;
  let views: number;
  let storyViews: number;
  let later: number;

  const cli = (...args: string[]) => runCli(args, reseller.database.url);
  const local = async (id: number) => (await reseller.db.get<LocalService>(selectLocal, [id]))!;
  const serviceCount = async () => (await reseller.db.get<{ count: bigint }>(countServices))!.count;
  const auditCount = async (action: string) =>
    (await reseller.db.get<{ count: bigint }>(countAudit, [action]))!.count;

  beforeAll(async () => {
    upstream = await TestPanel.start();
    reseller = await TestPanel.start();
    followers = await upstream.createService({
      name: 'IG Followers',
      category: 'Instagram',
      rate: '0.90',
      min: 10,
      max: 10000,
      refill: true,
      cancel: true,
      dripfeed: true,
    });
    likePack = await upstream.createService({
      name: 'Like pack',
      type: 'Package',
      category: 'Instagram',
      rate: '0.33333',
      min: 1,
      max: 1,
    });
    comments = await upstream.createService({
      name: 'Comments',
      type: 'Custom Comments',
      category: 'TikTok',
      rate: '0.00123',
      min: 5,
      max: 500,
      refill: true,
    });
    views = await upstream.createService({ name: 'Views', category: 'Instagram', rate: '0.01', min: 100 });
    storyViews = await upstream.createService({ name: 'Story views', category: 'Instagram' });
    // A type smmkit does not know, as another panel might serve it.
    await upstream.db.transaction(async (tx) => {
      await tx.run(setType, ['Story Views', storyViews]);
      await bumpCatalogVersion(tx);
    });
    resellerOnUpstream = await upstream.customer('50');
  });
  afterAll(async () => {
    await reseller.close();
    await upstream.close();
  });

  it('provider add checks the key, provider list masks it, provider balance is the exact upstream balance', async () => {
    const added = await addProvider(reseller.ctx, {
      name: 'upstream',
      url: upstream.apiUrl,
      apiKey: resellerOnUpstream.apiKey,
    });
    expect(added).toEqual({ ok: true, value: { id: 1 } });
    providerId = 1;

    const second = await cli(
      'provider',
      'add',
      '--name',
      'upstream-mirror',
      '--url',
      upstream.apiUrl,
      '--key',
      resellerOnUpstream.apiKey,
    );
    expect(second.code, second.stderr).toBe(0);
    expect(second.stdout).toBe('{"id":2}\n');

    const taken = await cli('provider', 'add', '--name', 'upstream', '--url', upstream.apiUrl, '--key', 'x');
    expect(taken.code).toBe(1);
    expect(taken.stderr).toContain('A provider named upstream exists already');

    const list = await cli('provider', 'list');
    expect(list.code).toBe(0);
    expect(list.stdout).not.toContain(resellerOnUpstream.apiKey);
    const rows = list.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(rows).toEqual([
      {
        id: 1,
        name: 'upstream',
        url: upstream.apiUrl,
        key: `${resellerOnUpstream.apiKey.slice(0, 4)}…`,
        currency: 'USD',
        balance: '50.00000',
        balanceAt: expect.any(String),
        markup: '0%',
        fixedMarkup: '0.00000',
        honoursRequestId: false,
        onRefusal: 'cancel',
        pausedUntil: null,
        lastError: null,
        lastErrorAt: null,
      },
      expect.objectContaining({
        id: 2,
        name: 'upstream-mirror',
        key: `${resellerOnUpstream.apiKey.slice(0, 4)}…`,
      }),
    ]);

    await upstream.fund(resellerOnUpstream, '25.12345');
    expect(await providerBalance(reseller.ctx, providerId)).toEqual({
      ok: true,
      value: { id: 1, name: 'upstream', balance: '75.12345', currency: 'USD' },
    });
    await upstream.fund(resellerOnUpstream, '-0.12345');
    const balance = await cli('provider', 'balance', '1');
    expect(balance.code).toBe(0);
    expect(balance.stdout).toBe('{"id":1,"name":"upstream","balance":"75.00000","currency":"USD"}\n');
    expect((await findProvider(reseller.db, 1))?.last_balance).toBe(7_500_000n);
    expect((await listProviders(reseller.ctx))[0]?.balance).toBe('75.00000');

    const unknown = await cli('provider', 'balance', '99');
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('No provider with id 99');
  });

  it('provider import creates exactly priced services, copies terms, and never imports twice', async () => {
    const versionBefore = await catalogVersion(reseller.db);
    const first = await importProviderServices(reseller.ctx, {
      providerId,
      markup: { percentHundredths: 2500n, fixed: 10_000n },
      categoryPrefix: 'Up · ',
      providerServiceIds: [String(followers), String(comments), '999'],
    });
    expect(first).toEqual({
      ok: true,
      value: {
        provider: 1,
        markup: '25% + 0.10000',
        created: [
          // 0.90 × 1.25 + 0.10
          { service: 1, providerService: String(followers), name: 'IG Followers', rate: '1.225' },
          // 0.00123 × 1.25 = 0.0015375, rounded up to 0.00154, + 0.10
          { service: 2, providerService: String(comments), name: 'Comments', rate: '0.10154' },
        ],
        alreadyImported: [],
        skipped: [{ providerService: '999', reason: 'not offered by the provider' }],
      },
    });
    expect(await catalogVersion(reseller.db)).toBe(versionBefore + 1n);
    expect(await local(1)).toEqual({
      id: 1n,
      name: 'IG Followers',
      category: 'Up · Instagram',
      type: 'Default',
      rate: 122_500n,
      min_quantity: 10n,
      max_quantity: 10_000n,
      refill: 1n,
      cancel: 1n,
      dripfeed: 1n,
      enabled: 1n,
      mode: 'provider',
      provider_id: 1n,
      provider_service_id: String(followers),
      provider_rate: 90_000n,
    });
    expect(await local(2)).toMatchObject({
      category: 'Up · TikTok',
      type: 'Custom Comments',
      rate: 10_154n,
      min_quantity: 5n,
      max_quantity: 500n,
      refill: 1n,
      cancel: 0n,
      dripfeed: 0n,
      provider_rate: 123n,
    });

    const run = await cli(
      'provider',
      'import',
      '1',
      '--markup',
      '25%',
      '--fixed',
      '0.10',
      '--category-prefix',
      'Up · ',
    );
    expect(run.code, run.stderr).toBe(0);
    expect(run.json()).toEqual({
      provider: 1,
      markup: '25% + 0.10000',
      created: [
        // 0.33333 × 1.25 = 0.4166625, rounded up to 0.41667, + 0.10
        { service: 3, providerService: String(likePack), name: 'Like pack', rate: '0.51667' },
        // 0.01 × 1.25 + 0.10
        { service: 4, providerService: String(views), name: 'Views', rate: '0.1125' },
      ],
      alreadyImported: [
        { service: 1, providerService: String(followers) },
        { service: 2, providerService: String(comments) },
      ],
      skipped: [
        { providerService: String(storyViews), reason: 'type "Story Views" is not one smmkit knows' },
      ],
    });
    expect(await local(3)).toMatchObject({
      type: 'Package',
      rate: 51_667n,
      min_quantity: 1n,
      max_quantity: 1n,
    });

    // Again, without flags: the remembered markup, nothing new.
    const again = await cli('provider', 'import', '1');
    expect(again.code).toBe(0);
    expect(again.json()).toMatchObject({ markup: '25% + 0.10000', created: [] });
    expect(again.json().alreadyImported).toHaveLength(4);
    expect(await serviceCount()).toBe(4n);

    const badMarkup = await cli('provider', 'import', '1', '--markup', '12.345%');
    expect(badMarkup.code).toBe(2);

    // What the reseller's own customers now see.
    const customer = await reseller.customer('0');
    const services = await reseller.api({ key: customer.apiKey, action: 'services' });
    expect(services.json.map((s: { rate: string }) => s.rate)).toEqual([
      '1.225',
      '0.51667',
      '0.1125',
      '0.10154',
    ]);
  });

  it('provider sync reports exactly what changed upstream and applies it', async () => {
    await updateService(upstream.ctx, followers, { rate: '1.00' });
    await updateService(upstream.ctx, comments, { max: 800 });
    await updateService(upstream.ctx, likePack, { cancel: true });
    await updateService(upstream.ctx, views, { enabled: false });
    later = await upstream.createService({ name: 'Reels views', category: 'Instagram', min: 20, max: 5000 });
    const versionBefore = await catalogVersion(reseller.db);

    const run = await cli('provider', 'sync', '1');
    expect(run.code, run.stderr).toBe(0);
    expect(run.json()).toEqual({
      provider: 1,
      changed: [
        { service: 1, providerService: String(followers), field: 'providerRate', old: '0.90', new: '1.00' },
        // 1.00 × 1.25 + 0.10, with the markup remembered from the import
        { service: 1, providerService: String(followers), field: 'rate', old: '1.225', new: '1.35' },
        { service: 2, providerService: String(comments), field: 'max', old: 500, new: 800 },
        { service: 3, providerService: String(likePack), field: 'cancel', old: false, new: true },
      ],
      disabled: [{ service: 4, providerService: String(views) }],
      skipped: [],
      added: 0,
      notImported: [String(storyViews), String(later)],
    });
    expect(await catalogVersion(reseller.db)).toBe(versionBefore + 1n);
    expect(await auditCount('service.sync')).toBe(4n);
    expect(await local(1)).toMatchObject({ rate: 135_000n, provider_rate: 100_000n });
    expect(await local(2)).toMatchObject({ max_quantity: 800n });
    expect(await local(3)).toMatchObject({ cancel: 1n });
    expect(await local(4)).toMatchObject({ enabled: 0n });

    const quiet = await syncProviderServices(reseller.ctx, providerId);
    expect(quiet).toEqual({
      ok: true,
      value: {
        provider: 1,
        changed: [],
        disabled: [],
        skipped: [],
        added: 0,
        notImported: [String(storyViews), String(later)],
      },
    });
    expect(await catalogVersion(reseller.db)).toBe(versionBefore + 1n);
  });

  it('service create --provider makes a provider-backed service that sync keeps up to date', async () => {
    const run = await cli(
      'service',
      'create',
      '--name',
      'Reels',
      '--type',
      'Default',
      '--category',
      'Reels',
      '--rate',
      '2',
      '--min',
      '10',
      '--max',
      '100',
      '--provider',
      '1',
      '--provider-service',
      String(later),
    );
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toBe('{"id":5}\n');
    expect(await local(5)).toMatchObject({
      mode: 'provider',
      provider_id: 1n,
      provider_service_id: String(later),
      provider_rate: null,
      rate: 200_000n,
    });

    const draft = {
      name: 'Reels again',
      type: 'Default',
      category: 'Reels',
      rate: '2',
      min: 10,
      max: 100,
      refill: false,
      refillDays: 30,
      cancel: false,
      dripfeed: false,
      allowDuplicateLinks: true,
      description: '',
      enabled: true,
    };
    expect(
      await createService(reseller.ctx, draft, { providerId: 1, providerServiceId: String(later) }),
    ).toEqual({
      ok: false,
      failure: {
        code: 'INVALID_INPUT',
        field: 'provider-service',
        reason: `provider service ${later} already backs service 5`,
      },
    });
    expect(await createService(reseller.ctx, draft, { providerId: 99, providerServiceId: '1' })).toEqual({
      ok: false,
      failure: { code: 'PROVIDER_NOT_FOUND', id: 99 },
    });
    const alone = await cli(
      'service',
      'create',
      '--name',
      'X',
      '--type',
      'Default',
      '--category',
      'C',
      '--rate',
      '1',
      '--min',
      '1',
      '--max',
      '2',
      '--provider',
      '1',
    );
    expect(alone.code).toBe(2);
    expect(await serviceCount()).toBe(5n);

    // The owner's rate stays (no provider rate was known); min and max follow the provider.
    const synced = await syncProviderServices(reseller.ctx, providerId);
    expect(synced.ok && synced.value.changed).toEqual([
      { service: 5, providerService: String(later), field: 'providerRate', old: null, new: '0.90' },
      { service: 5, providerService: String(later), field: 'min', old: 10, new: 20 },
      { service: 5, providerService: String(later), field: 'max', old: 100, new: 5000 },
    ]);
    expect(synced.ok && synced.value.notImported).toEqual([String(storyViews)]);
    expect(await local(5)).toMatchObject({ rate: 200_000n, provider_rate: 90_000n });
  });

  it('a wrong key or an unreachable provider is a clear error and changes nothing', async () => {
    const wrongKey = await cli(
      'provider',
      'add',
      '--name',
      'typo',
      '--url',
      upstream.apiUrl,
      '--key',
      'not-a-key',
    );
    expect(wrongKey.code).toBe(1);
    expect(wrongKey.stdout).toBe('');
    expect(wrongKey.stderr).toContain('Provider typo failed, nothing was changed: Invalid API key');
    const unreachable = await addProvider(reseller.ctx, {
      name: 'gone',
      url: 'http://127.0.0.1:1/api/v2',
      apiKey: 'k',
    });
    expect(unreachable.ok || unreachable.failure.code).toBe('PROVIDER_FAILED');
    expect(await listProviders(reseller.ctx)).toHaveLength(2);

    // A provider whose key was revoked upstream after it was added.
    const broken = await reseller.db.transaction((tx) =>
      insertProvider(tx, {
        name: 'revoked',
        url: upstream.apiUrl,
        apiKey: 'revoked-key',
        currency: 'USD',
        balance: null,
        policy: DEFAULT_PROVIDER_POLICY,
        now: reseller.clock.now(),
      }),
    );
    expect(broken).toBe(3);
    const version = await catalogVersion(reseller.db);
    const invalid = { code: 'PROVIDER_FAILED', provider: 'revoked', reason: 'Invalid API key' };
    expect(await importProviderServices(reseller.ctx, { providerId: 3 })).toEqual({
      ok: false,
      failure: invalid,
    });
    expect(await syncProviderServices(reseller.ctx, 3)).toEqual({ ok: false, failure: invalid });
    expect(await providerBalance(reseller.ctx, 3)).toEqual({ ok: false, failure: invalid });
    const run = await cli('provider', 'import', '3', '--markup', '50');
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('Invalid API key');
    expect(run.stderr).not.toContain('revoked-key');
    const sync = await cli('provider', 'sync', '3');
    expect(sync.code).toBe(1);
    expect(await serviceCount()).toBe(5n);
    expect(await catalogVersion(reseller.db)).toBe(version);
    expect(await findProvider(reseller.db, 3)).toMatchObject({ last_balance: null, markup_percent: 0n });
  });

  it('provider add and provider set record the dispatch policy; bad values change nothing', async () => {
    const added = await cli(
      'provider',
      'add',
      '--name',
      'replaying',
      '--url',
      upstream.apiUrl,
      '--key',
      resellerOnUpstream.apiKey,
      '--honours-request-id',
      'yes',
      '--on-refusal',
      'review',
    );
    expect(added.code, added.stderr).toBe(0);
    const id = Number((JSON.parse(added.stdout) as { id: number }).id);
    expect(await findProvider(reseller.db, id)).toMatchObject({
      honours_request_id: 1n,
      on_refusal: 'review',
    });

    const set = await cli(
      'provider',
      'set',
      String(id),
      '--honours-request-id',
      'no',
      '--on-refusal',
      'cancel',
    );
    expect(set.code, set.stderr).toBe(0);
    expect(JSON.parse(set.stdout)).toEqual({
      id,
      honoursRequestId: false,
      onRefusal: 'cancel',
      pausedUntil: null,
    });
    expect(await auditCount('provider.configure')).toBe(1n);

    for (const args of [['--on-refusal', 'maybe'], ['--honours-request-id', 'sure'], []]) {
      const refused = await cli('provider', 'set', String(id), ...args);
      expect(refused.code).toBe(2);
    }
    const unknown = await cli('provider', 'set', '99', '--resume');
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('No provider with id 99');
    expect(await findProvider(reseller.db, id)).toMatchObject({
      honours_request_id: 0n,
      on_refusal: 'cancel',
    });
  });
});
