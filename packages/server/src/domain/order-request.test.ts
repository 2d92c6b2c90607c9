import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { type Result, failureMessage } from './errors.js';
import {
  type OrderRequest,
  type OrderableService,
  type RawParams,
  formatExpiry,
  parseExpiry,
  parseOrderRequest,
  splitLines,
} from './order-request.js';
import {
  SERVICE_TYPES,
  SERVICE_TYPE_NAMES,
  SUBSCRIPTION_DELAYS,
  type ServiceTypeName,
} from './service-types.js';
import { hasUnsafeCharacters } from './text-safety.js';

/** A fixed clock: Sunday 15 March 2026, noon UTC. */
const NOW = new Date('2026-03-15T12:00:00Z');
const LINK = 'https://instagram.com/p/abc123';

const service = (type: ServiceTypeName, overrides: Partial<OrderableService> = {}): OrderableService => ({
  type,
  min: 1,
  max: 10000,
  dripfeed: false,
  ...overrides,
});

const parse = (svc: OrderableService, raw: RawParams, now: Date = NOW): Result<OrderRequest> =>
  parseOrderRequest(svc, raw, now);

/** The API error string of a failed parse; throws if it succeeded. */
function errorOf(result: Result<OrderRequest>): string {
  if (result.ok) throw new Error(`expected a failure, got ${JSON.stringify(result.value)}`);
  return failureMessage(result.failure);
}

/** The request of a successful parse; throws with the API error otherwise. */
function valueOf(result: Result<OrderRequest>): OrderRequest {
  if (!result.ok) throw new Error(`expected success, got "${failureMessage(result.failure)}"`);
  return result.value;
}

const lines = (count: number, prefix = 'line'): string =>
  Array.from({ length: count }, (_, i) => `${prefix} ${i + 1}`).join('\n');

interface TypeCase {
  readonly raw: Record<string, string>;
  readonly expected: OrderRequest;
}

