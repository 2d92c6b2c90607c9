import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dispatchOrders } from '../../src/app/dispatch/dispatch-orders.js';
import type { ProviderGateway } from '../../src/app/dispatch/provider-gateway.js';
import { setServicesEnabled } from '../../src/app/catalog/set-services-enabled.js';
import { addProvider } from '../../src/app/providers/add-provider.js';
import { sql } from '../../src/store/database.js';
import { findProviderAttempts } from '../../src/store/provider-attempts.js';
import { findUserById } from '../../src/store/users.js';
import { findOrder } from '../support/order-rows.js';
import { runCli } from '../support/run-cli.js';
import { TestPanel, type TestUser } from '../support/test-panel.js';
import { webUser } from '../support/web-client.js';

const countOrdersOf = sql('SELECT COUNT(*) AS count FROM orders WHERE user_id = ?');
const selectAudit = sql("SELECT action, actor FROM audit_log WHERE target = ? AND action = 'order.failover'");

/**
 * In front of a real provider: passes every call through, but after the provider accepted an `add`
 * it never answers (the provider has the order; we cannot know).
 */
class HangAfterAdd {
  private readonly sockets = new Set<Socket>();
  private readonly server: Server;
  url = '';

  constructor(private readonly upstream: string) {
    this.server = createServer((request, response) => void this.pass(request, response));
    this.server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
  }

