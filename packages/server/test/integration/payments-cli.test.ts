import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/run-cli.js';
import { TestPanel } from '../support/test-panel.js';
import { webUser } from '../support/web-client.js';

/** The owner's payment commands: methods (add, list, update) and manual deposits (list, approve, reject). */

let panel: TestPanel;
const cli = (...args: string[]) => runCli(args, panel.database.url);
const lines = (stdout: string) =>
  stdout
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as Record<string, unknown>);

beforeAll(async () => {
  panel = await TestPanel.start();
});
afterAll(() => panel.close());

// Each command is a process of its own: slow on a busy machine.
describe('smmkit payment-method and deposit', { timeout: 240_000 }, () => {
  it('adds, lists and updates methods; bad flags are refused with a clear error', async () => {
    const added = await cli(
      'payment-method',
      'add',
      '--gateway',
      'manual',
      '--name',
      'Bank transfer',
      '--min',
      '5',
      '--max',
      '500',
      '--fee-percent',
      '1.5',
      '--bonus',
      '100:5,500:10',
      '--instructions',
      'IBAN DE00 1234',
    );
    expect(added.stderr).toBe('');
    expect(added.code).toBe(0);
    expect(added.json()).toEqual({ id: expect.any(Number) });
    const id = added.json().id as number;

    const listed = await cli('payment-method', 'list');
    expect(lines(listed.stdout)).toContainEqual({
      id,
      gateway: 'manual',
      name: 'Bank transfer',
      enabled: true,
      min: '5.00',
      max: '500.00',
      feePercent: '1.5',
      bonus: '100.00:5,500.00:10',
      bonusTiers: [
        { from: '100.00', percent: '5' },
        { from: '500.00', percent: '10' },
      ],
      instructions: 'IBAN DE00 1234',
      config: {},
    });

    const disabled = await cli('payment-method', 'update', String(id), '--disable', '--max', '');
    expect(disabled.code).toBe(0);
    expect(disabled.json()).toMatchObject({ id, enabled: false, max: null, min: '5.00' });
    const enabled = await cli('payment-method', 'update', String(id), '--enable');
    expect(enabled.json()).toMatchObject({ enabled: true });

    const both = await cli('payment-method', 'update', String(id), '--enable', '--disable');
    expect(both.code).toBe(2);
    const badBonus = await cli(
      'payment-method',
      'add',
      '--gateway',
      'manual',
      '--name',
      'X',
      '--bonus',
      '100:x',
    );
    expect(badBonus.code).toBe(1);
    expect(badBonus.stderr.trim()).toBe(
      'error: Invalid bonus: tier percent "x": a percent between 0 and 100 with up to 2 decimals, e.g. 2.5',
    );
    const badGateway = await cli('payment-method', 'add', '--gateway', 'moneybag', '--name', 'X');
    expect(badGateway.code).toBe(1);
    expect(badGateway.stderr).toMatch(/^error: Invalid gateway: one of manual/);
    const badConfig = await cli(
      'payment-method',
      'add',
      '--gateway',
      'manual',
      '--name',
      'X',
      '--config',
      '{oops',
    );
    expect(badConfig.code).toBe(2);
    const noName = await cli('payment-method', 'add', '--gateway', 'manual');
    expect(noName.code).toBe(2);
    const missing = await cli('payment-method', 'update', '999999', '--enable');
    expect(missing.stderr.trim()).toBe('error: No payment method with id 999999');
  });

  it('lists deposits by status, approves one once, rejects another with a reason', async () => {
    const added = await cli(
      'payment-method',
      'add',
      '--gateway',
      'manual',
      '--name',
      'Wallet',
      '--bonus',
      '50:10',
    );
    const method = added.json().id as number;
    const customer = await webUser(panel, 'customer');
    const first = (await customer.web.post('/deposits', { method, amount: '50', reference: 'W-1' })).json
      .id as number;
    const second = (await customer.web.post('/deposits', { method, amount: '7.5' })).json.id as number;

    const pending = await cli('deposit', 'list', '--status', 'pending');
    expect(pending.code).toBe(0);
    const rows = lines(pending.stdout);
    expect(rows.map((row) => row.id)).toEqual([second, first]);
    expect(rows[1]).toMatchObject({
      user: customer.username,
      method,
      amount: '50.00000',
      bonus: '5.00000',
      status: 'pending',
      reference: 'W-1',
    });

    const approved = await cli('deposit', 'approve', String(first));
    expect(approved.code).toBe(0);
    expect(approved.json()).toMatchObject({ id: first, status: 'paid' });
    const again = await cli('deposit', 'approve', String(first));
    expect(again.code).toBe(1);
    expect(again.stderr.trim()).toBe(`error: Deposit ${first} is paid: it cannot become paid`);
    expect((await customer.web.get('/funds')).json.balance).toBe('55.00000');

    expect((await cli('deposit', 'reject', String(second))).code).toBe(2);
    const rejected = await cli('deposit', 'reject', String(second), '--reason', 'nothing arrived');
    expect(rejected.json()).toMatchObject({ id: second, status: 'failed', reason: 'nothing arrived' });
    const reject = await cli('deposit', 'reject', String(first), '--reason', 'late');
    expect(reject.stderr.trim()).toBe(`error: Deposit ${first} is paid: it cannot become failed`);

    const paid = lines((await cli('deposit', 'list', '--status', 'paid')).stdout);
    expect(paid.map((row) => row.id)).toEqual([first]);
    const bad = await cli('deposit', 'list', '--status', 'settled');
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/^error: Invalid status: one of pending, paid/);
  });
});