/** A valid `add` for each of the 16 types, and what it yields. */
const VALID: Record<ServiceTypeName, TypeCase> = {
  Default: {
    raw: { link: LINK, quantity: '100' },
    expected: {
      type: 'Default',
      link: LINK,
      quantity: 100,
      runs: null,
      interval: null,
      details: {},
      subscription: null,
    },
  },
  Package: {
    raw: { link: LINK },
    expected: {
      type: 'Package',
      link: LINK,
      quantity: 1,
      runs: null,
      interval: null,
      details: {},
      subscription: null,
    },
  },
  'Custom Comments': {
    raw: { link: LINK, comments: 'Great post!\r\nNice\n\n   \r\nWow 🔥\n' },
    expected: {
      type: 'Custom Comments',
      link: LINK,
      quantity: 3,
      runs: null,
      interval: null,
      details: { comments: ['Great post!', 'Nice', 'Wow 🔥'] },
      subscription: null,
    },
  },
  'Custom Comments Package': {
    raw: { link: LINK, comments: 'first\nsecond' },
    expected: {
      type: 'Custom Comments Package',
      link: LINK,
      quantity: 2,
      runs: null,
      interval: null,
      details: { comments: ['first', 'second'] },
      subscription: null,
    },
  },
  Mentions: {
    raw: { link: LINK, quantity: '200', usernames: 'alice\r\nbob' },
    expected: {
      type: 'Mentions',
      link: LINK,
      quantity: 200,
      runs: null,
      interval: null,
      details: { usernames: ['alice', 'bob'] },
      subscription: null,
    },
  },
  'Mentions with Hashtags': {
    raw: { link: LINK, quantity: '300', usernames: 'alice\nbob', hashtags: '#sale\n#summer' },
    expected: {
      type: 'Mentions with Hashtags',
      link: LINK,
      quantity: 300,
      runs: null,
      interval: null,
      details: { usernames: ['alice', 'bob'], hashtags: ['#sale', '#summer'] },
      subscription: null,
    },
  },
  'Mentions Custom List': {
    raw: { link: LINK, usernames: 'alice\nbob\n\ncarol' },
    expected: {
      type: 'Mentions Custom List',
      link: LINK,
      quantity: 3,
      runs: null,
      interval: null,
      details: { usernames: ['alice', 'bob', 'carol'] },
      subscription: null,
    },
  },
  'Mentions Hashtag': {
    raw: { link: LINK, quantity: '400', hashtag: '#sale' },
    expected: {
      type: 'Mentions Hashtag',
      link: LINK,
      quantity: 400,
      runs: null,
      interval: null,
      details: { hashtag: '#sale' },
      subscription: null,
    },
  },
  'Mentions User Followers': {
    raw: { link: LINK, quantity: '500', username: 'https://instagram.com/someone' },
    expected: {
      type: 'Mentions User Followers',
      link: LINK,
      quantity: 500,
      runs: null,
      interval: null,
      details: { username: 'https://instagram.com/someone' },
      subscription: null,
    },
  },
  'Mentions Media Likers': {
    raw: { link: LINK, quantity: '600', media: 'https://instagram.com/p/xyz' },
    expected: {
      type: 'Mentions Media Likers',
      link: LINK,
      quantity: 600,
      runs: null,
      interval: null,
      details: { media: 'https://instagram.com/p/xyz' },
      subscription: null,
    },
  },
  'Comment Likes': {
    raw: { link: LINK, quantity: '700', username: 'commenter' },
    expected: {
      type: 'Comment Likes',
      link: LINK,
      quantity: 700,
      runs: null,
      interval: null,
      details: { username: 'commenter' },
      subscription: null,
    },
  },
  'Comment Replies': {
    raw: { link: LINK, username: 'owner', comments: 'thanks!\r\nagreed' },
    expected: {
      type: 'Comment Replies',
      link: LINK,
      quantity: 2,
      runs: null,
      interval: null,
      details: { username: 'owner', comments: ['thanks!', 'agreed'] },
      subscription: null,
    },
  },
  Poll: {
    raw: { link: LINK, quantity: '800', answer_number: '2' },
    expected: {
      type: 'Poll',
      link: LINK,
      quantity: 800,
      runs: null,
      interval: null,
      details: { answer_number: 2 },
      subscription: null,
    },
  },
  'Invites from Groups': {
    raw: { link: LINK, quantity: '900', groups: 'group-a\ngroup-b' },
    expected: {
      type: 'Invites from Groups',
      link: LINK,
      quantity: 900,
      runs: null,
      interval: null,
      details: { groups: ['group-a', 'group-b'] },
      subscription: null,
    },
  },
  SEO: {
    raw: { link: LINK, quantity: '1000', keywords: 'buy followers\nsmm panel' },
    expected: {
      type: 'SEO',
      link: LINK,
      quantity: 1000,
      runs: null,
      interval: null,
      details: { keywords: ['buy followers', 'smm panel'] },
      subscription: null,
    },
  },
  Subscriptions: {
    raw: { username: 'target', min: '100', max: '200', delay: '30' },
    expected: {
      type: 'Subscriptions',
      link: null,
      quantity: 0,
      runs: null,
      interval: null,
      details: { username: 'target', min: 100, max: 200, delay: 30 },
      subscription: {
        username: 'target',
        min: 100,
        max: 200,
        posts: null,
        oldPosts: 0,
        delay: 30,
        expiry: null,
      },
    },
  },
};

/** An invalid value for each parameter, beyond leaving it out. */
const INVALID_VALUE: Record<string, string[]> = {
  link: ['two words', 'x'.repeat(2049), 'line\nbreak'],
  quantity: ['abc', '0', '-5', '1.5', '1e3', '+5', '0x10', '1 000', '1234567890123456'],
  comments: ['\n  \r\n\t\n'],
  usernames: ['\r\n\r\n'],
  hashtags: [' \n '],
  groups: ['\n'],
  keywords: ['\r\n'],
  hashtag: ['#a\n#b', 'x'.repeat(501)],
  username: ['alice\nbob', 'a\rb', 'a\0b', 'x'.repeat(501)],
  media: ['one\ntwo', 'x'.repeat(501)],
  answer_number: ['0', 'two', '-1', '1.0'],
  min: ['0', 'ten', '-1'],
  max: ['0', 'ten', '1.5'],
  delay: ['25', '1', '601', 'abc', '-5', '30.0'],
};

