import { describe, expect, it } from 'vitest';
import { json, startFakePanel } from '../test/fake-panel.js';
import type { Reply } from '../test/fake-panel.js';
import { SmmApiClient } from './client.js';
import { SmmResponseError } from './errors.js';
import { isDripFeedStatus, isItemError, isSubscriptionStatus } from './guards.js';

async function clientAnswering(reply: Reply): Promise<SmmApiClient> {
  const panel = await startFakePanel(reply);
  return new SmmApiClient({ url: panel.url, key: 'key' });
}

const partialOrder = {
  charge: '0.27819',
  start_count: '3572',
  status: 'Partial',
  remains: '157',
  currency: 'USD',
};

describe('answers of API_V2.md', () => {
  it('services, with and without dripfeed/desc', async () => {
    const client = await clientAnswering(
      json([
        {
          service: 1,
          name: 'Followers',
          type: 'Default',
          category: 'First Category',
          rate: '0.90',
          min: '50',
          max: '10000',
          refill: true,
          cancel: true,
          dripfeed: true,
          desc: 'Real-looking followers',
        },
        {
          service: 2,
          name: 'Comments',
          type: 'Custom Comments',
          category: 'Second Category',
          rate: '8',
          min: '10',
          max: '1500',
          refill: false,
          cancel: true,
        },
      ]),
    );

    expect(await client.services()).toStrictEqual([
      {
        service: 1,
        name: 'Followers',
        type: 'Default',
        category: 'First Category',
        rate: '0.90',
        min: '50',
        max: '10000',
        refill: true,
        cancel: true,
        dripfeed: true,
        desc: 'Real-looking followers',
      },
      {
        service: 2,
        name: 'Comments',
        type: 'Custom Comments',
        category: 'Second Category',
        rate: '8',
        min: '10',
        max: '1500',
        refill: false,
        cancel: true,
      },
    ]);
  });

  it('add', async () => {
    const client = await clientAnswering(json({ order: 23501 }));
    expect(await client.add({ type: 'Package', service: 1, link: 'l' })).toStrictEqual({ order: 23501 });
  });

  it('status of an ordinary order keeps every value as the string sent', async () => {
    const client = await clientAnswering(json(partialOrder));

    const status = await client.status(1);

    expect(status).toStrictEqual(partialOrder);
    expect(isSubscriptionStatus(status)).toBe(false);
    expect(isDripFeedStatus(status)).toBe(false);
  });

  it('status of a drip-feed parent adds runs and orders', async () => {
    const answer = {
      charge: '4.50000',
      start_count: '0',
      status: 'In progress',
      remains: '300',
      currency: 'USD',
      runs: '5',
      orders: [23502, 23503],
    };
    const client = await clientAnswering(json(answer));

    const status = await client.status(23501);

    expect(status).toStrictEqual(answer);
    expect(isDripFeedStatus(status)).toBe(true);
    expect(isSubscriptionStatus(status)).toBe(false);
  });

  it('status of a subscription', async () => {
    const answer = {
      status: 'Active',
      expiry: '31/12/2030',
      posts: '2',
      orders: [501, 502],
      charge: '0.36000',
      currency: 'USD',
    };
    const client = await clientAnswering(json(answer));

    const status = await client.status(500);

    expect(status).toStrictEqual(answer);
    expect(isSubscriptionStatus(status)).toBe(true);
    expect(isDripFeedStatus(status)).toBe(false);
  });

  it('status of a subscription without expiry', async () => {
    const answer = {
      status: 'Paused',
      expiry: null,
      posts: '0',
      orders: [],
      charge: '0.00000',
      currency: 'EUR',
    };
    const client = await clientAnswering(json(answer));
    expect(await client.status(500)).toStrictEqual(answer);
  });

  it('statuses: a status object or an error per id, keyed as sent', async () => {
    const inProgress = {
      charge: '1.44219',
      start_count: '234',
      status: 'In progress',
      remains: '10',
      currency: 'USD',
    };
    const client = await clientAnswering(
      json({ '1': partialOrder, '10': { error: 'Incorrect order ID' }, '100': inProgress }),
    );

    const statuses = await client.statuses([1, 10, 100]);

    expect(statuses).toStrictEqual({
      '1': partialOrder,
      '10': { error: 'Incorrect order ID' },
      '100': inProgress,
    });
    expect(isItemError(statuses['10'])).toBe(true);
    expect(isItemError(statuses['1'])).toBe(false);
    expect(Object.keys(statuses)).toEqual(['1', '10', '100']);
  });

  it('refill: the id stays a string', async () => {
    const client = await clientAnswering(json({ refill: '1' }));
    expect(await client.refill(1)).toStrictEqual({ refill: '1' });
  });

  it('refills: numbers, or an error per order, in answer order', async () => {
    const answer = [
      { order: 1, refill: 1 },
      { order: 2, refill: 2 },
      { order: 3, refill: { error: 'Incorrect order ID' } },
    ];
    const client = await clientAnswering(json(answer));
    expect(await client.refills([1, 2, 3])).toStrictEqual(answer);
  });

  it('refill_status', async () => {
    const client = await clientAnswering(json({ status: 'Completed' }));
    expect(await client.refillStatus(1)).toStrictEqual({ status: 'Completed' });
  });

  it('refill_status with several ids', async () => {
    const answer = [
      { refill: 1, status: 'Completed' },
      { refill: 2, status: 'Rejected' },
      { refill: 3, status: { error: 'Refill not found' } },
    ];
    const client = await clientAnswering(json(answer));
    expect(await client.refillStatuses([1, 2, 3])).toStrictEqual(answer);
  });

  it('cancel', async () => {
    const answer = [
      { order: 9, cancel: { error: 'Incorrect order ID' } },
      { order: 2, cancel: 1 },
    ];
    const client = await clientAnswering(json(answer));
    expect(await client.cancel([9, 2])).toStrictEqual(answer);
  });

  it('balance keeps 5 decimals', async () => {
    const client = await clientAnswering(json({ balance: '100.84292', currency: 'USD' }));
    expect(await client.balance()).toStrictEqual({ balance: '100.84292', currency: 'USD' });
  });
});

