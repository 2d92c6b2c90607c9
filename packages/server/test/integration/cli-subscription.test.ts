import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from '../../src/store/database.js';
import { findService } from '../support/account-rows.js';
import { findLedgerEntriesForOrder } from '../support/order-rows.js';
import { runCli } from '../support/run-cli.js';
import { TestPanel, type TestUser } from '../support/test-panel.js';

/** `smmkit subscription post` and the `--old-posts` service flags, through the real binary. */

const countOrders = sql('SELECT COUNT(*) AS count FROM orders');
const selectSubscription = sql('SELECT status, unpaid_posts FROM orders WHERE id = ?');

describe('smmkit subscription post', () => {
  let panel: TestPanel;
  let user: TestUser;
  let service: number;
  const cli = (...args: string[]) => runCli(args, panel.database.url);
  const orderCount = async () => Number((await panel.db.get<{ count: bigint }>(countOrders))!.count);
  const balance = async () =>
    (await panel.api({ key: user.apiKey, action: 'balance' })).json.balance as string;

  async function subscribe(params: Record<string, string | number> = {}): Promise<number> {
    const response = await panel.api({
      key: user.apiKey,
      action: 'add',
      service,
      username: 'someone',
      min: 200,
      max: 999,
      delay: 30,
      ...params,
    });
    expect(response.text).toMatch(/^\{"order":\d+\}$/);
    return response.json.order as number;
  }

  beforeAll(async () => {
    panel = await TestPanel.start();
    // 1.23457 per 1000: 333 → 41111.181 → 0.41112.
    service = await panel.createService({ type: 'Subscriptions', rate: '1.23457', min: 100, max: 5000 });
    user = await panel.customer('10');
  });
  afterAll(() => panel.close());

  it('creates and charges the child order and prints it as JSON', async () => {
    const id = await subscribe();
    const run = await cli('subscription', 'post', String(id), '--quantity', '333');
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const child = run.json();
    expect(child).toEqual({
      id: expect.any(Number),
      userId: user.id,
      serviceId: service,
      kind: 'order',
      parentId: id,
      status: 'Pending',
      link: 'someone',
      quantity: 333,
      runs: null,
      interval: null,
      details: {},
      rate: '1.23457',
      charge: '0.41112',
      refunded: '0.00000',
      startCount: 0,
      remains: 333,
      dispatch: 'manual',
      providerId: null,
      providerOrderId: null,
      dispatchError: null,
      providerCost: null,
      cost: null,
      profit: null,
      createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      updatedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      completedAt: null,
    });
    expect(run.stdout).toBe(`${JSON.stringify(child)}\n`);
    expect((await findLedgerEntriesForOrder(panel.db, child.id)).map((e) => [e.amount, e.entry_key])).toEqual(
      [[-41_112n, `charge:${child.id}`]],
    );
    expect(await balance()).toBe('9.58888');
    const status = await panel.api({ key: user.apiKey, action: 'status', order: id });
    expect(status.text).toBe(
      `{"status":"Active","expiry":null,"posts":"1","orders":[${child.id}],"charge":"0.41112","currency":"USD"}`,
    );
  });

  it("without --quantity picks one within the subscription's min..max", async () => {
    const id = await subscribe();
    const run = await cli('subscription', 'post', String(id));
    expect(run.code).toBe(0);
    const { quantity } = run.json();
    expect(quantity).toBeGreaterThanOrEqual(200);
    expect(quantity).toBeLessThanOrEqual(999);
  });

  it('refuses a --quantity outside min..max with exit 1, printing nothing and charging nothing', async () => {
    const id = await subscribe();
    const before = await orderCount();
    const money = await balance();
    for (const quantity of ['199', '1000']) {
      const run = await cli('subscription', 'post', String(id), '--quantity', quantity);
      expect(run.code, quantity).toBe(1);
      expect(run.stdout, quantity).toBe('');
      expect(run.stderr, quantity).toContain(
        `error: Invalid quantity: between 200 and 999 (the subscription's min and max), got ${quantity}`,
      );
    }
    const usage = await cli('subscription', 'post', String(id), '--quantity', 'many');
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain('--quantity must be a whole number');
    expect(await orderCount()).toBe(before);
    expect(await balance()).toBe(money);
  });

  it('an unknown id, a missing id: refused on stderr', async () => {
    const unknown = await cli('subscription', 'post', '987654321');
    expect(unknown.code).toBe(1);
    expect(unknown.stdout).toBe('');
    expect(unknown.stderr).toBe('error: No order with id 987654321\n');

    const missing = await cli('subscription', 'post');
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('expected 1 argument(s), got 0');
  });

  it('a post the balance cannot pay: exit 1, the subscription paused, nothing charged', async () => {
    const poor = await panel.customer('1.23334'); // one child at max 999, exactly
    const response = await panel.api({
      key: poor.apiKey,
      action: 'add',
      service,
      username: 'someone',
      min: 200,
      max: 999,
      delay: 30,
    });
    const id = response.json.order as number;
    expect((await cli('subscription', 'post', String(id), '--quantity', '999')).code).toBe(0);
    const short = await cli('subscription', 'post', String(id), '--quantity', '200');
    expect(short.code).toBe(1);
    expect(short.stdout).toBe('');
    expect(short.stderr).toBe(
      `error: Not enough funds for this post (0.24692, balance 0.00000): subscription ${id} is paused until funds arrive\n`,
    );
    expect(await panel.db.get(selectSubscription, [id])).toEqual({ status: 'paused', unpaid_posts: 1n });
  });

  it('a finished subscription takes no posts', async () => {
    const id = await subscribe({ posts: 1 });
    expect((await cli('subscription', 'post', String(id), '--quantity', '200')).code).toBe(0);
    const again = await cli('subscription', 'post', String(id), '--quantity', '200');
    expect(again.code).toBe(1);
    expect(again.stderr).toBe(`error: Subscription ${id} is Completed: it takes no more posts\n`);
  });

  it('--help shows the usage', async () => {
    const help = await cli('subscription', 'post', '--help');
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Usage: smmkit subscription post ID [--quantity N]');
    const overview = await cli('--help');
    expect(overview.stdout).toContain('subscription post');
  });
});

