import { describe, expect, it } from 'vitest';
import { json, startFakePanel } from '../test/fake-panel.js';
import type { FakePanel, Reply } from '../test/fake-panel.js';
import { SmmApiClient } from './client.js';
import type { AddOrderParams } from './order-params.js';

const KEY = 'k3y-with&special=chars';

async function panelAnswering(reply: Reply): Promise<{ panel: FakePanel; client: SmmApiClient }> {
  const panel = await startFakePanel(reply);
  return { panel, client: new SmmApiClient({ url: panel.url, key: KEY }) };
}

describe('request format', () => {
  it('POSTs a form with key and action to the given URL, with safelisted headers only', async () => {
    const { panel, client } = await panelAnswering(json({ balance: '1.00000', currency: 'USD' }));

    await client.balance();

    expect(panel.requests).toHaveLength(1);
    const [request] = panel.requests;
    expect(request!.method).toBe('POST');
    expect(request!.url).toBe('/api/v2');
    expect(request!.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(request!.headers.accept).toBe('application/json');
    expect(request!.body).toBe('key=k3y-with%26special%3Dchars&action=balance');
    expect(request!.form).toEqual([
      ['key', KEY],
      ['action', 'balance'],
    ]);
  });

  it('sends User-Agent only when configured', async () => {
    const panel = await startFakePanel(json({ balance: '1.00000', currency: 'USD' }));
    await new SmmApiClient({ url: panel.url, key: KEY, userAgent: 'my-bot/1.2' }).balance();
    await new SmmApiClient({ url: panel.url, key: KEY }).balance();

    expect(panel.requests[0]!.headers['user-agent']).toBe('my-bot/1.2');
    // Node's fetch adds its own when none is given; ours must not appear.
    expect(panel.requests[1]!.headers['user-agent']).not.toBe('my-bot/1.2');
  });

  it('services', async () => {
    const { panel, client } = await panelAnswering(json([]));
    await client.services();
    expect(panel.requests[0]!.form).toEqual([
      ['key', KEY],
      ['action', 'services'],
    ]);
  });

  it('status with one id sends order', async () => {
    const reply = json({ charge: '0', start_count: '0', status: 'Pending', remains: '5', currency: 'USD' });
    const { panel, client } = await panelAnswering(reply);
    await client.status(23501);
    expect(panel.requests[0]!.form).toEqual([
      ['key', KEY],
      ['action', 'status'],
      ['order', '23501'],
    ]);
  });

  it('statuses sends orders comma-joined', async () => {
    const { panel, client } = await panelAnswering(json({}));
    await client.statuses([1, 10, 100]);
    expect(panel.requests[0]!.body).toBe(`key=${encodeURIComponent(KEY)}&action=status&orders=1%2C10%2C100`);
  });

  it('refill with one id sends order', async () => {
    const { panel, client } = await panelAnswering(json({ refill: '1' }));
    await client.refill(7);
    expect(panel.requests[0]!.form).toEqual([
      ['key', KEY],
      ['action', 'refill'],
      ['order', '7'],
    ]);
  });

  it('refills sends orders comma-joined', async () => {
    const { panel, client } = await panelAnswering(json([]));
    await client.refills([1, 2, 3]);
    expect(panel.requests[0]!.form).toEqual([
      ['key', KEY],
      ['action', 'refill'],
      ['orders', '1,2,3'],
    ]);
  });

  it('refill_status with one id sends refill', async () => {
    const { panel, client } = await panelAnswering(json({ status: 'Completed' }));
    await client.refillStatus(4);
    expect(panel.requests[0]!.form).toEqual([
      ['key', KEY],
      ['action', 'refill_status'],
      ['refill', '4'],
    ]);
  });

  it('refill_status with several ids sends refills comma-joined', async () => {
    const { panel, client } = await panelAnswering(json([]));
    await client.refillStatuses([1, 2, 3]);
    expect(panel.requests[0]!.form).toEqual([
      ['key', KEY],
      ['action', 'refill_status'],
      ['refills', '1,2,3'],
    ]);
  });

  it('cancel sends orders comma-joined', async () => {
    const { panel, client } = await panelAnswering(json([]));
    await client.cancel([2, 9]);
    expect(panel.requests[0]!.form).toEqual([
      ['key', KEY],
      ['action', 'cancel'],
      ['orders', '2,9'],
    ]);
  });
});

describe('add parameters, one set per service type', () => {
  const cases: [AddOrderParams, [string, string][]][] = [
    [
      { type: 'Default', service: 1, link: 'https://x.test/p', quantity: 100 },
      [
        ['service', '1'],
        ['link', 'https://x.test/p'],
        ['quantity', '100'],
      ],
    ],
    [
      { type: 'Default', service: 1, link: 'https://x.test/p', quantity: 100, runs: 5, interval: 30 },
      [
        ['service', '1'],
        ['link', 'https://x.test/p'],
        ['quantity', '100'],
        ['runs', '5'],
        ['interval', '30'],
      ],
    ],
    [
      { type: 'Package', service: 2, link: 'https://x.test/p' },
      [
        ['service', '2'],
        ['link', 'https://x.test/p'],
      ],
    ],
    [
      { type: 'Custom Comments', service: 3, link: 'https://x.test/p', comments: ['great', 'nice pic'] },
      [
        ['service', '3'],
        ['link', 'https://x.test/p'],
        ['comments', 'great\nnice pic'],
      ],
    ],
    [
      { type: 'Custom Comments Package', service: 4, link: 'https://x.test/p', comments: 'a\r\nb' },
      [
        ['service', '4'],
        ['link', 'https://x.test/p'],
        ['comments', 'a\r\nb'],
      ],
    ],
    [
      { type: 'Mentions', service: 5, link: 'https://x.test/p', quantity: 50, usernames: ['ann', 'bob'] },
      [
        ['service', '5'],
        ['link', 'https://x.test/p'],
        ['quantity', '50'],
        ['usernames', 'ann\nbob'],
      ],
    ],
    [
      {
        type: 'Mentions with Hashtags',
        service: 6,
        link: 'https://x.test/p',
        quantity: 50,
        usernames: ['ann', 'bob'],
        hashtags: ['#one', '#two'],
      },
      [
        ['service', '6'],
        ['link', 'https://x.test/p'],
        ['quantity', '50'],
        ['usernames', 'ann\nbob'],
        ['hashtags', '#one\n#two'],
      ],
    ],
    [
      { type: 'Mentions Custom List', service: 7, link: 'https://x.test/p', usernames: ['ann', 'bob', 'cy'] },
      [
        ['service', '7'],
        ['link', 'https://x.test/p'],
        ['usernames', 'ann\nbob\ncy'],
      ],
    ],
    [
      { type: 'Mentions Hashtag', service: 8, link: 'https://x.test/p', quantity: 60, hashtag: '#tag' },
      [
        ['service', '8'],
        ['link', 'https://x.test/p'],
        ['quantity', '60'],
        ['hashtag', '#tag'],
      ],
    ],
    [
      {
        type: 'Mentions User Followers',
        service: 9,
        link: 'https://x.test/p',
        quantity: 70,
        username: 'https://x.test/celebrity',
      },
      [
        ['service', '9'],
        ['link', 'https://x.test/p'],
        ['quantity', '70'],
        ['username', 'https://x.test/celebrity'],
      ],
    ],
    [
      {
        type: 'Mentions Media Likers',
        service: 10,
        link: 'https://x.test/p',
        quantity: 80,
        media: 'https://x.test/m/1',
      },
      [
        ['service', '10'],
        ['link', 'https://x.test/p'],
        ['quantity', '80'],
        ['media', 'https://x.test/m/1'],
      ],
    ],
    [
      { type: 'Comment Likes', service: 11, link: 'https://x.test/p', quantity: 90, username: 'owner' },
      [
        ['service', '11'],
        ['link', 'https://x.test/p'],
        ['quantity', '90'],
        ['username', 'owner'],
      ],
    ],
    [
      {
        type: 'Comment Replies',
        service: 12,
        link: 'https://x.test/p',
        username: 'owner',
        comments: ['thanks', 'agreed'],
      },
      [
        ['service', '12'],
        ['link', 'https://x.test/p'],
        ['username', 'owner'],
        ['comments', 'thanks\nagreed'],
      ],
    ],
    [
      { type: 'Poll', service: 13, link: 'https://x.test/poll', quantity: 100, answerNumber: 2 },
      [
        ['service', '13'],
        ['link', 'https://x.test/poll'],
        ['quantity', '100'],
        ['answer_number', '2'],
      ],
    ],
    [
      {
        type: 'Invites from Groups',
        service: 14,
        link: 'https://x.test/g',
        quantity: 100,
        groups: ['g1', 'g2'],
      },
      [
        ['service', '14'],
        ['link', 'https://x.test/g'],
        ['quantity', '100'],
        ['groups', 'g1\ng2'],
      ],
    ],
    [
      { type: 'SEO', service: 15, link: 'https://x.test/', quantity: 100, keywords: ['buy shoes', 'shoes'] },
      [
        ['service', '15'],
        ['link', 'https://x.test/'],
        ['quantity', '100'],
        ['keywords', 'buy shoes\nshoes'],
      ],
    ],
    [
      { type: 'Subscriptions', service: 16, username: 'someone', min: 100, max: 200, delay: 30 },
      [
        ['service', '16'],
        ['username', 'someone'],
        ['min', '100'],
        ['max', '200'],
        ['delay', '30'],
      ],
    ],
    [
      {
        type: 'Subscriptions',
        service: 16,
        username: 'someone',
        min: 100,
        max: 200,
        posts: 10,
        oldPosts: 3,
        delay: 0,
        expiry: '31/12/2030',
      },
      [
        ['service', '16'],
        ['username', 'someone'],
        ['min', '100'],
        ['max', '200'],
        ['posts', '10'],
        ['old_posts', '3'],
        ['delay', '0'],
        ['expiry', '31/12/2030'],
      ],
    ],
  ];

  it.each(cases)('%j', async (params, expected) => {
    const { panel, client } = await panelAnswering(json({ order: 23501 }));

    expect(await client.add(params)).toEqual({ order: 23501 });

    expect(panel.requests[0]!.form).toEqual([['key', KEY], ['action', 'add'], ...expected]);
  });

  it('sends requestId as request_id, last', async () => {
    const { panel, client } = await panelAnswering(json({ order: 1 }));

    await client.add({ type: 'Package', service: 2, link: 'https://x.test/p', requestId: 'order-2024-0001' });

    expect(panel.requests[0]!.form).toEqual([
      ['key', KEY],
      ['action', 'add'],
      ['service', '2'],
      ['link', 'https://x.test/p'],
      ['request_id', 'order-2024-0001'],
    ]);
  });

  it('encodes newlines and spaces of joined lists like the PHP client', async () => {
    const { panel, client } = await panelAnswering(json({ order: 1 }));

    await client.add({
      type: 'Custom Comments',
      service: 3,
      link: 'https://x.test/p',
      comments: ['a b', 'c&d'],
    });

    expect(panel.requests[0]!.body).toBe(
      `key=${encodeURIComponent(KEY)}&action=add&service=3&link=https%3A%2F%2Fx.test%2Fp&comments=a+b%0Ac%26d`,
    );
  });

  it('rejects an unknown service type without sending anything', async () => {
    const { panel, client } = await panelAnswering(json({ order: 1 }));
    const bogus = { type: 'Likes', service: 1, link: 'x', quantity: 1 } as unknown as AddOrderParams;

    await expect(client.add(bogus)).rejects.toThrow(
      new TypeError('Unknown service type "Likes"; expected one of the API v2 types'),
    );
    expect(panel.requests).toHaveLength(0);
  });
});
