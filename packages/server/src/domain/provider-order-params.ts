import type { AddOrderParams, SubscriptionDelay } from '@smmkit/client';
import type { ServiceTypeName } from './service-types.js';

/** What forwarding an order needs to know of it: the fields `add` validated and stored. */
export interface ForwardedOrder {
  readonly type: ServiceTypeName;
  readonly providerServiceId: string;
  readonly link: string | null;
  /** Per run for a drip-feed run; what the customer ordered otherwise. */
  readonly quantity: number;
  /** The order's `details` column: the type's parameters as `add` parsed them. */
  readonly details: string;
  readonly requestId: string;
}

type Details = Readonly<Record<string, unknown>>;

function text(details: Details, name: string): string {
  const value = details[name];
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  throw new Error(`order details lack ${name}`);
}

function lines(details: Details, name: string): string[] {
  const value = details[name];
  if (Array.isArray(value) && value.every((line) => typeof line === 'string')) return value;
  if (typeof value === 'string') return value.split('\n');
  throw new Error(`order details lack ${name}`);
}

function integer(details: Details, name: string): number {
  const value = Number(details[name]);
  if (!Number.isSafeInteger(value)) throw new Error(`order details lack ${name}`);
  return value;
}

function optionalInteger(details: Details, name: string): number | undefined {
  return details[name] === undefined || details[name] === null ? undefined : integer(details, name);
}

/**
 * The provider's `add` parameters for one of our orders: the provider's service id, the link and
 * quantity, and the type's own fields, exactly as the customer gave them. A drip-feed run goes out
 * as an ordinary order of its run quantity (the drip is ours). Throws when the stored order cannot
 * be expressed (it was validated at `add`, so that is a bug, not a customer error).
 */
export function providerOrderParams(order: ForwardedOrder): AddOrderParams {
  const service = Number(order.providerServiceId);
  if (!Number.isSafeInteger(service) || service < 1) {
    throw new Error(`provider service id ${JSON.stringify(order.providerServiceId)} is not a number`);
  }
  const details = JSON.parse(order.details) as Details;
  const link = order.link ?? '';
  const quantity = order.quantity;
  const requestId = order.requestId;
  switch (order.type) {
    case 'Default':
      return { type: 'Default', service, link, quantity, requestId };
    case 'Package':
      return { type: 'Package', service, link, requestId };
    case 'Custom Comments':
    case 'Custom Comments Package':
      return { type: order.type, service, link, comments: lines(details, 'comments'), requestId };
    case 'Mentions':
      return { type: 'Mentions', service, link, quantity, usernames: lines(details, 'usernames'), requestId };
    case 'Mentions with Hashtags':
      return {
        type: 'Mentions with Hashtags',
        service,
        link,
        quantity,
        usernames: lines(details, 'usernames'),
        hashtags: lines(details, 'hashtags'),
        requestId,
      };
    case 'Mentions Custom List':
      return {
        type: 'Mentions Custom List',
        service,
        link,
        usernames: lines(details, 'usernames'),
        requestId,
      };
    case 'Mentions Hashtag':
      return {
        type: 'Mentions Hashtag',
        service,
        link,
        quantity,
        hashtag: text(details, 'hashtag'),
        requestId,
      };
    case 'Mentions User Followers':
    case 'Comment Likes':
      return { type: order.type, service, link, quantity, username: text(details, 'username'), requestId };
    case 'Mentions Media Likers':
      return {
        type: 'Mentions Media Likers',
        service,
        link,
        quantity,
        media: text(details, 'media'),
        requestId,
      };
    case 'Comment Replies':
      return {
        type: 'Comment Replies',
        service,
        link,
        username: text(details, 'username'),
        comments: lines(details, 'comments'),
        requestId,
      };
    case 'Poll':
      return {
        type: 'Poll',
        service,
        link,
        quantity,
        answerNumber: integer(details, 'answer_number'),
        requestId,
      };
    case 'Invites from Groups':
      return {
        type: 'Invites from Groups',
        service,
        link,
        quantity,
        groups: lines(details, 'groups'),
        requestId,
      };
    case 'SEO':
      return { type: 'SEO', service, link, quantity, keywords: lines(details, 'keywords'), requestId };
    case 'Subscriptions': {
      const expiry = details.expiry;
      return {
        type: 'Subscriptions',
        service,
        username: text(details, 'username'),
        min: integer(details, 'min'),
        max: integer(details, 'max'),
        ...(optionalInteger(details, 'posts') === undefined ? {} : { posts: integer(details, 'posts') }),
        ...(optionalInteger(details, 'old_posts') ? { oldPosts: integer(details, 'old_posts') } : {}),
        delay: integer(details, 'delay') as SubscriptionDelay,
        ...(typeof expiry === 'string' ? { expiry } : {}),
        requestId,
      };
    }
  }
}
