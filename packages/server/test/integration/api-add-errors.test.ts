import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { updateService } from '../../src/app/catalog/update-service.js';
import { updateOrderStatus } from '../../src/app/orders/update-order-status.js';
import { SERVICE_TYPES, type ServiceTypeName } from '../../src/domain/service-types.js';
import { sql } from '../../src/store/database.js';
import { type ApiResponse, TestPanel, type TestUser, type Transport } from '../support/test-panel.js';

/**
 * Every error string `add` can answer, byte for byte on the raw body, at HTTP 200 with the JSON
 * content type, and proof that a refused `add` changed nothing: same balance, no order, no ledger entry.
 */

const JSON_TYPE = 'application/json; charset=utf-8';
const LINK = 'https://instagram.com/p/Err0r1';

const countOrdersOf = sql('SELECT COUNT(*) AS count FROM orders WHERE user_id = ?');
const countLedgerOf = sql('SELECT COUNT(*) AS count FROM ledger_entries WHERE user_id = ?');
const countAllOrders = sql('SELECT COUNT(*) AS count FROM orders');
const countAllIdempotencyKeys = sql('SELECT COUNT(*) AS count FROM idempotency_keys');
const userBalance = sql('SELECT balance FROM users WHERE id = ?');

let panel: TestPanel;

beforeAll(async () => {
  panel = await TestPanel.start();
});
afterAll(() => panel.close());

type Params = Record<string, string | number>;

async function count(statement: ReturnType<typeof sql>, params: (string | number)[] = []): Promise<number> {
  const row = await panel.db.get<{ count: bigint | number }>(statement, params);
  return Number(row!.count);
}

async function apiBalance(user: TestUser): Promise<string> {
  const response = await panel.api({ key: user.apiKey, action: 'balance' });
  expect(response.status).toBe(200);
  return response.json.balance as string;
}

interface Snapshot {
  readonly balance: string;
  readonly storedBalance: bigint;
  readonly orders: number;
  readonly ledger: number;
  readonly allOrders: number;
  readonly idempotencyKeys: number;
}

async function snapshot(user: TestUser): Promise<Snapshot> {
  const stored = await panel.db.get<{ balance: bigint | number }>(userBalance, [user.id]);
  return {
    balance: await apiBalance(user),
    storedBalance: BigInt(stored!.balance),
    orders: await count(countOrdersOf, [user.id]),
    ledger: await count(countLedgerOf, [user.id]),
    allOrders: await count(countAllOrders),
    idempotencyKeys: await count(countAllIdempotencyKeys),
  };
}

function expectError(response: ApiResponse, message: string): void {
  expect(response.text).toBe(JSON.stringify({ error: message }));
  expect(response.status).toBe(200);
  expect(response.contentType).toBe(JSON_TYPE);
}

/** Sends an `add` that must be refused with `message`, and checks that nothing changed. */
async function refused(user: TestUser, params: Params, message: string, transport: Transport = 'form') {
  const before = await snapshot(user);
  const response = await panel.api({ key: user.apiKey, action: 'add', ...params }, { transport });
  expectError(response, message);
  expect(await snapshot(user)).toEqual(before);
}

async function placed(user: TestUser, params: Params): Promise<number> {
  const response = await panel.api({ key: user.apiKey, action: 'add', ...params });
  expect(response.status).toBe(200);
  expect(response.contentType).toBe(JSON_TYPE);
  expect(response.json).toEqual({ order: expect.any(Number) });
  return response.json.order as number;
}

