import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from '../../src/store/database.js';
import { TestPanel, type TestUser, type Transport } from '../support/test-panel.js';
import type { WebClient } from '../support/web-client.js';
import { webUser } from '../support/web-client.js';

/**
 * Finding 9 of issue 13: control characters and bidirectional overrides were stored and forwarded
 * (U+202E made one link look like another to the admin). Every text parameter of `add` refuses them
 * with its own error, over every transport, and nothing is stored.
 */

const LINK = 'https://instagram.com/p/abc';
const countOrders = sql('SELECT COUNT(*) AS count FROM orders WHERE user_id = ?');
const balanceOf = sql('SELECT balance FROM users WHERE id = ?');

let panel: TestPanel;
let user: TestUser;
const services: Record<string, number> = {};

beforeAll(async () => {
  panel = await TestPanel.start();
  user = await panel.customer('100');
  services.default = await panel.createService({ type: 'Default' });
  services.comments = await panel.createService({ type: 'Custom Comments', min: 1 });
  services.mentions = await panel.createService({ type: 'Mentions Hashtag' });
  services.likes = await panel.createService({ type: 'Comment Likes' });
});
afterAll(() => panel.close());

async function state(): Promise<[number, bigint]> {
  const orders = await panel.db.get<{ count: bigint | number }>(countOrders, [user.id]);
  const balance = await panel.db.get<{ balance: bigint | number }>(balanceOf, [user.id]);
  return [Number(orders!.count), BigInt(balance!.balance)];
}

const TRANSPORTS: Transport[] = ['form', 'json', 'multipart', 'get'];

describe.each(TRANSPORTS)('add over %s', (transport) => {
  const cases: [string, Record<string, string>, string][] = [
    [
      'a right-to-left override in the link',
      { service: 'default', link: `https://x.com/\u202Egpj.exe`, quantity: '100' },
      'Incorrect link',
    ],
    [
      'an isolate in the link',
      { service: 'default', link: `https://x.com/\u2066a\u2069`, quantity: '100' },
      'Incorrect link',
    ],
    [
      'a bell in the link',
      { service: 'default', link: `https://x.com/a\u0007b`, quantity: '100' },
      'Incorrect link',
    ],
    [
      'DEL in the link',
      { service: 'default', link: `https://x.com/a\u007fb`, quantity: '100' },
      'Incorrect link',
    ],
    [
      'a C1 control (NEL) in the comments',
      { service: 'comments', link: LINK, comments: 'great\nnice\u0085one' },
      'Incorrect comments',
    ],
    [
      'an override in the comments',
      { service: 'comments', link: LINK, comments: 'great\n\u202Dnice' },
      'Incorrect comments',
    ],
    [
      'an escape in the hashtag',
      { service: 'mentions', link: LINK, quantity: '100', hashtag: 'sun\u001b[31m' },
      'Incorrect hashtag',
    ],
    [
      'an override in the username',
      { service: 'likes', link: LINK, quantity: '100', username: 'ali\u202Bce' },
      'Incorrect username',
    ],
    [
      'a control in request_id',
      { service: 'default', link: LINK, quantity: '100', request_id: 'abc\u0001' },
      'Incorrect request_id',
    ],
  ];

  it.each(cases)('refuses %s with its error and stores nothing', async (_name, params, message) => {
    const before = await state();
    const response = await panel.api(
      { key: user.apiKey, action: 'add', ...params, service: services[params.service!]! },
      { transport },
    );
    expect(response.status).toBe(200);
    expect(response.text).toBe(JSON.stringify({ error: message }));
    expect(await state()).toEqual(before);
  });

  it('still accepts ordinary text in other scripts, with line breaks where lines are expected', async () => {
    const response = await panel.api(
      {
        key: user.apiKey,
        action: 'add',
        service: services.comments!,
        link: `${LINK}/مرحبا`,
        comments: 'привет 🎉\r\nשלום\nnice',
      },
      { transport },
    );
    expect(response.json).toEqual({ order: expect.any(Number) });
  });
});

describe('the web order endpoints', () => {
  it('refuse the same characters with the same error', async () => {
    const customer = await webUser(panel);
    await panel.fund(customer, '10');
    const web: WebClient = customer.web;
    for (const path of ['/orders/quote', '/orders']) {
      const response = await web.post(path, {
        params: { service: String(services.default), link: 'https://x.com/\u202Egpj.exe', quantity: '100' },
      });
      expect(response.status).toBe(400);
      expect(response.json.error).toBe('Incorrect link');
    }
  });
});