describe('smmkit service create/update --old-posts', () => {
  let panel: TestPanel;
  const cli = (...args: string[]) => runCli(args, panel.database.url);
  const create = (...flags: string[]) =>
    cli(
      'service',
      'create',
      '--name',
      'N',
      '--category',
      'C',
      '--rate',
      '1',
      '--min',
      '10',
      '--max',
      '100',
      ...flags,
    );

  beforeAll(async () => {
    panel = await TestPanel.start();
  });
  afterAll(() => panel.close());

  it('stores the flag on a Subscriptions service, and clears and sets it again', async () => {
    const created = await create('--type', 'Subscriptions', '--old-posts');
    expect(created.code).toBe(0);
    const { id } = created.json();
    expect((await findService(panel.db, id))?.old_posts).toBe(1n);

    const plain = await create('--type', 'Subscriptions');
    expect((await findService(panel.db, plain.json().id))?.old_posts).toBe(0n);

    expect((await cli('service', 'update', String(id), '--no-old-posts')).code).toBe(0);
    expect((await findService(panel.db, id))?.old_posts).toBe(0n);
    expect((await cli('service', 'update', String(id), '--old-posts')).code).toBe(0);
    expect((await findService(panel.db, id))?.old_posts).toBe(1n);
    // Other changes keep it.
    expect((await cli('service', 'update', String(id), '--rate', '2')).code).toBe(0);
    expect((await findService(panel.db, id))?.old_posts).toBe(1n);

    const both = await cli('service', 'update', String(id), '--old-posts', '--no-old-posts');
    expect(both.code).toBe(2);
    expect(both.stderr).toContain('--old-posts/--no-old-posts: give one, not both');
  });

  it('refuses the flag on any other type, and a type change that would keep it', async () => {
    const refused = await create('--type', 'Default', '--old-posts');
    expect(refused.code).toBe(1);
    expect(refused.stdout).toBe('');
    expect(refused.stderr).toBe('error: Invalid old-posts: only for Subscriptions services, not Default\n');

    const { id } = (await create('--type', 'Subscriptions', '--old-posts')).json();
    const retyped = await cli('service', 'update', String(id), '--type', 'Default');
    expect(retyped.code).toBe(1);
    expect((await findService(panel.db, id))?.type).toBe('Subscriptions');
    expect((await cli('service', 'update', String(id), '--type', 'Default', '--no-old-posts')).code).toBe(0);
    expect(await findService(panel.db, id)).toMatchObject({ type: 'Default', old_posts: 0n });
  });
});