describe('add: Incorrect service ID', () => {
  it('an unknown service', async () => {
    const user = await panel.customer('100');
    await refused(user, { service: 999999, link: LINK, quantity: 100 }, 'Incorrect service ID');
  });

  it('no service parameter at all, or an empty one', async () => {
    const user = await panel.customer('100');
    await refused(user, { link: LINK, quantity: 100 }, 'Incorrect service ID');
    await refused(user, { service: '', link: LINK, quantity: 100 }, 'Incorrect service ID');
  });

  for (const service of ['abc', '1.5', '-1', '0', '1e3', '0x1', '1;2', '12345678901234567890']) {
    it(`a non-numeric or out-of-range service (${JSON.stringify(service)})`, async () => {
      const user = await panel.customer('100');
      await refused(user, { service, link: LINK, quantity: 100 }, 'Incorrect service ID');
    });
  }

  it('a service created disabled', async () => {
    const service = await panel.createService({ enabled: false });
    const user = await panel.customer('100');
    await refused(user, { service, link: LINK, quantity: 100 }, 'Incorrect service ID');
  });

  it('a service disabled after the fact (and usable again once re-enabled)', async () => {
    const service = await panel.createService();
    const user = await panel.customer('100');
    await placed(user, { service, link: LINK, quantity: 100 });
    expect(await apiBalance(user)).toBe('99.91000');

    const disabled = await updateService(panel.ctx, service, { enabled: false });
    expect(disabled.ok).toBe(true);
    await refused(user, { service, link: LINK, quantity: 100 }, 'Incorrect service ID');

    const enabled = await updateService(panel.ctx, service, { enabled: true });
    expect(enabled.ok).toBe(true);
    await placed(user, { service, link: LINK, quantity: 100 });
    expect(await apiBalance(user)).toBe('99.82000');
  });

  it('the service is checked before its parameters', async () => {
    const user = await panel.customer('100');
    await refused(user, { service: 999999 }, 'Incorrect service ID');
  });
});

describe('add: Invalid API key', () => {
  it('is answered before anything about the service', async () => {
    const service = await panel.createService();
    const before = await count(countAllOrders);
    const response = await panel.api({ key: 'not-a-key', action: 'add', service, link: LINK, quantity: 100 });
    expectError(response, 'Invalid API key');
    const missing = await panel.api({ action: 'add', service, link: LINK, quantity: 100 });
    expectError(missing, 'Invalid API key');
    expect(await count(countAllOrders)).toBe(before);
  });
});

describe('add: Incorrect <parameter>', () => {
  let service: number;
  beforeAll(async () => {
    service = await panel.createService({ rate: '0.90', min: 10, max: 10000 });
  });

  const badLinks: [string, Params][] = [
    ['missing', {}],
    ['empty', { link: '' }],
    ['only spaces', { link: '   ' }],
    ['with an inner space', { link: 'https://instagram.com/p/a b' }],
    ['on two lines', { link: 'https://instagram.com/p/a\nhttps://instagram.com/p/b' }],
    ['over 2048 characters', { link: `https://x.com/${'a'.repeat(2048)}` }],
  ];
  for (const [label, link] of badLinks) {
    it(`link ${label}: Incorrect link`, async () => {
      const user = await panel.customer('100');
      await refused(user, { service, ...link, quantity: 100 }, 'Incorrect link');
    });
  }

  for (const quantity of ['0', '-1', '1.5', 'abc', '', '1e3', '100abc', '+100', '0x10']) {
    it(`quantity ${JSON.stringify(quantity)}: Incorrect quantity`, async () => {
      const user = await panel.customer('100');
      await refused(user, { service, link: LINK, quantity }, 'Incorrect quantity');
    });
  }

  it('quantity missing: Incorrect quantity', async () => {
    const user = await panel.customer('100');
    await refused(user, { service, link: LINK }, 'Incorrect quantity');
  });

  it('link is checked before quantity', async () => {
    const user = await panel.customer('100');
    await refused(user, { service, quantity: 'abc' }, 'Incorrect link');
  });

  for (const [label, comments] of [
    ['empty lines only (LF)', '\n\n\n'],
    ['empty lines only (CRLF)', '\r\n\r\n'],
    ['whitespace lines only', '  \n\t\r\n   '],
    ['empty', ''],
  ] as const) {
    it(`comments ${label}: Incorrect comments`, async () => {
      const commentsService = await panel.createService({ type: 'Custom Comments', min: 1, max: 100 });
      const user = await panel.customer('100');
      await refused(user, { service: commentsService, link: LINK, comments }, 'Incorrect comments');
    });
  }

  it('comments missing: Incorrect comments', async () => {
    const commentsService = await panel.createService({ type: 'Custom Comments', min: 1, max: 100 });
    const user = await panel.customer('100');
    await refused(user, { service: commentsService, link: LINK }, 'Incorrect comments');
  });
});