describe('answers of other panels', () => {
  it('accepts numbers where the contract has strings and numeric strings where it has ids', async () => {
    const client = await clientAnswering(
      json([
        {
          service: '7',
          name: 'Views',
          type: 'Default',
          category: 'C',
          rate: 0.9,
          min: 50,
          max: 10000,
          refill: false,
          cancel: false,
          desc: null,
        },
      ]),
    );

    expect(await client.services()).toStrictEqual([
      {
        service: 7,
        name: 'Views',
        type: 'Default',
        category: 'C',
        rate: '0.9',
        min: '50',
        max: '10000',
        refill: false,
        cancel: false,
      },
    ]);
  });

  it('drops fields the contract does not have', async () => {
    const client = await clientAnswering(json({ balance: '5.00000', currency: 'USD', bonus: '1' }));
    expect(await client.balance()).toStrictEqual({ balance: '5.00000', currency: 'USD' });
  });

  it("reads PHP's [] as an empty multi status", async () => {
    const client = await clientAnswering(json([]));
    expect(await client.statuses([])).toStrictEqual({});
  });

  it('reads a body that starts with a byte order mark', async () => {
    const client = await clientAnswering({ body: '\uFEFF{"order": 42}' });
    expect(await client.add({ type: 'Package', service: 1, link: 'l' })).toStrictEqual({ order: 42 });
  });
});

describe('wrongly shaped answers', () => {
  const cases: [string, (client: SmmApiClient) => Promise<unknown>, unknown, string][] = [
    ['services not an array', (c) => c.services(), { data: [] }, 'expected an array'],
    [
      'a service without rate',
      (c) => c.services(),
      [
        {
          service: 1,
          name: 'n',
          type: 'Default',
          category: 'c',
          min: '1',
          max: '2',
          refill: true,
          cancel: true,
        },
      ],
      'expected a numeric string at [0].rate',
    ],
    [
      'add without order',
      (c) => c.add({ type: 'Package', service: 1, link: 'l' }),
      { id: 5 },
      'expected an integer at order',
    ],
    [
      'status that is neither kind',
      (c) => c.status(1),
      { status: 'Pending' },
      'expected an order or subscription status',
    ],
    [
      'refill items without order',
      (c) => c.refills([1]),
      [{ refill: 1 }],
      'expected an integer at [0].order',
    ],
    ['cancel as an object', (c) => c.cancel([1]), { '1': { cancel: 1 } }, 'expected an array'],
    ['balance without currency', (c) => c.balance(), { balance: '1.00000' }, 'expected a string at currency'],
  ];

  it('turns one unreadable multi status item into an item error and keeps the others', async () => {
    const good = { charge: '0.9', start_count: '3', status: 'Pending', remains: '7', currency: 'USD' };
    const client = await clientAnswering(json({ '1': 'Pending', '2': good, '3': { ...good, status: 2 } }));

    const statuses = await client.statuses([1, 2, 3]);

    expect(statuses['1']).toEqual({ error: 'Unreadable status: expected an object at 1' });
    expect(statuses['2']).toEqual(good);
    // A numeric status code is kept as text for the caller to map.
    expect(statuses['3']).toEqual({ ...good, status: '2' });
  });

  it.each(cases)('%s', async (_name, call, answer, problem) => {
    const client = await clientAnswering(json(answer));

    const error: unknown = await call(client).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(SmmResponseError);
    expect((error as SmmResponseError).problem).toBe(problem);
    expect((error as SmmResponseError).responseText).toBe(JSON.stringify(answer));
    expect((error as SmmResponseError).httpStatus).toBe(200);
  });
});