describe('parseOrderRequest: a valid request of every type', () => {
  it('covers all 16 types', () => {
    expect(Object.keys(VALID).sort()).toEqual([...SERVICE_TYPE_NAMES].sort());
  });

  it.each(SERVICE_TYPE_NAMES.map((name) => [name]))('%s', (name) => {
    const { raw, expected } = VALID[name];
    expect(valueOf(parse(service(name), raw))).toEqual(expected);
  });

  it('trims surrounding whitespace from every parameter', () => {
    const result = valueOf(
      parse(service('Poll'), { link: `  ${LINK}\n`, quantity: ' 100 ', answer_number: '\t3 ' }),
    );
    expect(result.link).toBe(LINK);
    expect(result.quantity).toBe(100);
    expect(result.details).toEqual({ answer_number: 3 });
  });

  it('accepts a quantity with leading zeros and the largest 15-digit quantity', () => {
    expect(valueOf(parse(service('Default'), { link: LINK, quantity: '0050' })).quantity).toBe(50);
    expect(
      valueOf(
        parse(service('Default', { max: 999_999_999_999_999 }), { link: LINK, quantity: '999999999999999' }),
      ).quantity,
    ).toBe(999_999_999_999_999);
  });

  it('accepts a link of 2048 characters', () => {
    const link = `https://x.co/${'a'.repeat(2048 - 13)}`;
    expect(link).toHaveLength(2048);
    expect(valueOf(parse(service('Package'), { link })).link).toBe(link);
  });

  it('accepts a username of 500 characters with inner spaces', () => {
    const username = `a b${'c'.repeat(497)}`;
    expect(
      valueOf(parse(service('Comment Likes'), { link: LINK, quantity: '10', username })).details,
    ).toEqual({
      username,
    });
  });

  it('ignores parameters that are not in the type’s set', () => {
    const result = valueOf(
      parse(service('Default'), {
        link: LINK,
        quantity: '100',
        comments: 'ignored',
        username: 'ignored',
        answer_number: 'not even a number',
        service: '5',
        key: 'secret',
      }),
    );
    expect(result.details).toEqual({});
    expect(result.quantity).toBe(100);
  });

  it('derives the quantity from the lines, ignoring a quantity parameter', () => {
    const result = valueOf(
      parse(service('Custom Comments'), { link: LINK, quantity: '5000', comments: 'a\nb' }),
    );
    expect(result.quantity).toBe(2);
    expect(valueOf(parse(service('Package'), { link: LINK, quantity: '5000' })).quantity).toBe(1);
  });

  it('does not take a link for a subscription', () => {
    const result = valueOf(parse(service('Subscriptions'), { ...VALID.Subscriptions.raw, link: LINK }));
    expect(result.link).toBeNull();
    expect(result.details).not.toHaveProperty('link');
  });

  it('treats undefined values as missing', () => {
    expect(errorOf(parse(service('Default'), { link: undefined, quantity: '100' }))).toBe('Incorrect link');
  });
});

describe('parseOrderRequest: each required parameter, missing or invalid', () => {
  const cases = SERVICE_TYPE_NAMES.flatMap((name) =>
    SERVICE_TYPES[name].required.map((param) => [name, param] as const),
  );

  it.each(cases)('%s without %s → "Incorrect %s"', (name, param) => {
    const raw: Record<string, string> = { ...VALID[name].raw };
    delete raw[param];
    expect(errorOf(parse(service(name), raw))).toBe(`Incorrect ${param}`);
    expect(errorOf(parse(service(name), { ...raw, [param]: '' }))).toBe(`Incorrect ${param}`);
    expect(errorOf(parse(service(name), { ...raw, [param]: '   ' }))).toBe(`Incorrect ${param}`);
  });

  it.each(cases)('%s with an invalid %s → "Incorrect %s"', (name, param) => {
    const invalid = INVALID_VALUE[param] ?? [];
    expect(invalid.length).toBeGreaterThan(0);
    for (const value of invalid) {
      expect([value, errorOf(parse(service(name), { ...VALID[name].raw, [param]: value }))]).toEqual([
        value,
        `Incorrect ${param}`,
      ]);
    }
  });

  it.each([
    ['Custom Comments', 'comments', 'Incorrect comments'],
    ['Poll', 'answer_number', 'Incorrect answer_number'],
    ['Comment Likes', 'username', 'Incorrect username'],
    ['Mentions Hashtag', 'hashtag', 'Incorrect hashtag'],
    ['Mentions Media Likers', 'media', 'Incorrect media'],
    ['Invites from Groups', 'groups', 'Incorrect groups'],
    ['SEO', 'keywords', 'Incorrect keywords'],
    ['Mentions with Hashtags', 'hashtags', 'Incorrect hashtags'],
    ['Subscriptions', 'delay', 'Incorrect delay'],
  ] as [ServiceTypeName, string, string][])('%s without %s says %j', (name, param, message) => {
    const raw: Record<string, string> = { ...VALID[name].raw };
    delete raw[param];
    expect(errorOf(parse(service(name), raw))).toBe(message);
  });
});