describe('add: each required parameter of each type, when missing', () => {
  const VALID: Record<string, string | number> = {
    link: LINK,
    quantity: 100,
    comments: 'one\ntwo',
    usernames: 'alice\nbob',
    hashtags: '#a\n#b',
    hashtag: '#tag',
    username: 'someone',
    media: 'https://instagram.com/p/Media1',
    answer_number: 1,
    groups: 'https://t.me/group',
    keywords: 'smm panel',
    min: 100,
    max: 200,
    delay: 0,
  };
  for (const type of Object.keys(SERVICE_TYPES) as ServiceTypeName[]) {
    const spec = SERVICE_TYPES[type];
    for (const missing of spec.required) {
      it(`${type} without ${missing}: Incorrect ${missing}`, async () => {
        const service = await panel.createService({ type, rate: '1', min: 1, max: 1000 });
        const user = await panel.customer('100');
        const params: Params = { service };
        for (const name of spec.required) if (name !== missing) params[name] = VALID[name]!;
        await refused(user, params, `Incorrect ${missing}`);
        // The complete set is accepted, so the parameter alone made the difference.
        await placed(user, {
          service,
          ...Object.fromEntries(spec.required.map((name) => [name, VALID[name]!])),
        });
      });
    }
  }
});

describe('add: type-specific invalid values', () => {
  const cases: [ServiceTypeName, Params, string][] = [
    ['Poll', { link: LINK, quantity: 100, answer_number: 'first' }, 'Incorrect answer_number'],
    ['Poll', { link: LINK, quantity: 100, answer_number: '0' }, 'Incorrect answer_number'],
    ['Mentions', { link: LINK, quantity: 100, usernames: '\n \n' }, 'Incorrect usernames'],
    ['Mentions Custom List', { link: LINK, usernames: '\r\n' }, 'Incorrect usernames'],
    [
      'Mentions with Hashtags',
      { link: LINK, quantity: 100, usernames: 'a', hashtags: ' ' },
      'Incorrect hashtags',
    ],
    ['Mentions Hashtag', { link: LINK, quantity: 100, hashtag: '#one\n#two' }, 'Incorrect hashtag'],
    ['Comment Likes', { link: LINK, quantity: 100, username: 'a\nb' }, 'Incorrect username'],
    ['Mentions Media Likers', { link: LINK, quantity: 100, media: 'x'.repeat(501) }, 'Incorrect media'],
    ['Invites from Groups', { link: LINK, quantity: 100, groups: '\n' }, 'Incorrect groups'],
    ['SEO', { link: LINK, quantity: 100, keywords: '' }, 'Incorrect keywords'],
    ['Comment Replies', { link: LINK, username: 'owner', comments: '\n\n' }, 'Incorrect comments'],
  ];
  for (const [type, params, message] of cases) {
    it(`${type} ${JSON.stringify(params).slice(0, 80)}: ${message}`, async () => {
      const service = await panel.createService({ type, rate: '1', min: 1, max: 1000 });
      const user = await panel.customer('100');
      await refused(user, { service, ...params }, message);
    });
  }
});

describe('add: quantity bounds', () => {
  let service: number;
  beforeAll(async () => {
    service = await panel.createService({ rate: '0.90', min: 50, max: 10000 });
  });

  it('below min: Quantity less than minimal 50', async () => {
    const user = await panel.customer('100');
    await refused(user, { service, link: LINK, quantity: 49 }, 'Quantity less than minimal 50');
    await refused(user, { service, link: LINK, quantity: 1 }, 'Quantity less than minimal 50');
  });

  it('above max: Quantity more than maximum 10000', async () => {
    const user = await panel.customer('100');
    await refused(user, { service, link: LINK, quantity: 10001 }, 'Quantity more than maximum 10000');
    await refused(
      user,
      { service, link: LINK, quantity: '999999999999999' },
      'Quantity more than maximum 10000',
    );
  });

  it('exactly min and exactly max are accepted', async () => {
    const user = await panel.customer('100');
    await placed(user, { service, link: LINK, quantity: 50 });
    await placed(user, { service, link: LINK, quantity: 10000 });
    // 0.045 + 9.00000
    expect(await apiBalance(user)).toBe('90.95500');
  });

  it('a quantity counted from lines is bounded too', async () => {
    const comments = await panel.createService({ type: 'Custom Comments', rate: '1', min: 2, max: 3 });
    const user = await panel.customer('100');
    await refused(
      user,
      { service: comments, link: LINK, comments: 'only one\n\n' },
      'Quantity less than minimal 2',
    );
    await refused(
      user,
      { service: comments, link: LINK, comments: 'a\nb\nc\nd' },
      'Quantity more than maximum 3',
    );
    const list = await panel.createService({ type: 'Mentions Custom List', rate: '1', min: 3, max: 1000 });
    await refused(user, { service: list, link: LINK, usernames: 'a\r\nb' }, 'Quantity less than minimal 3');
  });

  it('a Package service cannot be given a min above 1 (it could never be ordered)', async () => {
    await expect(panel.createService({ type: 'Package', rate: '5', min: 2, max: 10 })).rejects.toThrow(
      /INVALID_INPUT.*"field":"min"/,
    );
  });
});

