import { type Failure, type Result, fail, ok } from './errors.js';
import {
  type OrderParamName,
  SERVICE_TYPES,
  SUBSCRIPTION_DELAYS,
  type ServiceTypeName,
  type ServiceTypeSpec,
} from './service-types.js';
import { MAX_OLD_POSTS } from './subscriptions.js';
import { hasUnsafeCharacters, hasUnsafeCharactersInLines } from './text-safety.js';

/** What `add` needs to know about the service being ordered. */
export interface OrderableService {
  readonly type: ServiceTypeName;
  readonly min: number;
  readonly max: number;
  readonly dripfeed: boolean;
}

export interface SubscriptionTerms {
  readonly username: string;
  readonly min: number;
  readonly max: number;
  /** Future posts to process; null = unlimited. */
  readonly posts: number | null;
  readonly oldPosts: number;
  readonly delay: number;
  /** ISO date (YYYY-MM-DD) the subscription expires at the start of (UTC); null = never. */
  readonly expiry: string | null;
}

/** A validated `add`: trusted from here on. */
export interface OrderRequest {
  readonly type: ServiceTypeName;
  readonly link: string | null;
  /** Quantity per run (the whole order when not drip-fed); 0 for a subscription. */
  readonly quantity: number;
  readonly runs: number | null;
  readonly interval: number | null;
  /** The type's own parameters (comments, usernames, answer_number…), kept as given after cleaning. */
  readonly details: Readonly<Record<string, string | number | readonly string[]>>;
  readonly subscription: SubscriptionTerms | null;
}

export type RawParams = Readonly<Record<string, string | undefined>>;

const MAX_LINK_LENGTH = 2048;
const MAX_TEXT_LENGTH = 500;
const MAX_RUNS = 10_000;
/** 30 days, in minutes. */
const MAX_INTERVAL = 43_200;

const incorrect = (param: string): Failure => ({ code: 'INCORRECT_PARAM', param });

function present(raw: RawParams, name: string): string | null {
  const value = raw[name];
  if (value === undefined) return null;
  const trimmed = value.trim();
  return trimmed === '' ? null : trimmed;
}

function parseCount(text: string | null, minimum: number): number | null {
  if (text === null || !/^\d{1,15}$/.test(text)) return null;
  const value = Number(text);
  return value >= minimum ? value : null;
}

/** Splits on \r\n or \n, drops blank lines. */
export function splitLines(text: string): string[] {
  return text
    .split(/\r?\n|\r/)
    .map((line) => line.trim())
    .filter((line) => line !== '');
}

// No NUL in either: PostgreSQL cannot store it in TEXT (the insert would fail with a 500).
const SINGLE_TOKEN = /^[^\s\0]+$/;
const SINGLE_LINE = /^[^\r\n\0]+$/;

/** d/m/Y, a real calendar date, strictly after `today` (UTC). */
export function parseExpiry(text: string, now: Date): string | null {
  const match = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(text);
  if (!match) return null;
  const [day, month, year] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day)
    return null;
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  if (date.getTime() <= today) return null;
  return date.toISOString().slice(0, 10);
}

/** Formats an ISO date as API v2's d/m/Y. */
export function formatExpiry(isoDate: string): string {
  const [year, month, day] = isoDate.split('-');
  return `${day}/${month}/${year}`;
}

type ParsedValue = string | number | string[];

/** Parameters of one item per line: CR and LF are their separators, every other control is refused. */
const MULTI_LINE: ReadonlySet<OrderParamName> = new Set([
  'comments',
  'usernames',
  'hashtags',
  'groups',
  'keywords',
]);

function parseParam(name: OrderParamName, raw: RawParams, now: Date): ParsedValue | null {
  const text = present(raw, name);
  if (text !== null && (MULTI_LINE.has(name) ? hasUnsafeCharactersInLines(text) : hasUnsafeCharacters(text)))
    return null;
  switch (name) {
    case 'link':
      return text !== null && text.length <= MAX_LINK_LENGTH && SINGLE_TOKEN.test(text) ? text : null;
    case 'quantity':
    case 'answer_number':
    case 'min':
    case 'max':
    case 'posts':
      return parseCount(text, 1);
    case 'old_posts': {
      const oldPosts = parseCount(text, 0);
      return oldPosts !== null && oldPosts <= MAX_OLD_POSTS ? oldPosts : null;
    }
    case 'delay': {
      const delay = parseCount(text, 0);
      return delay !== null && SUBSCRIPTION_DELAYS.includes(delay) ? delay : null;
    }
    case 'expiry':
      return text === null ? null : parseExpiry(text, now);
    case 'comments':
    case 'usernames':
    case 'hashtags':
    case 'groups':
    case 'keywords': {
      const lines = text === null ? [] : splitLines(text);
      return lines.length > 0 ? lines : null;
    }
    case 'hashtag':
    case 'username':
    case 'media':
      return text !== null && text.length <= MAX_TEXT_LENGTH && SINGLE_LINE.test(text) ? text : null;
  }
}

