import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import {
  SERVICE_TYPES,
  SERVICE_TYPE_NAMES,
  SUBSCRIPTION_DELAYS,
  type ServiceTypeName,
  isServiceTypeName,
} from './service-types.js';

describe('SERVICE_TYPE_NAMES', () => {
  it('lists the 16 types of API_V2.md by their exact names', () => {
    expect(SERVICE_TYPE_NAMES).toEqual([
      'Default',
      'Package',
      'Custom Comments',
      'Custom Comments Package',
      'Mentions',
      'Mentions with Hashtags',
      'Mentions Custom List',
      'Mentions Hashtag',
      'Mentions User Followers',
      'Mentions Media Likers',
      'Comment Likes',
      'Comment Replies',
      'Poll',
      'Invites from Groups',
      'SEO',
      'Subscriptions',
    ]);
  });

  it('has one spec per name, named after its key', () => {
    expect(Object.keys(SERVICE_TYPES).sort()).toEqual([...SERVICE_TYPE_NAMES].sort());
    for (const name of SERVICE_TYPE_NAMES) expect(SERVICE_TYPES[name].name).toBe(name);
  });
});

describe('SERVICE_TYPES: the parameter sets of API_V2.md', () => {
  it.each([
    ['Default', ['link', 'quantity'], []],
    ['Package', ['link'], []],
    ['Custom Comments', ['link', 'comments'], []],
    ['Custom Comments Package', ['link', 'comments'], []],
    ['Mentions', ['link', 'quantity', 'usernames'], []],
    ['Mentions with Hashtags', ['link', 'quantity', 'usernames', 'hashtags'], []],
    ['Mentions Custom List', ['link', 'usernames'], []],
    ['Mentions Hashtag', ['link', 'quantity', 'hashtag'], []],
    ['Mentions User Followers', ['link', 'quantity', 'username'], []],
    ['Mentions Media Likers', ['link', 'quantity', 'media'], []],
    ['Comment Likes', ['link', 'quantity', 'username'], []],
    ['Comment Replies', ['link', 'username', 'comments'], []],
    ['Poll', ['link', 'quantity', 'answer_number'], []],
    ['Invites from Groups', ['link', 'quantity', 'groups'], []],
    ['SEO', ['link', 'quantity', 'keywords'], []],
    ['Subscriptions', ['username', 'min', 'max', 'delay'], ['posts', 'old_posts', 'expiry']],
  ] as [ServiceTypeName, string[], string[]][])('%s requires %j, accepts %j', (name, required, optional) => {
    expect(SERVICE_TYPES[name].required).toEqual(required);
    expect(SERVICE_TYPES[name].optional).toEqual(optional);
  });

  it.each([
    ['Default', { from: 'param' }, 'per1000'],
    ['Package', { from: 'fixed', quantity: 1 }, 'flat'],
    ['Custom Comments', { from: 'lines', param: 'comments' }, 'per1000'],
    ['Custom Comments Package', { from: 'lines', param: 'comments' }, 'flat'],
    ['Mentions', { from: 'param' }, 'per1000'],
    ['Mentions with Hashtags', { from: 'param' }, 'per1000'],
    ['Mentions Custom List', { from: 'lines', param: 'usernames' }, 'per1000'],
    ['Mentions Hashtag', { from: 'param' }, 'per1000'],
    ['Mentions User Followers', { from: 'param' }, 'per1000'],
    ['Mentions Media Likers', { from: 'param' }, 'per1000'],
    ['Comment Likes', { from: 'param' }, 'per1000'],
    ['Comment Replies', { from: 'lines', param: 'comments' }, 'per1000'],
    ['Poll', { from: 'param' }, 'per1000'],
    ['Invites from Groups', { from: 'param' }, 'per1000'],
    ['SEO', { from: 'param' }, 'per1000'],
    ['Subscriptions', { from: 'subscription' }, 'perChild'],
  ] as [ServiceTypeName, object, string][])(
    '%s takes its quantity from %j, priced %s',
    (name, quantity, pricing) => {
      expect(SERVICE_TYPES[name].quantity).toEqual(quantity);
      expect(SERVICE_TYPES[name].pricing).toBe(pricing);
    },
  );

  it('takes quantity as a parameter exactly when the parameter set names it', () => {
    for (const name of SERVICE_TYPE_NAMES) {
      const spec = SERVICE_TYPES[name];
      expect(spec.required.includes('quantity')).toBe(spec.quantity.from === 'param');
    }
  });

  it('only Default can be drip-fed', () => {
    const capable = SERVICE_TYPE_NAMES.filter((name) => SERVICE_TYPES[name].dripfeedCapable);
    expect(capable).toEqual(['Default']);
  });
});

describe('isServiceTypeName', () => {
  it('accepts every type name', () => {
    for (const name of SERVICE_TYPE_NAMES) expect(isServiceTypeName(name)).toBe(true);
  });

  it.each(['', 'default', 'DEFAULT', 'Subscription', 'Custom comments', ' Default', 'Default ', 'toString'])(
    'rejects %j',
    (text) => {
      expect(isServiceTypeName(text)).toBe(false);
    },
  );

  it('accepts nothing outside the list', () => {
    fc.assert(
      fc.property(fc.string(), (text) => {
        expect(isServiceTypeName(text)).toBe((SERVICE_TYPE_NAMES as readonly string[]).includes(text));
      }),
    );
  });
});

describe('SUBSCRIPTION_DELAYS', () => {
  it('lists the delays of the API page, in minutes', () => {
    expect(SUBSCRIPTION_DELAYS).toEqual([
      0, 5, 10, 15, 20, 30, 40, 50, 60, 90, 120, 150, 180, 210, 240, 270, 300, 360, 420, 480, 540, 600,
    ]);
  });
});