describe('add: drip-feed errors', () => {
  it('runs and interval on a service without drip-feed', async () => {
    const service = await panel.createService({ dripfeed: false });
    const user = await panel.customer('100');
    const message = 'Drip-feed is not available for this service';
    await refused(user, { service, link: LINK, quantity: 100, runs: 5, interval: 10 }, message);
    await refused(user, { service, link: LINK, quantity: 100, runs: 5 }, message);
    await refused(user, { service, link: LINK, quantity: 100, interval: 10 }, message);
  });

  it('runs on a type that cannot be drip-fed', async () => {
    const service = await panel.createService({ type: 'Package', rate: '5', min: 1, max: 1 });
    const user = await panel.customer('100');
    await refused(
      user,
      { service, link: LINK, runs: 5, interval: 10 },
      'Drip-feed is not available for this service',
    );
  });

  describe('on a drip-feed service', () => {
    let service: number;
    beforeAll(async () => {
      service = await panel.createService({ rate: '0.90', min: 10, max: 10000, dripfeed: true });
    });

    for (const runs of ['1', '0', '-5', '2.5', 'abc', '10001']) {
      it(`runs=${runs}: Incorrect runs`, async () => {
        const user = await panel.customer('100');
        await refused(user, { service, link: LINK, quantity: 100, runs, interval: 10 }, 'Incorrect runs');
      });
    }

    it('runs without interval: Incorrect interval', async () => {
      const user = await panel.customer('100');
      await refused(user, { service, link: LINK, quantity: 100, runs: 5 }, 'Incorrect interval');
    });

    it('interval without runs: Incorrect runs', async () => {
      const user = await panel.customer('100');
      await refused(user, { service, link: LINK, quantity: 100, interval: 10 }, 'Incorrect runs');
    });

    for (const interval of ['0', '-1', '1.5', 'abc', '43201']) {
      it(`interval=${interval}: Incorrect interval`, async () => {
        const user = await panel.customer('100');
        await refused(user, { service, link: LINK, quantity: 100, runs: 5, interval }, 'Incorrect interval');
      });
    }

    it('the per-run quantity is bounded: Quantity more than maximum 10000', async () => {
      const user = await panel.customer('100');
      await refused(
        user,
        { service, link: LINK, quantity: 10001, runs: 2, interval: 10 },
        'Quantity more than maximum 10000',
      );
    });

    it('runs=2 and interval=1 are the smallest accepted', async () => {
      const user = await panel.customer('100');
      await placed(user, { service, link: LINK, quantity: 100, runs: 2, interval: 1 });
      expect(await apiBalance(user)).toBe('99.82000');
    });
  });
});