describe('parseOrderRequest: validation order', () => {
  it('reports the link before the quantity', () => {
    expect(errorOf(parse(service('Default'), {}))).toBe('Incorrect link');
    expect(errorOf(parse(service('Default'), { quantity: 'abc' }))).toBe('Incorrect link');
    expect(errorOf(parse(service('Default'), { link: 'a b', quantity: '0' }))).toBe('Incorrect link');
    expect(errorOf(parse(service('Default'), { link: LINK, quantity: 'abc' }))).toBe('Incorrect quantity');
  });

  it('follows the order of each type’s parameter set', () => {
    expect(errorOf(parse(service('Mentions'), { link: LINK }))).toBe('Incorrect quantity');
    expect(errorOf(parse(service('Mentions'), { link: LINK, quantity: '10' }))).toBe('Incorrect usernames');
    expect(
      errorOf(parse(service('Mentions with Hashtags'), { link: LINK, quantity: '10', usernames: 'a' })),
    ).toBe('Incorrect hashtags');
    expect(errorOf(parse(service('Comment Replies'), { link: LINK }))).toBe('Incorrect username');
    expect(errorOf(parse(service('Comment Replies'), { link: LINK, username: 'u' }))).toBe(
      'Incorrect comments',
    );
    expect(errorOf(parse(service('Subscriptions'), {}))).toBe('Incorrect username');
    expect(errorOf(parse(service('Subscriptions'), { username: 'u' }))).toBe('Incorrect min');
    expect(errorOf(parse(service('Subscriptions'), { username: 'u', min: '10' }))).toBe('Incorrect max');
    expect(errorOf(parse(service('Subscriptions'), { username: 'u', min: '10', max: '20' }))).toBe(
      'Incorrect delay',
    );
  });

  it('checks required parameters before optional ones', () => {
    expect(
      errorOf(parse(service('Subscriptions'), { username: 'u', min: '10', max: '20', expiry: 'junk' })),
    ).toBe('Incorrect delay');
  });

  it('checks the parameters before drip-feed, and drip-feed before the bounds', () => {
    const plain = service('Default', { min: 50 });
    const dripfeed = service('Default', { min: 50, dripfeed: true });
    expect(errorOf(parse(plain, { link: LINK, runs: '5', interval: '10' }))).toBe('Incorrect quantity');
    expect(errorOf(parse(plain, { link: LINK, quantity: '10', runs: '5', interval: '10' }))).toBe(
      'Drip-feed is not available for this service',
    );
    expect(errorOf(parse(dripfeed, { link: LINK, quantity: '10', runs: '1', interval: '10' }))).toBe(
      'Incorrect runs',
    );
    expect(errorOf(parse(dripfeed, { link: LINK, quantity: '10', runs: '5', interval: '10' }))).toBe(
      'Quantity less than minimal 50',
    );
  });

  it('checks the parameters before the subscription bounds', () => {
    const svc = service('Subscriptions', { min: 100, max: 1000 });
    expect(errorOf(parse(svc, { username: 'u', min: '1', max: '5000', delay: '25' }))).toBe(
      'Incorrect delay',
    );
    expect(errorOf(parse(svc, { username: 'u', min: '1', max: '5000', delay: '0', posts: '0' }))).toBe(
      'Incorrect posts',
    );
  });
});

