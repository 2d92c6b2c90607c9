/**
 * Parameters of `add`, one variant per service type. `type` is never sent (the panel knows each
 * service's type); it selects the parameter set so that TypeScript rejects a field that belongs to
 * another type instead of the client silently dropping it.
 */

/** Several lines: give an array, or a string already separated by `\n` or `\r\n`. */
export type TextLines = string | readonly string[];

/** The only delays (minutes) a subscription accepts. */
export const SUBSCRIPTION_DELAYS = [
  0, 5, 10, 15, 20, 30, 40, 50, 60, 90, 120, 150, 180, 210, 240, 270, 300, 360, 420, 480, 540, 600,
] as const;

export type SubscriptionDelay = (typeof SUBSCRIPTION_DELAYS)[number];

interface OrderBase {
  service: number;
  /**
   * Idempotency key (up to 64 characters), sent as `request_id`. The panel answers a repeat with
   * the first answer instead of placing a second order, which is also what allows the client to
   * retry `add` after a timeout. Not part of the original API: other panels may ignore it.
   */
  requestId?: string;
}

export interface DefaultOrder extends OrderBase {
  type: 'Default';
  link: string;
  quantity: number;
  /** Drip-feed: number of runs (at least 2); the whole `runs × quantity` is charged up front. */
  runs?: number;
  /** Drip-feed: minutes between runs (at least 1). */
  interval?: number;
}

export interface PackageOrder extends OrderBase {
  type: 'Package';
  link: string;
}

export interface CustomCommentsOrder extends OrderBase {
  type: 'Custom Comments';
  link: string;
  /** One comment per line; the quantity is the number of non-empty lines. */
  comments: TextLines;
}

export interface CustomCommentsPackageOrder extends OrderBase {
  type: 'Custom Comments Package';
  link: string;
  comments: TextLines;
}

export interface MentionsOrder extends OrderBase {
  type: 'Mentions';
  link: string;
  quantity: number;
  usernames: TextLines;
}

export interface MentionsWithHashtagsOrder extends OrderBase {
  type: 'Mentions with Hashtags';
  link: string;
  quantity: number;
  usernames: TextLines;
  hashtags: TextLines;
}

export interface MentionsCustomListOrder extends OrderBase {
  type: 'Mentions Custom List';
  link: string;
  /** The quantity is the number of usernames. */
  usernames: TextLines;
}

export interface MentionsHashtagOrder extends OrderBase {
  type: 'Mentions Hashtag';
  link: string;
  quantity: number;
  hashtag: string;
}

export interface MentionsUserFollowersOrder extends OrderBase {
  type: 'Mentions User Followers';
  link: string;
  quantity: number;
  /** URL of the account whose followers are mentioned. */
  username: string;
}

export interface MentionsMediaLikersOrder extends OrderBase {
  type: 'Mentions Media Likers';
  link: string;
  quantity: number;
  media: string;
}

export interface CommentLikesOrder extends OrderBase {
  type: 'Comment Likes';
  link: string;
  quantity: number;
  /** Owner of the comment to like. */
  username: string;
}

export interface CommentRepliesOrder extends OrderBase {
  type: 'Comment Replies';
  link: string;
  username: string;
  /** The quantity is the number of comments. */
  comments: TextLines;
}

export interface PollOrder extends OrderBase {
  type: 'Poll';
  link: string;
  quantity: number;
  /** Sent as `answer_number`. */
  answerNumber: number;
}

export interface InvitesFromGroupsOrder extends OrderBase {
  type: 'Invites from Groups';
  link: string;
  quantity: number;
  groups: TextLines;
}

export interface SeoOrder extends OrderBase {
  type: 'SEO';
  link: string;
  quantity: number;
  keywords: TextLines;
}