describe('add: Not enough funds on balance', () => {
  it('one unit short of the charge', async () => {
    const service = await panel.createService({ rate: '0.90', min: 10, max: 10000 });
    const user = await panel.customer('0.89999');
    await refused(user, { service, link: LINK, quantity: 1000 }, 'Not enough funds on balance');
    expect(await apiBalance(user)).toBe('0.89999');
  });

  it('an empty balance', async () => {
    const service = await panel.createService({ rate: '0.90', min: 10, max: 10000 });
    const user = await panel.customer('0');
    await refused(user, { service, link: LINK, quantity: 1000 }, 'Not enough funds on balance');
    expect(await apiBalance(user)).toBe('0.00000');
  });

  it('a charge rounded up beyond the balance: 0.00001 short after rounding', async () => {
    // 12345 × 777 / 1000 = 9592.065 → 9593 units: a balance of 0.09592 is not enough.
    const service = await panel.createService({ rate: '0.12345', min: 10, max: 10000 });
    const user = await panel.customer('0.09592');
    await refused(user, { service, link: LINK, quantity: 777 }, 'Not enough funds on balance');
  });

  it('a drip-feed covered for one run but not for all of them', async () => {
    const service = await panel.createService({ rate: '0.90', min: 10, max: 10000, dripfeed: true });
    const user = await panel.customer('4.49999');
    await refused(
      user,
      { service, link: LINK, quantity: 1000, runs: 5, interval: 10 },
      'Not enough funds on balance',
    );
  });

  it('exactly the charge is enough and leaves 0.00000', async () => {
    const service = await panel.createService({ rate: '0.90', min: 10, max: 10000 });
    const user = await panel.customer('0.9');
    await placed(user, { service, link: LINK, quantity: 1000 });
    expect(await apiBalance(user)).toBe('0.00000');
    await refused(user, { service, link: LINK, quantity: 10 }, 'Not enough funds on balance');
  });

  it('a refused add under a request_id is not remembered', async () => {
    const service = await panel.createService({ rate: '0.90', min: 10, max: 10000 });
    const user = await panel.customer('0.5');
    await refused(
      user,
      { service, link: LINK, quantity: 1000, request_id: 'retry-me' },
      'Not enough funds on balance',
    );
    await panel.fund(user, '0.4');
    await placed(user, { service, link: LINK, quantity: 1000, request_id: 'retry-me' });
    expect(await apiBalance(user)).toBe('0.00000');
  });
});

describe('add: subscription parameters', () => {
  let service: number;
  beforeAll(async () => {
    service = await panel.createService({ type: 'Subscriptions', rate: '1', min: 100, max: 5000 });
  });
  const valid = { username: 'someone', min: 100, max: 500, delay: 30 };

  const cases: [string, Params, string][] = [
    ['delay 7', { ...valid, delay: 7 }, 'Incorrect delay'],
    ['delay 601', { ...valid, delay: 601 }, 'Incorrect delay'],
    ['delay abc', { ...valid, delay: 'abc' }, 'Incorrect delay'],
    ['username with a newline', { ...valid, username: 'a\nb' }, 'Incorrect username'],
    ['min 0', { ...valid, min: 0 }, 'Incorrect min'],
    ['max abc', { ...valid, max: 'abc' }, 'Incorrect max'],
    ['min above max', { ...valid, min: 600, max: 500 }, 'Incorrect max'],
    ['min below the service min', { ...valid, min: 99 }, 'Quantity less than minimal 100'],
    ['max above the service max', { ...valid, max: 5001 }, 'Quantity more than maximum 5000'],
    ['expiry in the past', { ...valid, expiry: '01/01/2020' }, 'Incorrect expiry'],
    ['expiry today', { ...valid, expiry: '27/11/2026' }, 'Incorrect expiry'],
    ['expiry in Y-m-d', { ...valid, expiry: '2027-01-01' }, 'Incorrect expiry'],
    ['expiry not a date', { ...valid, expiry: '31/02/2027' }, 'Incorrect expiry'],
    ['posts 0', { ...valid, posts: 0 }, 'Incorrect posts'],
    ['old_posts -1', { ...valid, old_posts: -1 }, 'Incorrect old_posts'],
    [
      'runs on a subscription',
      { ...valid, runs: 2, interval: 10 },
      'Drip-feed is not available for this service',
    ],
  ];
  for (const [label, params, message] of cases) {
    it(`${label}: ${message}`, async () => {
      const user = await panel.customer('100');
      await refused(user, { service, ...params }, message);
    });
  }

  it('the complete valid set is accepted', async () => {
    const user = await panel.customer('100');
    await placed(user, { service, ...valid, expiry: '28/11/2026' });
    expect(await apiBalance(user)).toBe('100.00000');
  });
});