describe('parseOrderRequest: quantity bounds', () => {
  const svc = service('Default', { min: 50, max: 10000 });

  it.each([
    ['49', 'Quantity less than minimal 50'],
    ['1', 'Quantity less than minimal 50'],
    ['10001', 'Quantity more than maximum 10000'],
    ['999999999999999', 'Quantity more than maximum 10000'],
  ])('quantity %s → %j', (quantity, message) => {
    expect(errorOf(parse(svc, { link: LINK, quantity }))).toBe(message);
  });

  it.each([['50'], ['51'], ['9999'], ['10000']])('quantity %s is within bounds', (quantity) => {
    expect(valueOf(parse(svc, { link: LINK, quantity })).quantity).toBe(Number(quantity));
  });

  it('applies to every type that takes a quantity parameter', () => {
    for (const name of SERVICE_TYPE_NAMES.filter((n) => SERVICE_TYPES[n].quantity.from === 'param')) {
      const bounded = service(name, { min: 50, max: 10000 });
      expect(errorOf(parse(bounded, { ...VALID[name].raw, quantity: '49' }))).toBe(
        'Quantity less than minimal 50',
      );
      expect(errorOf(parse(bounded, { ...VALID[name].raw, quantity: '10001' }))).toBe(
        'Quantity more than maximum 10000',
      );
    }
  });

  it.each([
    ['Custom Comments', 'comments'],
    ['Custom Comments Package', 'comments'],
    ['Comment Replies', 'comments'],
    ['Mentions Custom List', 'usernames'],
  ] as [ServiceTypeName, string][])('applies to the quantity %s derives from %s', (name, param) => {
    const bounded = service(name, { min: 50, max: 100 });
    const raw = VALID[name].raw;
    expect(errorOf(parse(bounded, { ...raw, [param]: lines(49) }))).toBe('Quantity less than minimal 50');
    expect(valueOf(parse(bounded, { ...raw, [param]: lines(50) })).quantity).toBe(50);
    expect(valueOf(parse(bounded, { ...raw, [param]: lines(100) })).quantity).toBe(100);
    expect(errorOf(parse(bounded, { ...raw, [param]: lines(101) }))).toBe('Quantity more than maximum 100');
  });

  it('counts only non-blank lines against the bounds', () => {
    const bounded = service('Custom Comments', { min: 3, max: 3 });
    expect(valueOf(parse(bounded, { link: LINK, comments: 'a\n\n\nb\r\n  \r\nc\n\n' })).quantity).toBe(3);
    expect(errorOf(parse(bounded, { link: LINK, comments: 'a\n\n\nb\n\n' }))).toBe(
      'Quantity less than minimal 3',
    );
  });

  it('applies to the fixed quantity of a Package', () => {
    expect(errorOf(parse(service('Package', { min: 50 }), { link: LINK }))).toBe(
      'Quantity less than minimal 50',
    );
    expect(valueOf(parse(service('Package', { min: 1, max: 1 }), { link: LINK })).quantity).toBe(1);
  });

  it('applies to the quantity per run of a drip-feed', () => {
    const dripfeed = service('Default', { min: 50, max: 1000, dripfeed: true });
    const result = valueOf(parse(dripfeed, { link: LINK, quantity: '1000', runs: '10', interval: '60' }));
    expect(result.quantity).toBe(1000);
    expect(result.runs).toBe(10);
    expect(errorOf(parse(dripfeed, { link: LINK, quantity: '1001', runs: '10', interval: '60' }))).toBe(
      'Quantity more than maximum 1000',
    );
  });
});

describe('parseOrderRequest: drip-feed', () => {
  const dripfeed = service('Default', { dripfeed: true });
  const plain = service('Default', { dripfeed: false });
  const base = { link: LINK, quantity: '100' };

  it('yields runs and interval where the service allows it', () => {
    expect(valueOf(parse(dripfeed, { ...base, runs: '5', interval: '10' }))).toEqual({
      type: 'Default',
      link: LINK,
      quantity: 100,
      runs: 5,
      interval: 10,
      details: {},
      subscription: null,
    });
  });

  it('is off when neither runs nor interval is given, or both are blank', () => {
    for (const raw of [
      base,
      { ...base, runs: '', interval: '' },
      { ...base, runs: '  ', interval: undefined },
    ]) {
      const result = valueOf(parse(dripfeed, raw));
      expect([result.runs, result.interval]).toEqual([null, null]);
    }
  });

  it.each([
    [{ runs: '5', interval: '10' }],
    [{ runs: '5' }],
    [{ interval: '10' }],
    [{ runs: 'junk', interval: 'junk' }],
  ])('on a service without drip-feed, %j → "Drip-feed is not available for this service"', (extra) => {
    expect(errorOf(parse(plain, { ...base, ...extra }))).toBe('Drip-feed is not available for this service');
  });

  it.each(SERVICE_TYPE_NAMES.filter((name) => name !== 'Default').map((name) => [name]))(
    'on a %s service, even one flagged for drip-feed → "Drip-feed is not available for this service"',
    (name) => {
      const svc = service(name, { dripfeed: true, max: 1_000_000 });
      expect(errorOf(parse(svc, { ...VALID[name].raw, runs: '5', interval: '10' }))).toBe(
        'Drip-feed is not available for this service',
      );
    },
  );

  it.each([['1'], ['0'], ['-3'], ['abc'], ['2.5'], ['10001']])('runs %j → "Incorrect runs"', (runs) => {
    expect(errorOf(parse(dripfeed, { ...base, runs, interval: '10' }))).toBe('Incorrect runs');
  });

  it('accepts runs from 2 to 10000', () => {
    expect(valueOf(parse(dripfeed, { ...base, runs: '2', interval: '10' })).runs).toBe(2);
    expect(valueOf(parse(dripfeed, { ...base, runs: '10000', interval: '10' })).runs).toBe(10000);
  });

  it('interval given without runs → "Incorrect runs"', () => {
    expect(errorOf(parse(dripfeed, { ...base, interval: '10' }))).toBe('Incorrect runs');
  });

  it('runs given without interval → "Incorrect interval"', () => {
    expect(errorOf(parse(dripfeed, { ...base, runs: '5' }))).toBe('Incorrect interval');
    expect(errorOf(parse(dripfeed, { ...base, runs: '5', interval: ' ' }))).toBe('Incorrect interval');
  });

  it.each([['0'], ['-1'], ['abc'], ['1.5'], ['43201']])('interval %j → "Incorrect interval"', (interval) => {
    expect(errorOf(parse(dripfeed, { ...base, runs: '5', interval }))).toBe('Incorrect interval');
  });

  it('accepts an interval from 1 minute to 30 days', () => {
    expect(valueOf(parse(dripfeed, { ...base, runs: '5', interval: '1' })).interval).toBe(1);
    expect(valueOf(parse(dripfeed, { ...base, runs: '5', interval: '43200' })).interval).toBe(43200);
  });
});

