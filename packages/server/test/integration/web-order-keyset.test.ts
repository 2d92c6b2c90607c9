import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestPanel, type TestUser } from '../support/test-panel.js';
import { type WebClient, webUser } from '../support/web-client.js';

/**
 * Issue 17 item 4: the web panel's order lists page with `before=<id>` (newest first), so an older
 * page is an index range at any depth, and orders placed meanwhile never shift a page boundary.
 */
describe('web order lists: keyset pages', () => {
  let panel: TestPanel;
  let user: TestUser;
  let admin: { web: WebClient };
  let customer: { id: number; web: WebClient };
  let service: number;
  const placed: number[] = [];

  beforeAll(async () => {
    panel = await TestPanel.start();
    user = await panel.customer('1000');
    admin = await webUser(panel, 'admin');
    customer = await webUser(panel);
    await admin.web.post(`/admin/users/${customer.id}/funds`, { amount: '100', memo: 'test' });
    service = await panel.createService({ rate: '0.1' });
    for (let i = 0; i < 60; i++) placed.push(await add(user, `https://x.test/keyset-${i}`));
  });
  afterAll(() => panel.close());

  async function add(by: TestUser, link: string): Promise<number> {
    const answer = await panel.api({ key: by.apiKey, action: 'add', service, link, quantity: 100 });
    expect(answer.text).toMatch(/^\{"order":\d+\}$/);
    return answer.json.order as number;
  }
  const ids = (answer: { orders: { id: number }[] }) => answer.orders.map((order) => order.id);

  it('pages everyone’s orders by id, unshifted by orders placed meanwhile', async () => {
    const first = await admin.web.get('/admin/orders');
    expect(first.status).toBe(200);
    const newestFirst = [...placed].reverse();
    expect(ids(first.json)).toEqual(newestFirst.slice(0, 25));
    expect(first.json.total).toBe(60);

    const boundary = ids(first.json).at(-1)!;
    // New orders arrive between the first page and the next: an offset would repeat 3 orders.
    for (let i = 0; i < 3; i++) await add(user, `https://x.test/keyset-late-${i}`);
    const second = await admin.web.get(`/admin/orders?before=${boundary}`);
    expect(ids(second.json)).toEqual(newestFirst.slice(25, 50));
    expect(second.json.total).toBe(63);
    const third = await admin.web.get(`/admin/orders?before=${ids(second.json).at(-1)}`);
    expect(ids(third.json)).toEqual(newestFirst.slice(50));
    const beyond = await admin.web.get(`/admin/orders?before=${placed[0]}`);
    expect(ids(beyond.json)).toEqual([]);
  });

  it('keeps the status filter on a keyset page, its total from the kept counts', async () => {
    const completed = placed.filter((_, i) => i % 2 === 0);
    for (const id of completed) {
      const moved = await admin.web.post(`/admin/orders/${id}/status`, {
        status: 'Completed',
        startCount: 0,
        remains: 0,
      });
      expect(moved.status).toBe(200);
    }
    const newestFirst = [...completed].reverse();
    const first = await admin.web.get('/admin/orders?status=Completed');
    expect(ids(first.json)).toEqual(newestFirst.slice(0, 25));
    expect(first.json.total).toBe(30);
    const next = await admin.web.get(`/admin/orders?status=Completed&before=${ids(first.json).at(-1)}`);
    expect(ids(next.json)).toEqual(newestFirst.slice(25));
    expect(next.json.total).toBe(30);
  });

  it('pages a customer’s own orders the same way, never another’s', async () => {
    const own: number[] = [];
    for (let i = 0; i < 30; i++) {
      const placedByWeb = await customer.web.post('/orders', {
        params: { service: String(service), link: `https://x.test/own-${i}`, quantity: '100' },
      });
      expect(placedByWeb.status).toBe(200);
      own.push(placedByWeb.json.order as number);
    }
    const first = await customer.web.get('/orders');
    expect(ids(first.json)).toEqual([...own].reverse().slice(0, 25));
    await add(user, 'https://x.test/someone-else');
    const next = await customer.web.get(`/orders?before=${ids(first.json).at(-1)}`);
    expect(ids(next.json)).toEqual([...own].reverse().slice(25));
    expect(next.json.total).toBe(30);
  });

  it('refuses a before that is no order id, changing nothing', async () => {
    for (const bad of ['0', '-1', 'abc', '1.5']) {
      const answer = await admin.web.get(`/admin/orders?before=${bad}`);
      expect(answer.status).toBe(400);
    }
  });
});