describe('add: duplicate active links', () => {
  const DUPLICATE = 'You have active order with this link. Please wait until order being completed.';

  it('a second order of the same link is refused while the first is active, and allowed once it is Completed', async () => {
    const service = await panel.createService({
      rate: '0.90',
      min: 10,
      max: 10000,
      allowDuplicateLinks: false,
    });
    const user = await panel.customer('100');
    const link = 'https://instagram.com/p/Dup1';
    const first = await placed(user, { service, link, quantity: 100 });
    await refused(user, { service, link, quantity: 100 }, DUPLICATE);
    await refused(user, { service, link, quantity: 200 }, DUPLICATE);

    // Still active while in progress.
    expect((await updateOrderStatus(panel.ctx, { orderId: first, status: 'In progress' })).ok).toBe(true);
    await refused(user, { service, link, quantity: 100 }, DUPLICATE);

    const completed = await updateOrderStatus(panel.ctx, { orderId: first, status: 'Completed' });
    expect(completed.ok).toBe(true);
    const second = await placed(user, { service, link, quantity: 100 });
    expect(second).not.toBe(first);
    // Two charges of 0.09000.
    expect(await apiBalance(user)).toBe('99.82000');
    // The new order holds the link again.
    await refused(user, { service, link, quantity: 100 }, DUPLICATE);
  });

  it('a Canceled order releases its link', async () => {
    const service = await panel.createService({
      rate: '0.90',
      min: 10,
      max: 10000,
      allowDuplicateLinks: false,
    });
    const user = await panel.customer('100');
    const link = 'https://instagram.com/p/Dup2';
    const first = await placed(user, { service, link, quantity: 100 });
    await refused(user, { service, link, quantity: 100 }, DUPLICATE);
    expect((await updateOrderStatus(panel.ctx, { orderId: first, status: 'Canceled' })).ok).toBe(true);
    await placed(user, { service, link, quantity: 100 });
    // Charged twice, refunded once.
    expect(await apiBalance(user)).toBe('99.91000');
  });

  it('other links, and the same link on another service, are not affected', async () => {
    const service = await panel.createService({
      rate: '0.90',
      min: 10,
      max: 10000,
      allowDuplicateLinks: false,
    });
    const other = await panel.createService({
      rate: '0.90',
      min: 10,
      max: 10000,
      allowDuplicateLinks: false,
    });
    const user = await panel.customer('100');
    const link = 'https://instagram.com/p/Dup3';
    await placed(user, { service, link, quantity: 100 });
    await placed(user, { service, link: `${link}x`, quantity: 100 });
    await placed(user, { service: other, link, quantity: 100 });
    expect(await apiBalance(user)).toBe('99.73000');
  });

  it('a service that allows duplicates takes the same link again and again', async () => {
    const service = await panel.createService({
      rate: '0.90',
      min: 10,
      max: 10000,
      allowDuplicateLinks: true,
    });
    const user = await panel.customer('100');
    const link = 'https://instagram.com/p/Dup4';
    const ids = [
      await placed(user, { service, link, quantity: 100 }),
      await placed(user, { service, link, quantity: 100 }),
      await placed(user, { service, link, quantity: 100 }),
    ];
    expect(new Set(ids).size).toBe(3);
    expect(await count(countOrdersOf, [user.id])).toBe(3);
    expect(await apiBalance(user)).toBe('99.73000');
  });
});

describe('add: errors are the same over every transport', () => {
  const transports: Transport[] = ['form', 'multipart', 'json', 'get'];
  for (const transport of transports) {
    it(`${transport}: service, link, quantity, funds`, async () => {
      const service = await panel.createService({ rate: '0.90', min: 50, max: 10000 });
      const user = await panel.customer('0.01');
      await refused(user, { service: 'abc', link: LINK, quantity: 100 }, 'Incorrect service ID', transport);
      await refused(user, { service, quantity: 100 }, 'Incorrect link', transport);
      await refused(user, { service, link: LINK, quantity: '1.5' }, 'Incorrect quantity', transport);
      await refused(user, { service, link: LINK, quantity: 49 }, 'Quantity less than minimal 50', transport);
      await refused(user, { service, link: LINK, quantity: 100 }, 'Not enough funds on balance', transport);
    });
  }
});