function parseDripfeed(
  service: OrderableService,
  spec: ServiceTypeSpec,
  raw: RawParams,
): Result<{ runs: number; interval: number } | null> {
  const runsText = present(raw, 'runs');
  const intervalText = present(raw, 'interval');
  // Many scripts always send both, as 0 or empty, for an ordinary order.
  const absent = (text: string | null) => text === null || /^0+$/.test(text);
  if (absent(runsText) && absent(intervalText)) return ok(null);
  if (!spec.dripfeedCapable || !service.dripfeed) return fail({ code: 'DRIPFEED_UNAVAILABLE' });
  const runs = parseCount(runsText, 2);
  if (runs === null || runs > MAX_RUNS) return fail(incorrect('runs'));
  const interval = parseCount(intervalText, 1);
  if (interval === null || interval > MAX_INTERVAL) return fail(incorrect('interval'));
  return ok({ runs, interval });
}

function checkBounds(service: OrderableService, quantity: number): Failure | null {
  if (quantity < service.min) return { code: 'QUANTITY_BELOW_MIN', min: service.min };
  if (quantity > service.max) return { code: 'QUANTITY_ABOVE_MAX', max: service.max };
  return null;
}

/**
 * Validates an `add` against the service's type: each required parameter in the type's order,
 * then drip-feed, then the quantity bounds. The first failure is the one the client sees.
 */
export function parseOrderRequest(
  service: OrderableService,
  raw: RawParams,
  now: Date,
): Result<OrderRequest> {
  const spec = SERVICE_TYPES[service.type];
  const values = new Map<OrderParamName, ParsedValue>();
  for (const name of spec.required) {
    const value = parseParam(name, raw, now);
    if (value === null) return fail(incorrect(name));
    values.set(name, value);
  }
  for (const name of spec.optional) {
    if (present(raw, name) === null) continue;
    const value = parseParam(name, raw, now);
    if (value === null) return fail(incorrect(name));
    values.set(name, value);
  }

  const dripfeed = parseDripfeed(service, spec, raw);
  if (!dripfeed.ok) return dripfeed;

  const link = (values.get('link') as string | undefined) ?? null;
  const details: Record<string, string | number | string[]> = {};
  for (const [name, value] of values) {
    if (name !== 'link' && name !== 'quantity') details[name] = value;
  }

  if (spec.quantity.from === 'subscription') {
    const min = values.get('min') as number;
    const max = values.get('max') as number;
    if (min < service.min) return fail({ code: 'QUANTITY_BELOW_MIN', min: service.min });
    if (max > service.max) return fail({ code: 'QUANTITY_ABOVE_MAX', max: service.max });
    if (min > max) return fail(incorrect('max'));
    const subscription: SubscriptionTerms = {
      username: values.get('username') as string,
      min,
      max,
      posts: (values.get('posts') as number | undefined) ?? null,
      oldPosts: (values.get('old_posts') as number | undefined) ?? 0,
      delay: values.get('delay') as number,
      expiry: (values.get('expiry') as string | undefined) ?? null,
    };
    return ok({ type: service.type, link, quantity: 0, runs: null, interval: null, details, subscription });
  }

  const quantity =
    spec.quantity.from === 'param'
      ? (values.get('quantity') as number)
      : spec.quantity.from === 'fixed'
        ? spec.quantity.quantity
        : (values.get(spec.quantity.param) as string[]).length;
  const outOfBounds = checkBounds(service, quantity);
  if (outOfBounds) return fail(outOfBounds);

  return ok({
    type: service.type,
    link,
    quantity,
    runs: dripfeed.value?.runs ?? null,
    interval: dripfeed.value?.interval ?? null,
    details,
    subscription: null,
  });
}