  async start(): Promise<void> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/api/v2`;
  }

  private async pass(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    const answer = await fetch(this.upstream, {
      method: 'POST',
      headers: { 'content-type': request.headers['content-type'] ?? 'application/x-www-form-urlencoded' },
      body,
    });
    const text = await answer.text();
    if (new URLSearchParams(body.toString()).get('action') === 'add') return; // accepted there; never answers
    response.writeHead(answer.status, { 'content-type': 'application/json' }).end(text);
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

/**
 * Three real smmkit instances, each with its own database and HTTP port: a reseller whose services
 * name a primary provider and a backup, and the two providers. An order moves to the backup only
 * when nothing can exist at the primary; its provider history and both ledgers stay exact.
 */
describe('failover across three smmkit instances', () => {
  let primary: TestPanel;
  let backup: TestPanel;
  let reseller: TestPanel;
  let atPrimary: TestUser;
  let poorAtPrimary: TestUser;
  let atBackup: TestUser;
  let customer: TestUser;
  let hang: HangAfterAdd;
  const ids = { primary: 0, poor: 0, hanging: 0, backup: 0 };
  /** Provider service ids. */
  const svc = { primaryFollowers: 0, primaryLikes: 0, backupFollowers: 0 };
  const warnings: string[] = [];
  const gateway = (timeoutMs = 5_000): ProviderGateway => ({
    log: { warn: (_d, m) => warnings.push(m), error: (_d, m) => warnings.push(m) },
    timeoutMs,
    syncIntervalMs: 30_000,
  });

  const balanceOf = async (panel: TestPanel, user: TestUser) =>
    (await findUserById(panel.db, user.id))!.balance;
  const ordersAt = async (panel: TestPanel, user: TestUser) =>
    Number((await panel.db.get<{ count: bigint }>(countOrdersOf, [user.id]))!.count);
  const add = async (service: number) => {
    const answer = await reseller.api({
      key: customer.apiKey,
      action: 'add',
      service,
      link: 'https://ig.example/x',
      quantity: 1000,
    });
    expect(answer.json, answer.text).toHaveProperty('order');
    return (answer.json as { order: number }).order;
  };
  const resellerService = async (args: string[]) => {
    const run = await runCli(
      [
        'service',
        'create',
        '--name',
        'Followers',
        '--type',
        'Default',
        '--category',
        'Instagram',
        '--rate',
        '1.50',
        '--min',
        '10',
        '--max',
        '10000',
        ...args,
      ],
      reseller.database.url,
    );
    expect(run.code, run.stderr).toBe(0);
    return (run.json() as { id: number }).id;
  };
  const provider = async (name: string, url: string, key: string, honoursRequestId: boolean) => {
    const added = await addProvider(reseller.ctx, {
      name,
      url,
      apiKey: key,
      policy: { honoursRequestId, onRefusal: 'cancel' },
    });
    if (!added.ok) throw new Error(JSON.stringify(added.failure));
    return added.value.id;
  };

  beforeAll(async () => {
    [primary, backup, reseller] = await Promise.all([
      TestPanel.start(),
      TestPanel.start(),
      TestPanel.start(),
    ]);
    svc.primaryFollowers = await primary.createService({ name: 'Followers', rate: '0.90' });
    svc.primaryLikes = await primary.createService({ name: 'Likes', rate: '0.80' });
    svc.backupFollowers = await backup.createService({ name: 'Followers', rate: '1.20' });
    atPrimary = await primary.customer('50');
    poorAtPrimary = await primary.customer('0');
    atBackup = await backup.customer('50');
    hang = new HangAfterAdd(primary.apiUrl);
    await hang.start();
    ids.primary = await provider('primary', primary.apiUrl, atPrimary.apiKey, true);
    ids.poor = await provider('primary-poor', primary.apiUrl, poorAtPrimary.apiKey, true);
    ids.hanging = await provider('primary-hanging', hang.url, atPrimary.apiKey, false);
    ids.backup = await provider('backup', backup.apiUrl, atBackup.apiKey, true);
    customer = await reseller.customer('100');
  });
  afterAll(async () => {
    await hang.close();
    await reseller.close();
    await backup.close();
    await primary.close();
  });

  let refusedOrder = 0;
  let refusedService = 0;

  it('the primary refuses (the service is disabled there): sent once, to the backup', async () => {
    const service = await resellerService([
      '--provider',
      String(ids.primary),
      '--provider-service',
      String(svc.primaryLikes),
      '--fallback',
      `${ids.backup}:${svc.backupFollowers}`,
    ]);
    const disabled = await setServicesEnabled(primary.ctx, { ids: [svc.primaryLikes], enabled: false });
    expect(disabled.ok).toBe(true);
    const before = { primary: await ordersAt(primary, atPrimary), backup: await ordersAt(backup, atBackup) };
    const id = await add(service);
    refusedOrder = id;
    refusedService = service;

    const first = await dispatchOrders(reseller.ctx, gateway());
    expect(first).toMatchObject({ requeued: 1, refused: 0 });
    // Moved to the backup, the order is due at once: another lane of the same run may claim and send
    // it there (when its claim comes after the move), else the next run does. Either way, once.
    if (first.sent === 0) {
      const moved = (await findOrder(reseller.db, id))!;
      expect(moved).toMatchObject({ dispatch_state: 'queued', provider_id: BigInt(ids.backup) });
      expect(await dispatchOrders(reseller.ctx, gateway())).toMatchObject({ sent: 1 });
    } else {
      expect(first.sent).toBe(1);
    }
    expect(await dispatchOrders(reseller.ctx, gateway())).toMatchObject({ sent: 0, requeued: 0 });

    expect(await ordersAt(primary, atPrimary)).toBe(before.primary);
    expect(await ordersAt(backup, atBackup)).toBe(before.backup + 1);
    const history = await findProviderAttempts(reseller.db, id);
    expect(history.map((a) => [a.providerId, a.outcome, a.movedTo?.providerId ?? null])).toEqual([
      [ids.primary, 'service-unavailable', ids.backup],
      [ids.backup, 'accepted', null],
    ]);
    expect(history[0]!.reason).toBe('Incorrect service ID');
    expect(history[1]!.providerOrderId).not.toBeNull();
    // The move is in the order's history (audit log), by the panel itself.
    expect(await reseller.db.all(selectAudit, [`order:${id}`])).toEqual([
      { action: 'order.failover', actor: 'system' },
    ]);
    // Customer charged 1.50 once; the backup charged the reseller 1.20 once.
    expect(await balanceOf(reseller, customer)).toBe(10_000_000n - 150_000n);
    expect(await balanceOf(backup, atBackup)).toBe(5_000_000n - 120_000n);
  });

  it('the primary is out of funds: the backup, and later orders skip the paused primary', async () => {
    const service = await resellerService([
      '--provider',
      String(ids.poor),
      '--provider-service',
      String(svc.primaryFollowers),
      '--fallback',
      `${ids.backup}:${svc.backupFollowers}`,
    ]);
    const customerBefore = await balanceOf(reseller, customer);
    const backupBefore = await balanceOf(backup, atBackup);
    const first = await add(service);
    const firstRun = await dispatchOrders(reseller.ctx, gateway());
    expect(firstRun).toMatchObject({ requeued: 1 });
    expect((await findOrder(reseller.db, first))!.provider_id).toBe(BigInt(ids.backup));
    // A second order while the primary is paused moves without a call there, and both are sent (the
    // first may already have been, by another lane of the run that moved it: it was due at once).
    const second = await add(service);
    const secondRun = await dispatchOrders(reseller.ctx, gateway());
    expect(firstRun.sent + secondRun.sent).toBe(2);

    expect(await ordersAt(primary, poorAtPrimary)).toBe(0);
    for (const id of [first, second]) expect((await findOrder(reseller.db, id))!.dispatch_state).toBe('sent');
    expect((await findProviderAttempts(reseller.db, first)).map((a) => [a.providerId, a.outcome])).toEqual([
      [ids.poor, 'out-of-funds'],
      [ids.backup, 'accepted'],
    ]);
    expect(
      (await findProviderAttempts(reseller.db, second)).map((a) => [
        a.providerId,
        a.outcome,
        a.movedTo?.providerId ?? null,
      ]),
    ).toEqual([
      [ids.poor, 'provider-paused', ids.backup],
      [ids.backup, 'accepted', null],
    ]);
    expect(await balanceOf(reseller, customer)).toBe(customerBefore - 2n * 150_000n);
    expect(await balanceOf(backup, atBackup)).toBe(backupBefore - 2n * 120_000n);
  });

  it('the primary hangs after accepting: not moved, and no second order anywhere', async () => {
    const service = await resellerService([
      '--provider',
      String(ids.hanging),
      '--provider-service',
      String(svc.primaryFollowers),
      '--fallback',
      `${ids.backup}:${svc.backupFollowers}`,
    ]);
    const before = { primary: await ordersAt(primary, atPrimary), backup: await ordersAt(backup, atBackup) };
    const id = await add(service);
    expect(await dispatchOrders(reseller.ctx, gateway(500))).toMatchObject({ review: 1, requeued: 0 });
    for (let i = 0; i < 3; i++) {
      reseller.clock.advance(60 * 60_000);
      expect(await dispatchOrders(reseller.ctx, gateway(500))).toMatchObject({ sent: 0, requeued: 0 });
    }
    const row = (await findOrder(reseller.db, id))!;
    expect(row).toMatchObject({ dispatch_state: 'review', provider_id: BigInt(ids.hanging) });
    expect(await ordersAt(primary, atPrimary)).toBe(before.primary + 1);
    expect(await ordersAt(backup, atBackup)).toBe(before.backup);
    expect(
      (await findProviderAttempts(reseller.db, id)).map((a) => [a.providerId, a.outcome, a.movedTo]),
    ).toEqual([[ids.hanging, 'unknown', null]]);
  });

  it('a backup dearer than the charge is skipped: the refusal policy applies (cancel and refund)', async () => {
    const views = await primary.createService({ name: 'Views', rate: '0.10', enabled: false });
    const cheap = await resellerService([
      '--rate',
      '1.00',
      '--provider',
      String(ids.primary),
      '--provider-service',
      String(views),
      '--fallback',
      `${ids.backup}:${svc.backupFollowers}`,
    ]);
    const customerBefore = await balanceOf(reseller, customer);
    const id = await add(cheap);
    expect(await dispatchOrders(reseller.ctx, gateway())).toMatchObject({ refused: 1, requeued: 0 });
    expect((await findOrder(reseller.db, id))!).toMatchObject({
      status: 'canceled',
      dispatch_state: 'refused',
    });
    expect(await balanceOf(reseller, customer)).toBe(customerBefore);
    // Allowed to sell at a loss, the next order goes to the backup.
    const update = await runCli(
      ['service', 'update', String(cheap), '--sell-at-loss'],
      reseller.database.url,
    );
    expect(update.code, update.stderr).toBe(0);
    const again = await add(cheap);
    await dispatchOrders(reseller.ctx, gateway());
    await dispatchOrders(reseller.ctx, gateway());
    expect((await findOrder(reseller.db, again))!).toMatchObject({
      dispatch_state: 'sent',
      provider_id: BigInt(ids.backup),
    });
  });

  it('the CLI refuses bad backups with a clear message and changes nothing', async () => {
    const bad = await runCli(
      [
        'service',
        'create',
        '--name',
        'X',
        '--type',
        'Default',
        '--category',
        'Instagram',
        '--rate',
        '1',
        '--min',
        '1',
        '--max',
        '10',
        '--provider',
        String(ids.primary),
        '--provider-service',
        '5',
        '--fallback',
        'nonsense',
      ],
      reseller.database.url,
    );
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toContain('--fallback must be PROVIDER_ID:SERVICE_ID');
    const missing = await runCli(
      [
        'service',
        'create',
        '--name',
        'X',
        '--type',
        'Default',
        '--category',
        'Instagram',
        '--rate',
        '1',
        '--min',
        '1',
        '--max',
        '10',
        '--provider',
        String(ids.primary),
        '--provider-service',
        '5',
        '--fallback',
        '999:1',
      ],
      reseller.database.url,
    );
    expect(missing.code).not.toBe(0);
    expect(missing.stderr + missing.stdout).toContain('No provider with id 999');
    const twice = await runCli(
      [
        'service',
        'create',
        '--name',
        'X',
        '--type',
        'Default',
        '--category',
        'Instagram',
        '--rate',
        '1',
        '--min',
        '1',
        '--max',
        '10',
        '--provider',
        String(ids.primary),
        '--provider-service',
        '5',
        '--fallback',
        `${ids.primary}:5`,
      ],
      reseller.database.url,
    );
    expect(twice.code).not.toBe(0);
    expect(twice.stderr + twice.stdout).toContain('named twice');
  });

  it('the owner reads and sets backups on the web, and sees the move in the order', async () => {
    const owner = await webUser(reseller, 'owner');
    const shown = await owner.web.get(`/admin/services/${refusedService}/failover`);
    expect(shown.status).toBe(200);
    expect(shown.json).toEqual({
      serviceId: refusedService,
      primary: { providerId: ids.primary, providerServiceId: String(svc.primaryLikes) },
      fallbacks: [{ providerId: ids.backup, providerServiceId: String(svc.backupFollowers) }],
      sellAtLoss: false,
    });
    const set = await owner.web.request('PUT', `/admin/services/${refusedService}/failover`, {
      fallbacks: [
        { providerId: ids.backup, providerServiceId: String(svc.backupFollowers) },
        { providerId: ids.poor, providerServiceId: String(svc.primaryFollowers) },
      ],
      sellAtLoss: true,
    });
    expect(set.status).toBe(200);
    expect(set.json.fallbacks).toHaveLength(2);
    expect(set.json.sellAtLoss).toBe(true);
    // Bad input: a clear error, nothing changed.
    const twice = await owner.web.request('PUT', `/admin/services/${refusedService}/failover`, {
      fallbacks: [{ providerId: ids.primary, providerServiceId: String(svc.primaryLikes) }],
    });
    expect(twice.status).toBe(400);
    expect(twice.json.error).toContain('named twice');
    const unknown = await owner.web.request('PUT', `/admin/services/${refusedService}/failover`, {
      fallbacks: [{ providerId: 9999, providerServiceId: '1' }],
    });
    expect(unknown.json.code).toBe('PROVIDER_NOT_FOUND');
    const malformed = await owner.web.request('PUT', `/admin/services/${refusedService}/failover`, {
      fallbacks: [{ providerId: 'x' }],
    });
    expect(malformed.status).toBe(400);
    expect((await owner.web.get(`/admin/services/${refusedService}/failover`)).json.fallbacks).toHaveLength(
      2,
    );
    expect((await owner.web.get('/admin/services/999999/failover')).status).toBe(404);

    const history = await owner.web.get(`/admin/orders/${refusedOrder}/providers`);
    expect(history.status).toBe(200);
    expect(history.json.attempts).toMatchObject([
      {
        provider: 'primary',
        outcome: 'service-unavailable',
        reason: 'Incorrect service ID',
        movedTo: { providerId: ids.backup, provider: 'backup' },
      },
      { provider: 'backup', outcome: 'accepted', movedTo: null },
    ]);
    const detail = await owner.web.get(`/admin/orders/${refusedOrder}`);
    expect(detail.json.history).toMatchObject([
      { actor: 'system', action: 'order.failover', details: { outcome: 'service-unavailable' } },
    ]);
    const audit = await owner.web.get('/admin/audit');
    expect(JSON.stringify(audit.json)).toContain('order.failover');

    // A customer is refused.
    const customerWeb = await webUser(reseller, 'customer');
    expect((await customerWeb.web.get(`/admin/orders/${refusedOrder}/providers`)).status).toBe(403);
  });

  it('two dispatchers at once: each order moves once and is sent once, to the backup', async () => {
    // Its own provider service: one local service per provider service.
    const race = await primary.createService({ name: 'Race', rate: '0.10', enabled: false });
    const service = await resellerService([
      '--provider',
      String(ids.primary),
      '--provider-service',
      String(race),
      '--fallback',
      `${ids.backup}:${svc.backupFollowers}`,
    ]);
    const before = { primary: await ordersAt(primary, atPrimary), backup: await ordersAt(backup, atBackup) };
    const orders = [];
    for (let i = 0; i < 8; i++) orders.push(await add(service));
    for (let round = 0; round < 3; round++) {
      await Promise.all([dispatchOrders(reseller.ctx, gateway()), dispatchOrders(reseller.ctx, gateway())]);
    }
    expect(await ordersAt(primary, atPrimary)).toBe(before.primary);
    expect(await ordersAt(backup, atBackup)).toBe(before.backup + orders.length);
    for (const id of orders) {
      expect((await findOrder(reseller.db, id))!.dispatch_state).toBe('sent');
      const history = await findProviderAttempts(reseller.db, id);
      expect(history.map((a) => [a.providerId, a.outcome, a.movedTo?.providerId ?? null])).toEqual([
        [ids.primary, 'service-unavailable', ids.backup],
        [ids.backup, 'accepted', null],
      ]);
    }
  });
});