describe('parseOrderRequest: subscriptions', () => {
  const svc = service('Subscriptions', { min: 100, max: 1000 });
  const base = { username: 'target', min: '100', max: '200', delay: '30' };
  const terms = (raw: RawParams, now: Date = NOW) => valueOf(parse(svc, raw, now)).subscription;

  it.each(SUBSCRIPTION_DELAYS.map((delay) => [delay]))('accepts delay %s', (delay) => {
    expect(terms({ ...base, delay: String(delay) })?.delay).toBe(delay);
  });

  it.each([['25'], ['1'], ['35'], ['601'], ['720'], ['-5'], ['abc']])(
    'delay %j → "Incorrect delay"',
    (delay) => {
      expect(errorOf(parse(svc, { ...base, delay }))).toBe('Incorrect delay');
    },
  );

  it('min above max → "Incorrect max"', () => {
    expect(errorOf(parse(svc, { ...base, min: '300', max: '200' }))).toBe('Incorrect max');
  });

  it('accepts min equal to max, and the service bounds themselves', () => {
    expect(terms({ ...base, min: '200', max: '200' })).toMatchObject({ min: 200, max: 200 });
    expect(terms({ ...base, min: '100', max: '1000' })).toMatchObject({ min: 100, max: 1000 });
  });

  it('min below the service min → "Quantity less than minimal 100"', () => {
    expect(errorOf(parse(svc, { ...base, min: '99' }))).toBe('Quantity less than minimal 100');
    expect(errorOf(parse(svc, { ...base, min: '50', max: '60' }))).toBe('Quantity less than minimal 100');
  });

  it('max above the service max → "Quantity more than maximum 1000"', () => {
    expect(errorOf(parse(svc, { ...base, max: '1001' }))).toBe('Quantity more than maximum 1000');
    expect(errorOf(parse(svc, { ...base, min: '2000', max: '3000' }))).toBe(
      'Quantity more than maximum 1000',
    );
  });

  it('posts and old_posts are optional', () => {
    expect(terms(base)).toMatchObject({ posts: null, oldPosts: 0, expiry: null });
    expect(terms({ ...base, posts: '', old_posts: '  ', expiry: '' })).toMatchObject({
      posts: null,
      oldPosts: 0,
      expiry: null,
    });
  });

  it('keeps posts, old_posts and expiry when given', () => {
    const result = valueOf(parse(svc, { ...base, posts: '10', old_posts: '5', expiry: '16/03/2026' }));
    expect(result.subscription).toEqual({
      username: 'target',
      min: 100,
      max: 200,
      posts: 10,
      oldPosts: 5,
      delay: 30,
      expiry: '2026-03-16',
    });
    expect(result.details).toEqual({
      username: 'target',
      min: 100,
      max: 200,
      delay: 30,
      posts: 10,
      old_posts: 5,
      expiry: '2026-03-16',
    });
  });

  it('accepts old_posts 0 but not posts 0', () => {
    expect(terms({ ...base, old_posts: '0' })?.oldPosts).toBe(0);
    expect(errorOf(parse(svc, { ...base, posts: '0' }))).toBe('Incorrect posts');
  });

  it.each([['-1'], ['abc'], ['1.5']])('posts / old_posts %j are incorrect', (value) => {
    expect(errorOf(parse(svc, { ...base, posts: value }))).toBe('Incorrect posts');
    expect(errorOf(parse(svc, { ...base, old_posts: value }))).toBe('Incorrect old_posts');
  });

  it('expiry tomorrow is valid, today or in the past is not', () => {
    expect(terms({ ...base, expiry: '16/03/2026' })?.expiry).toBe('2026-03-16');
    expect(errorOf(parse(svc, { ...base, expiry: '15/03/2026' }))).toBe('Incorrect expiry');
    expect(errorOf(parse(svc, { ...base, expiry: '14/03/2026' }))).toBe('Incorrect expiry');
    expect(errorOf(parse(svc, { ...base, expiry: '01/01/2020' }))).toBe('Incorrect expiry');
  });

  it('judges "tomorrow" by the UTC calendar day of the clock', () => {
    const lateTonight = new Date('2026-03-15T23:59:59.999Z');
    const justAfterMidnight = new Date('2026-03-16T00:00:00Z');
    expect(terms({ ...base, expiry: '16/03/2026' }, lateTonight)?.expiry).toBe('2026-03-16');
    expect(errorOf(parse(svc, { ...base, expiry: '16/03/2026' }, justAfterMidnight))).toBe(
      'Incorrect expiry',
    );
  });

  it.each([
    ['31/02/2027'],
    ['29/02/2027'],
    ['31/04/2027'],
    ['00/05/2027'],
    ['01/00/2027'],
    ['01/13/2027'],
    ['32/01/2027'],
    ['2027-03-16'],
    ['16.03.2027'],
    ['03/16/2027'],
    ['16/03/27'],
    ['16/3/20270'],
    ['tomorrow'],
  ])('expiry %j → "Incorrect expiry"', (expiry) => {
    expect(errorOf(parse(svc, { ...base, expiry }))).toBe('Incorrect expiry');
  });

  it.each([
    ['1/4/2026', '2026-04-01'],
    ['29/02/2028', '2028-02-29'],
    ['31/12/2030', '2030-12-31'],
  ])('expiry %j is %s', (expiry, iso) => {
    expect(terms({ ...base, expiry })?.expiry).toBe(iso);
  });

  it('rejects a multi-line username', () => {
    expect(errorOf(parse(svc, { ...base, username: 'a\nb' }))).toBe('Incorrect username');
  });
});

