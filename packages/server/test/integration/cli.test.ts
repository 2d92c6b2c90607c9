import { once } from 'node:events';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock, type Context } from '../../src/app/context.js';
import { placeOrder } from '../../src/app/orders/place-order.js';
import { type Database, sql } from '../../src/store/database.js';
import { findLedgerMismatches } from '../../src/store/ledger.js';
import { findLedgerEntriesForOrder } from '../support/order-rows.js';
import { migrate } from '../../src/store/migrations.js';
import { openDatabase, parseDatabaseUrl } from '../../src/store/open-database.js';
import { findUserByUsername } from '../../src/store/users.js';
import { COMMANDS } from '../../src/cli/main.js';
import { findService } from '../support/account-rows.js';
import { runCli, spawnCli, startServe } from '../support/run-cli.js';
import { type TestDatabase, createTestDatabase } from '../support/test-database.js';

describe('smmkit CLI', () => {
  let database: TestDatabase;
  let db: Database;
  let ctx: Context;
  const cli = (...args: string[]) => runCli(args, database.url);
  /** The built binary in a process of its own: its exit codes, stdout and stderr. */
  const binary = (...args: string[]) => spawnCli(args, database.url);
  const balanceOf = async (username: string) => (await findUserByUsername(db, username))?.balance;

  beforeAll(async () => {
    database = await createTestDatabase();
    db = openDatabase(parseDatabaseUrl(database.url));
    await migrate(db, systemClock.now());
    ctx = { db, clock: systemClock, actor: { kind: 'user', userId: 0 }, currency: 'USD' };
  });
  afterAll(async () => {
    expect(await findLedgerMismatches(db)).toEqual([]);
    await db.close();
    await database.drop();
  });

  it('migrate applies nothing on an up-to-date database and says so as JSON', async () => {
    const run = await binary('migrate');
    expect(run.code).toBe(0);
    expect(run.json().applied).toEqual([]);
  });

  it('user create prints the id, the username and an API key shown once', async () => {
    const run = await cli('user', 'create', '--username', 'cli_alice');
    expect(run.code).toBe(0);
    const created = run.json();
    expect(created).toEqual({
      id: expect.any(Number),
      username: 'cli_alice',
      apiKey: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    expect(Object.keys(created)).toEqual(['id', 'username', 'apiKey']);

    const again = await binary('user', 'create', '--username', 'cli_alice');
    expect(again.code).toBe(1);
    expect(again.stdout).toBe('');
    expect(again.stderr).toContain('Username cli_alice is taken');
  });

  it('user create --role makes staff (--admin is the owner); an unknown role changes nothing', async () => {
    const roleOf = async (username: string) =>
      (await db.get<{ role: string }>(sql('SELECT role FROM users WHERE username = ?'), [username]))?.role;
    expect((await cli('user', 'create', '--username', 'cli_mgr', '--role', 'manager')).code).toBe(0);
    expect((await cli('user', 'create', '--username', 'cli_own', '--admin')).code).toBe(0);
    expect([await roleOf('cli_mgr'), await roleOf('cli_own')]).toEqual(['manager', 'owner']);
    for (const args of [
      ['--role', 'root'],
      ['--admin', '--role', 'support'],
    ]) {
      const refused = await cli('user', 'create', '--username', 'cli_bad', ...args);
      expect(refused.code).toBe(2);
      expect(refused.stderr).toContain('--role must be owner, manager or support');
    }
    expect(await roleOf('cli_bad')).toBeUndefined();
  });

  it('funds add credits, deducts, and never goes below zero', async () => {
    await cli('user', 'create', '--username', 'cli_bob');
    const credit = await cli(
      'funds',
      'add',
      '--username',
      'cli_bob',
      '--amount',
      '12.5',
      '--memo',
      'bank transfer',
    );
    expect(credit.code).toBe(0);
    expect(credit.stdout).toBe('{"balance":"12.50000"}\n');

    const debit = await cli('funds', 'add', '--username', 'cli_bob', '--amount', '-2.25');
    expect(debit.stdout).toBe('{"balance":"10.25000"}\n');

    const overdraw = await cli('funds', 'add', '--username', 'cli_bob', '--amount=-10.25001');
    expect(overdraw.code).toBe(1);
    expect(overdraw.stderr).toContain('cannot go below zero');
    expect(await balanceOf('cli_bob')).toBe(1_025_000n);

    for (const bad of ['abc', '1.000001', '1e3', '0']) {
      const run = await cli('funds', 'add', '--username', 'cli_bob', '--amount', bad);
      expect(run.code, bad).not.toBe(0);
      expect(run.stdout, bad).toBe('');
    }
    const nobody = await cli('funds', 'add', '--username', 'nobody', '--amount', '5');
    expect(nobody.code).toBe(1);
    expect(nobody.stderr).toContain('No user named nobody');
    expect(await balanceOf('cli_bob')).toBe(1_025_000n);
  });

  it('service create and update store exactly the flags given', async () => {
    const created = await cli(
      'service',
      'create',
      '--name',
      'IG Comments',
      '--type',
      'Custom Comments',
      '--category',
      'Instagram',
      '--rate',
      '0.90',
      '--min',
      '50',
      '--max',
      '10000',
      '--refill',
      '--refill-days',
      '45',
      '--cancel',
      '--no-duplicate-links',
      '--desc',
      'Hand-written comments',
    );
    expect(created.code).toBe(0);
    const { id } = created.json();
    expect(created.stdout).toBe(`{"id":${id}}\n`);
    let service = (await findService(db, id))!;
    expect(service).toMatchObject({
      name: 'IG Comments',
      type: 'Custom Comments',
      category: 'Instagram',
      rate: 90_000n,
      min_quantity: 50n,
      max_quantity: 10_000n,
      refill: 1n,
      refill_days: 45n,
      cancel: 1n,
      dripfeed: 0n,
      allow_duplicate_links: 0n,
      enabled: 1n,
      description: 'Hand-written comments',
    });

    const updated = await cli(
      'service',
      'update',
      String(id),
      '--rate',
      '1.25',
      '--no-refill',
      '--disable',
      '--max',
      '500',
    );
    expect(updated.code).toBe(0);
    service = (await findService(db, id))!;
    expect(service).toMatchObject({
      rate: 125_000n,
      refill: 0n,
      enabled: 0n,
      max_quantity: 500n,
      min_quantity: 50n,
      cancel: 1n,
    });

    const enabled = await cli('service', 'update', String(id), '--enable');
    expect(enabled.code).toBe(0);
    expect((await findService(db, id))!.enabled).toBe(1n);

    const invalid = [
      [
        'service',
        'create',
        '--name',
        'x',
        '--type',
        'Nope',
        '--category',
        'c',
        '--rate',
        '1',
        '--min',
        '1',
        '--max',
        '2',
      ],
      [
        'service',
        'create',
        '--name',
        'x',
        '--type',
        'Poll',
        '--category',
        'c',
        '--rate',
        '1',
        '--min',
        '5',
        '--max',
        '2',
      ],
      [
        'service',
        'create',
        '--name',
        'x',
        '--type',
        'Poll',
        '--category',
        'c',
        '--rate',
        '1',
        '--min',
        '1',
        '--max',
        '2',
        '--dripfeed',
      ],
      ['service', 'update', String(id), '--min', '1000'],
      ['service', 'update', String(id), '--enable', '--disable'],
      ['service', 'update', String(id)],
      ['service', 'update', '999999', '--rate', '1'],
    ];
    for (const args of invalid) {
      const run = await cli(...args);
      expect(run.code, args.join(' ')).not.toBe(0);
      expect(run.stderr, args.join(' ')).toMatch(/^error: /);
    }
    expect((await findService(db, id))!).toMatchObject({
      rate: 125_000n,
      max_quantity: 500n,
      min_quantity: 50n,
      enabled: 1n,
    });
  });

  it('order update moves an order and refunds Partial once, exactly', async () => {
    await cli('user', 'create', '--username', 'cli_carol');
    await cli('funds', 'add', '--username', 'cli_carol', '--amount', '10');
    const { id: serviceId } = (
      await cli(
        'service',
        'create',
        '--name',
        'Likes',
        '--type',
        'Default',
        '--category',
        'IG',
        '--rate',
        '0.333',
        '--min',
        '10',
        '--max',
        '100000',
      )
    ).json();
    const carol = (await findUserByUsername(db, 'cli_carol'))!;
    const placed = await placeOrder(ctx, {
      userId: Number(carol.id),
      params: { service: String(serviceId), link: 'https://instagram.com/p/1', quantity: '1000' },
    });
    if (!placed.ok) throw new Error(placed.failure.code);
    const orderId = placed.value.order;
    // 0.333 × 1000 / 1000 = 0.33300
    expect(await balanceOf('cli_carol')).toBe(1_000_000n - 33_300n);

    const progress = await cli(
      'order',
      'update',
      String(orderId),
      '--status',
      'In progress',
      '--start-count',
      '1234',
    );
    expect(progress.code).toBe(0);
    expect(progress.json()).toMatchObject({
      id: orderId,
      status: 'In progress',
      startCount: 1234,
      remains: 1000,
    });

    // Completed means remains 0: short of that is Partial, and nothing moves.
    const short = await cli('order', 'update', String(orderId), '--status', 'Completed', '--remains', '50');
    expect(short.code).toBe(1);
    expect(short.stderr).toContain('Invalid remains: Completed means remains 0; use Partial');
    expect(await balanceOf('cli_carol')).toBe(1_000_000n - 33_300n);

    const partial = await cli('order', 'update', String(orderId), '--status', 'Partial', '--remains', '333');
    expect(partial.code).toBe(0);
    // refund = 0.33300 × 333 / 1000 = 0.110889 → rounded down to 0.11088
    expect(partial.json()).toMatchObject({
      status: 'Partial',
      remains: 333,
      charge: '0.33300',
      refunded: '0.11088',
    });
    expect(await balanceOf('cli_carol')).toBe(1_000_000n - 33_300n + 11_088n);

    const again = await cli('order', 'update', String(orderId), '--status', 'Canceled');
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('cannot go from Partial to Canceled');
    const entries = await findLedgerEntriesForOrder(db, orderId);
    expect(entries.map((e) => [e.kind, e.amount, e.entry_key])).toEqual([
      ['charge', -33_300n, `charge:${orderId}`],
      ['refund', 11_088n, `refund:partial:${orderId}`],
    ]);

    const bad = await cli('order', 'update', String(orderId), '--status', 'Shipped');
    expect(bad.code).toBe(1);
    const missing = await cli('order', 'update', '424242', '--status', 'Completed');
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('No order with id 424242');
  });

  it('order update Canceled refunds the whole charge', async () => {
    await cli('user', 'create', '--username', 'cli_dave');
    await cli('funds', 'add', '--username', 'cli_dave', '--amount', '5');
    const { id: serviceId } = (
      await cli(
        'service',
        'create',
        '--name',
        'Views',
        '--type',
        'Default',
        '--category',
        'TT',
        '--rate',
        '0.01',
        '--min',
        '100',
        '--max',
        '1000000',
      )
    ).json();
    const dave = (await findUserByUsername(db, 'cli_dave'))!;
    const placed = await placeOrder(ctx, {
      userId: Number(dave.id),
      params: { service: String(serviceId), link: 'x', quantity: '777' },
    });
    if (!placed.ok) throw new Error(placed.failure.code);
    const canceled = await cli('order', 'update', String(placed.value.order), '--status', 'canceled');
    expect(canceled.json()).toMatchObject({ status: 'Canceled', refunded: '0.00777', charge: '0.00777' });
    expect(await balanceOf('cli_dave')).toBe(500_000n);
  });

  it('rate set gives one user their own price, rate clear removes it', async () => {
    await cli('user', 'create', '--username', 'cli_erin');
    const { id: serviceId } = (
      await cli(
        'service',
        'create',
        '--name',
        'Subs',
        '--type',
        'Default',
        '--category',
        'YT',
        '--rate',
        '2',
        '--min',
        '10',
        '--max',
        '1000',
      )
    ).json();
    const set = await cli(
      'rate',
      'set',
      '--username',
      'cli_erin',
      '--service',
      String(serviceId),
      '--rate',
      '1.5',
    );
    expect(set.code).toBe(0);
    expect(set.json()).toEqual({ username: 'cli_erin', service: serviceId, rate: '1.50' });
    const clear = await cli('rate', 'clear', '--username', 'cli_erin', '--service', String(serviceId));
    expect(clear.json()).toEqual({ username: 'cli_erin', service: serviceId, rate: null });
    const bad = await cli(
      'rate',
      'set',
      '--username',
      'cli_erin',
      '--service',
      String(serviceId),
      '--rate',
      '-1',
    );
    expect(bad.code).not.toBe(0);
  });

  it('every command answers --help with its usage, and mistakes exit non-zero on stderr', async () => {
    for (const command of COMMANDS) {
      const run = await cli(...command.name.split(' '), '--help');
      expect(run.code, command.name).toBe(0);
      expect(run.stdout, command.name).toContain(`Usage: smmkit ${command.name}`);
    }
    const overview = await cli('--help');
    expect(overview.code).toBe(0);
    for (const command of COMMANDS) expect(overview.stdout).toContain(command.name);

    const unknown = await binary('frobnicate');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('unknown command');
    const badFlag = await cli('user', 'create', '--username', 'zed', '--colour', 'red');
    expect(badFlag.code).toBe(2);
    expect(await findUserByUsername(db, 'zed')).toBeUndefined();
    const missing = await cli('funds', 'add', '--amount', '5');
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('--username is required');
    // The real binary's usage exit code (2), as its success (0) and failure (1) above.
  }, 90_000);

  it('serve creates the first admin on an empty database, answers API v2, and stops cleanly on SIGTERM', async () => {
    const fresh = await createTestDatabase();
    try {
      const served = await startServe(['--port', '0', '--no-worker'], fresh.url);
      const adminLine = served.logLines().find((line) => line.includes('created the admin account'));
      expect(adminLine).toBeDefined();
      const { apiKey, username } = JSON.parse(adminLine!) as { apiKey: string; username: string };
      expect(username).toBe('admin');
      const response = await fetch(`${served.url}/api/v2`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: `key=${apiKey}&action=balance`,
      });
      expect(await response.text()).toBe('{"balance":"0.00000","currency":"USD"}');
      served.child.removeAllListeners('exit');
      served.child.kill('SIGTERM');
      const [code] = (await once(served.child, 'exit')) as [number | null];
      expect(code).toBe(0);
    } finally {
      await fresh.drop();
    }
  });
});
