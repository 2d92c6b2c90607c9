import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAdminToken } from '../../src/app/admin-tokens/create-admin-token.js';
import { AdminApiClient } from '../support/admin-api-client.js';
import { TestPanel } from '../support/test-panel.js';
import { webUser } from '../support/web-client.js';

/** Issue 16 item 4: `Idempotency-Key` on POSTs: replayed, refused on another body, run once under concurrency. */

let panel: TestPanel;
let api: AdminApiClient;
let other: AdminApiClient;

async function client(name: string) {
  const user = await webUser(panel, 'owner');
  const created = await createAdminToken(panel.ctx, { owner: { userId: user.id }, name });
  if (!created.ok) throw new Error(created.failure.code);
  return new AdminApiClient(panel.baseUrl, created.value.token);
}

beforeAll(async () => {
  panel = await TestPanel.start();
  api = await client('first');
  other = await client('second');
});
afterAll(() => panel.close());

async function balanceOf(userId: number): Promise<string> {
  const users = await api.get('/users?limit=200');
  return users.json.data.find((user: { id: number }) => user.id === userId).balance;
}

async function fundsEntries(userId: number): Promise<number> {
  const audit = await api.get('/audit?limit=200');
  return audit.json.data.filter(
    (entry: { action: string; target: string }) =>
      entry.action === 'funds.deposit' && entry.target === `user:${userId}`,
  ).length;
}

describe('Idempotency-Key', () => {
  it('the same key and body replays the stored answer and runs nothing again', async () => {
    const customer = await panel.customer('0');
    const body = { amount: '5', memo: 'once' };
    const key = { 'idempotency-key': 'fund-once-1' };
    const first = await api.post(`/users/${customer.id}/funds`, body, key);
    expect([first.status, first.json]).toEqual([200, { balance: '5.00000' }]);
    const again = await api.post(`/users/${customer.id}/funds`, body, key);
    expect([again.status, again.json]).toEqual([200, { balance: '5.00000' }]);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(await balanceOf(customer.id)).toBe('5.00000');
    expect(await fundsEntries(customer.id)).toBe(1);
    // A failure is an answer too: replayed with its status.
    const refused = await api.post(
      '/users/999999/status',
      { status: 'active' },
      { 'idempotency-key': 'nobody' },
    );
    const refusedAgain = await api.post(
      '/users/999999/status',
      { status: 'active' },
      { 'idempotency-key': 'nobody' },
    );
    expect([refusedAgain.status, refusedAgain.json]).toEqual([refused.status, refused.json]);
    expect(refusedAgain.contentType).toBe('application/problem+json; charset=utf-8');
  });

  it('the same key with another body is refused (422) and changes nothing', async () => {
    const customer = await panel.customer('0');
    const key = { 'idempotency-key': 'fund-twice' };
    expect((await api.post(`/users/${customer.id}/funds`, { amount: '1', memo: 'a' }, key)).status).toBe(200);
    const reused = await api.post(`/users/${customer.id}/funds`, { amount: '2', memo: 'a' }, key);
    expect([reused.status, reused.json.code, reused.contentType]).toEqual([
      422,
      'IDEMPOTENCY_KEY_REUSED',
      'application/problem+json; charset=utf-8',
    ]);
    expect(await balanceOf(customer.id)).toBe('1.00000');
  });

  it('keys belong to one token: another token with the same key runs its own request', async () => {
    const customer = await panel.customer('0');
    const key = { 'idempotency-key': 'shared-key' };
    await api.post(`/users/${customer.id}/funds`, { amount: '1', memo: 'a' }, key);
    const second = await other.post(`/users/${customer.id}/funds`, { amount: '1', memo: 'a' }, key);
    expect(second.headers.get('idempotent-replayed')).toBeNull();
    expect(await balanceOf(customer.id)).toBe('2.00000');
  });

  it('concurrent requests with one key run once, and all get the same answer', async () => {
    const customer = await panel.customer('0');
    const key = { 'idempotency-key': 'race-1' };
    const answers = await Promise.all(
      Array.from({ length: 12 }, () =>
        api.post(`/users/${customer.id}/funds`, { amount: '3', memo: 'race' }, key),
      ),
    );
    expect(answers.map((answer) => [answer.status, answer.json])).toEqual(
      answers.map(() => [200, { balance: '3.00000' }]),
    );
    expect(answers.filter((answer) => answer.headers.get('idempotent-replayed') === null)).toHaveLength(1);
    expect(await balanceOf(customer.id)).toBe('3.00000');
    expect(await fundsEntries(customer.id)).toBe(1);
  });

  it('an unusable key is refused', async () => {
    const response = await api.post(
      '/users/1/status',
      { status: 'active' },
      { 'idempotency-key': 'x'.repeat(300) },
    );
    expect([response.status, response.json.code]).toEqual([400, 'INVALID_IDEMPOTENCY_KEY']);
  });
});