describe('splitLines', () => {
  it.each([
    ['a\r\nb\nc', ['a', 'b', 'c']],
    ['a\rb', ['a', 'b']],
    ['  a  \n\n\t\n b \r\n\r\n', ['a', 'b']],
    ['single', ['single']],
    ['', []],
    ['\n\r\n  \n', []],
    ['with inner  spaces\nkept', ['with inner  spaces', 'kept']],
  ])('%j → %j', (text, expected) => {
    expect(splitLines(text)).toEqual(expected);
  });

  it('returns exactly the trimmed non-blank lines, whatever the line ending', () => {
    const line = fc.string().filter((s) => !/[\r\n]/.test(s));
    fc.assert(
      fc.property(fc.array(line), fc.constantFrom('\n', '\r\n', '\r'), (items, eol) => {
        const expected = items.map((item) => item.trim()).filter((item) => item !== '');
        expect(splitLines(items.join(eol))).toEqual(expected);
      }),
    );
  });
});

describe('parseExpiry and formatExpiry', () => {
  it('parses d/m/Y into an ISO date', () => {
    expect(parseExpiry('16/03/2026', NOW)).toBe('2026-03-16');
    expect(parseExpiry('5/1/2027', NOW)).toBe('2027-01-05');
    expect(parseExpiry('15/03/2026', NOW)).toBeNull();
    expect(parseExpiry('31/02/2027', NOW)).toBeNull();
  });

  it('rejects two-digit and far-past years rather than mapping them to 19xx', () => {
    expect(parseExpiry('01/01/0050', new Date('1900-01-01T00:00:00Z'))).toBeNull();
  });

  it('formats an ISO date as d/m/Y', () => {
    expect(formatExpiry('2026-03-16')).toBe('16/03/2026');
    expect(formatExpiry('2030-12-01')).toBe('01/12/2030');
  });

  it('round-trips every future date', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 365 * 200 }), (daysAhead) => {
        const iso = new Date(NOW.getTime() + daysAhead * 86_400_000).toISOString().slice(0, 10);
        expect(parseExpiry(formatExpiry(iso), NOW)).toBe(iso);
      }),
    );
  });
});