export interface SubscriptionsOrder extends OrderBase {
  type: 'Subscriptions';
  username: string;
  /** Quantity of each child order, lower bound. */
  min: number;
  /** Quantity of each child order, upper bound. */
  max: number;
  /** Limit on new posts to process; unlimited when omitted. */
  posts?: number;
  /** Existing posts to process too, where the service offers it. Sent as `old_posts`. */
  oldPosts?: number;
  /** Minutes to wait after a post appears. */
  delay: SubscriptionDelay;
  /**
   * `d/m/Y`, e.g. `"31/12/2030"`. A string rather than a Date because which day a Date falls on
   * depends on a time zone, and the panel would read it in its own.
   */
  expiry?: string;
}

export type AddOrderParams =
  | DefaultOrder
  | PackageOrder
  | CustomCommentsOrder
  | CustomCommentsPackageOrder
  | MentionsOrder
  | MentionsWithHashtagsOrder
  | MentionsCustomListOrder
  | MentionsHashtagOrder
  | MentionsUserFollowersOrder
  | MentionsMediaLikersOrder
  | CommentLikesOrder
  | CommentRepliesOrder
  | PollOrder
  | InvitesFromGroupsOrder
  | SeoOrder
  | SubscriptionsOrder;

export type FormFields = [name: string, value: string][];

/** The form fields of `add` after `key` and `action`, in the order of the API documentation. */
export function addOrderFields(params: AddOrderParams): FormFields {
  const fields: FormFields = [['service', String(params.service)]];
  const append = (name: string, value: string | number | TextLines | undefined): void => {
    if (value === undefined) return;
    fields.push([
      name,
      typeof value === 'string' || typeof value === 'number' ? String(value) : value.join('\n'),
    ]);
  };

  switch (params.type) {
    case 'Default':
      append('link', params.link);
      append('quantity', params.quantity);
      append('runs', params.runs);
      append('interval', params.interval);
      break;
    case 'Package':
      append('link', params.link);
      break;
    case 'Custom Comments':
    case 'Custom Comments Package':
      append('link', params.link);
      append('comments', params.comments);
      break;
    case 'Mentions':
      append('link', params.link);
      append('quantity', params.quantity);
      append('usernames', params.usernames);
      break;
    case 'Mentions with Hashtags':
      append('link', params.link);
      append('quantity', params.quantity);
      append('usernames', params.usernames);
      append('hashtags', params.hashtags);
      break;
    case 'Mentions Custom List':
      append('link', params.link);
      append('usernames', params.usernames);
      break;
    case 'Mentions Hashtag':
      append('link', params.link);
      append('quantity', params.quantity);
      append('hashtag', params.hashtag);
      break;
    case 'Mentions User Followers':
    case 'Comment Likes':
      append('link', params.link);
      append('quantity', params.quantity);
      append('username', params.username);
      break;
    case 'Mentions Media Likers':
      append('link', params.link);
      append('quantity', params.quantity);
      append('media', params.media);
      break;
    case 'Comment Replies':
      append('link', params.link);
      append('username', params.username);
      append('comments', params.comments);
      break;
    case 'Poll':
      append('link', params.link);
      append('quantity', params.quantity);
      append('answer_number', params.answerNumber);
      break;
    case 'Invites from Groups':
      append('link', params.link);
      append('quantity', params.quantity);
      append('groups', params.groups);
      break;
    case 'SEO':
      append('link', params.link);
      append('quantity', params.quantity);
      append('keywords', params.keywords);
      break;
    case 'Subscriptions':
      append('username', params.username);
      append('min', params.min);
      append('max', params.max);
      append('posts', params.posts);
      append('old_posts', params.oldPosts);
      append('delay', params.delay);
      append('expiry', params.expiry);
      break;
    default:
      return rejectUnknownType(params);
  }

  append('request_id', params.requestId);
  return fields;
}

/** Reached only from JavaScript or a cast: sending the order without its parameters would be worse. */
function rejectUnknownType(params: never): never {
  const type: unknown = (params as { type?: unknown }).type;
  throw new TypeError(`Unknown service type ${JSON.stringify(type)}; expected one of the API v2 types`);
}
