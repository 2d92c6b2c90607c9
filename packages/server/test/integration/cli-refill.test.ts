import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createService } from '../../src/app/catalog/create-service.js';
import { type Context, systemClock } from '../../src/app/context.js';
import { addFunds } from '../../src/app/funds/add-funds.js';
import { placeOrder } from '../../src/app/orders/place-order.js';
import { updateOrderStatus } from '../../src/app/orders/update-order-status.js';
import { requestRefill } from '../../src/app/refills/request-refill.js';
import { createUser } from '../../src/app/users/create-user.js';
import type { Database } from '../../src/store/database.js';
import { findLedgerMismatches } from '../../src/store/ledger.js';
import { migrate } from '../../src/store/migrations.js';
import { openDatabase, parseDatabaseUrl } from '../../src/store/open-database.js';
import { findRefill } from '../support/order-rows.js';
import { runCli } from '../support/run-cli.js';
import { type TestDatabase, createTestDatabase } from '../support/test-database.js';

const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

describe('smmkit refill update', () => {
  let database: TestDatabase;
  let db: Database;
  let ctx: Context;
  let userId: number;
  let serviceId: number;
  const cli = (...args: string[]) => runCli(args, database.url);

  beforeAll(async () => {
    database = await createTestDatabase();
    db = openDatabase(parseDatabaseUrl(database.url));
    await migrate(db, systemClock.now());
    ctx = { db, clock: systemClock, actor: { kind: 'cli' }, currency: 'USD' };
    const user = await createUser(ctx, { username: 'refill_owner', role: 'customer' });
    if (!user.ok) throw new Error(user.failure.code);
    userId = user.value.id;
    const funded = await addFunds(ctx, { username: 'refill_owner', amount: 1_000_000n });
    if (!funded.ok) throw new Error(funded.failure.code);
    const service = await createService(ctx, {
      name: 'Followers',
      type: 'Default',
      category: 'Instagram',
      rate: '1',
      min: 10,
      max: 10000,
      refill: true,
      refillDays: 30,
      cancel: false,
      dripfeed: false,
      allowDuplicateLinks: true,
      description: '',
      enabled: true,
    });
    if (!service.ok) throw new Error(service.failure.code);
    serviceId = service.value.id;
  });
  afterAll(async () => {
    expect(await findLedgerMismatches(db)).toEqual([]);
    await db.close();
    await database.drop();
  });

  /** A Pending refill of a fresh Completed order. */
  async function pendingRefill(): Promise<{ id: number; orderId: number }> {
    const placed = await placeOrder(ctx, {
      userId,
      params: { service: String(serviceId), link: 'https://x.test/r', quantity: '100' },
    });
    if (!placed.ok) throw new Error(placed.failure.code);
    const orderId = placed.value.order;
    const completed = await updateOrderStatus(ctx, { orderId, status: 'Completed' });
    if (!completed.ok) throw new Error(completed.failure.code);
    const refill = await requestRefill(ctx, userId, String(orderId));
    if (!refill.ok) throw new Error(refill.failure.code);
    return { id: refill.value, orderId };
  }

  it('moves a refill along and prints it as JSON', async () => {
    const { id, orderId } = await pendingRefill();
    const stored = (await findRefill(db, id))!;
    const createdAt = new Date(Number(stored.created_at)).toISOString();

    const progress = await cli('refill', 'update', String(id), '--status', 'In progress');
    expect(progress.stderr).toBe('');
    expect(progress.code).toBe(0);
    const record = progress.json();
    expect(Object.keys(record)).toEqual(['id', 'orderId', 'userId', 'status', 'createdAt', 'updatedAt']);
    expect(record).toEqual({
      id,
      orderId,
      userId,
      status: 'In progress',
      createdAt,
      updatedAt: expect.stringMatching(ISO),
    });
    expect(progress.stdout).toBe(`${JSON.stringify(record)}\n`);
    expect((await findRefill(db, id))!.status).toBe('in_progress');

    const completed = await cli('refill', 'update', String(id), '--status', 'completed');
    expect(completed.code).toBe(0);
    expect(completed.json()).toMatchObject({ id, status: 'Completed', createdAt });
    expect((await findRefill(db, id))!.status).toBe('completed');
  });

  it('refuses a move the state machine does not allow, changing nothing', async () => {
    const { id } = await pendingRefill();
    expect((await cli('refill', 'update', String(id), '--status', 'Rejected')).code).toBe(0);
    const again = await cli('refill', 'update', String(id), '--status', 'Completed');
    expect(again.code).toBe(1);
    expect(again.stdout).toBe('');
    expect(again.stderr).toBe('error: Invalid status: a refill cannot go from Rejected to Completed\n');
    expect((await findRefill(db, id))!.status).toBe('rejected');
  });

  it('refuses an unknown status and an unknown refill with exit 1', async () => {
    const { id } = await pendingRefill();
    const bad = await cli('refill', 'update', String(id), '--status', 'Shipped');
    expect(bad.code).toBe(1);
    expect(bad.stdout).toBe('');
    expect(bad.stderr).toBe('error: Invalid status: In progress, Completed or Rejected\n');
    expect((await findRefill(db, id))!.status).toBe('pending');

    const missing = await cli('refill', 'update', '424242', '--status', 'Completed');
    expect(missing.code).toBe(1);
    expect(missing.stdout).toBe('');
    expect(missing.stderr).toBe('error: Refill not found\n');
  });

  it('answers usage mistakes with exit 2 and the usage, and --help with exit 0', async () => {
    const usage =
      'Usage: smmkit refill update ID --status "In progress"|Completed|Rejected\n\n' +
      'Move a refill of a manual service along; Completed and Rejected are final\n';
    const help = await cli('refill', 'update', '--help');
    expect(help.code).toBe(0);
    expect(help.stdout).toBe(usage);

    const cases: [string[], string][] = [
      [['refill', 'update', '7'], '--status is required'],
      [['refill', 'update', 'abc', '--status', 'Completed'], 'expected a refill id, got "abc"'],
      [['refill', 'update', '--status', 'Completed'], 'expected 1 argument(s), got 0'],
      [['refill', 'update', '7', '--status', 'Completed', '--force'], "Unknown option '--force'"],
    ];
    for (const [args, message] of cases) {
      const run = await cli(...args);
      expect(run.code, args.join(' ')).toBe(2);
      expect(run.stdout, args.join(' ')).toBe('');
      expect(run.stderr, args.join(' ')).toMatch(new RegExp(`^error: .*${escape(message)}`));
      expect(run.stderr, args.join(' ')).toContain(`\n\n${usage}`);
    }
    const overview = await cli('--help');
    expect(overview.stdout).toMatch(
      /\n {2}refill update +Move a refill of a manual service along; Completed and Rejected are final\n/,
    );
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