describe('parseOrderRequest: properties', () => {
  const paramName = fc.constantFrom(
    'link',
    'quantity',
    'comments',
    'usernames',
    'hashtags',
    'hashtag',
    'username',
    'media',
    'answer_number',
    'groups',
    'keywords',
    'min',
    'max',
    'posts',
    'old_posts',
    'delay',
    'expiry',
    'runs',
    'interval',
  );
  const value = fc.oneof(
    fc.string(),
    fc.string({ unit: 'binary' }),
    fc.nat().map(String),
    fc.constantFrom('', ' ', '\n', '0', '2', '30', '16/03/2026', '31/02/2027', LINK, 'a\nb\r\nc'),
  );
  const raw = fc.dictionary(fc.oneof(paramName, fc.string()), value);
  const orderable = fc
    .tuple(
      fc.constantFrom(...SERVICE_TYPE_NAMES),
      fc.integer({ min: 1, max: 100 }),
      fc.nat({ max: 10_000 }),
      fc.boolean(),
    )
    .map(([type, min, span, dripfeed]): OrderableService => ({ type, min, max: min + span, dripfeed }));

  it('never throws on arbitrary string records, and an accepted order is within bounds', () => {
    fc.assert(
      fc.property(orderable, raw, fc.date({ noInvalidDate: true }), (svc, params, now) => {
        const result = parseOrderRequest(svc, params, now);
        if (!result.ok) {
          expect(typeof failureMessage(result.failure)).toBe('string');
          return;
        }
        const request = result.value;
        expect(request.type).toBe(svc.type);
        if (request.subscription) {
          expect(request.quantity).toBe(0);
          expect(request.subscription.min).toBeGreaterThanOrEqual(svc.min);
          expect(request.subscription.max).toBeLessThanOrEqual(svc.max);
          expect(request.subscription.min).toBeLessThanOrEqual(request.subscription.max);
        } else {
          expect(request.quantity).toBeGreaterThanOrEqual(svc.min);
          expect(request.quantity).toBeLessThanOrEqual(svc.max);
        }
        if (request.runs !== null) {
          expect(svc.type).toBe('Default');
          expect(svc.dripfeed).toBe(true);
          expect(request.runs).toBeGreaterThanOrEqual(2);
          expect(request.interval).toBeGreaterThanOrEqual(1);
        }
      }),
    );
  });

  it('a Custom Comments quantity is the number of non-blank comment lines', () => {
    const comment = fc
      .string({ minLength: 1 })
      .filter((s) => !/[\r\n]/.test(s) && s.trim() !== '' && !hasUnsafeCharacters(s));
    // Blank: spaces only (a tab is a control character, refused: see text-safety.test.ts).
    const blank = fc.constantFrom('', ' ', '   ');
    fc.assert(
      fc.property(fc.array(fc.oneof(comment, blank), { maxLength: 50 }), (items) => {
        const expected = items.map((item) => item.trim()).filter((item) => item !== '');
        const result = parse(service('Custom Comments', { min: 1, max: 100 }), {
          link: LINK,
          comments: items.join('\r\n'),
        });
        if (expected.length === 0) {
          expect(errorOf(result)).toBe('Incorrect comments');
        } else {
          const request = valueOf(result);
          expect(request.quantity).toBe(expected.length);
          expect(request.details).toEqual({ comments: expected });
        }
      }),
    );
  });
});

describe('drip-feed fields sent as zero', () => {
  it('reads runs=0 and interval=0 (or empty) as an ordinary order, as many scripts send them', () => {
    const service = { type: 'Default' as const, min: 10, max: 1000, dripfeed: false };
    for (const [runs, interval] of [
      ['0', '0'],
      ['', ''],
      ['0', ''],
      ['00', '0'],
    ] as const) {
      const result = parseOrderRequest(
        service,
        { link: 'https://x/y', quantity: '100', runs, interval },
        new Date(),
      );
      expect(result).toMatchObject({ ok: true, value: { quantity: 100, runs: null, interval: null } });
    }
    const dripfeed = parseOrderRequest(
      service,
      { link: 'https://x/y', quantity: '100', runs: '0', interval: '5' },
      new Date(),
    );
    expect(dripfeed).toEqual({ ok: false, failure: { code: 'DRIPFEED_UNAVAILABLE' } });
  });
});
