import { type Failure, type Result, fail, ok } from '../../domain/errors.js';
import { parseMoney } from '../../domain/money.js';
import { SERVICE_TYPES, type ServiceTypeName, isServiceTypeName } from '../../domain/service-types.js';

/** A service as the owner describes it (CLI flags, admin form): text in, validated before it is stored. */
export interface ServiceDraft {
  readonly name: string;
  readonly type: string;
  readonly category: string;
  readonly rate: string;
  readonly min: number;
  readonly max: number;
  readonly refill: boolean;
  readonly refillDays: number;
  readonly cancel: boolean;
  readonly dripfeed: boolean;
  readonly allowDuplicateLinks: boolean;
  /** Subscriptions only: `add` may ask for existing posts (old_posts). Off when not given. */
  readonly allowOldPosts?: boolean;
  readonly description: string;
  readonly enabled: boolean;
}

/**
 * What a new service is when its owner does not say (admin form, CLI flags): no refill (a 30-day
 * window once it is turned on), no cancel, no drip-feed, the same link may be ordered again, no
 * description, on sale. `allowOldPosts` is off when not given (see `validateServiceDraft`).
 */
export const SERVICE_DEFAULTS = {
  refill: false,
  refillDays: 30,
  cancel: false,
  dripfeed: false,
  allowDuplicateLinks: true,
  description: '',
  enabled: true,
} as const satisfies Partial<ServiceDraft>;

/** A new service as its owner gives it: the fields without a default, and any of the others. */
export type NewServiceFields = Pick<ServiceDraft, 'name' | 'type' | 'category' | 'rate' | 'min' | 'max'> &
  Partial<ServiceDraft>;

/** A new service's draft: the given fields over the defaults (a field given as undefined takes its default). */
export function newServiceDraft(fields: NewServiceFields): ServiceDraft {
  const given = Object.entries(fields).filter(([, value]) => value !== undefined);
  return { ...SERVICE_DEFAULTS, ...(Object.fromEntries(given) as NewServiceFields) };
}

export interface ValidService {
  readonly name: string;
  readonly type: ServiceTypeName;
  readonly category: string;
  readonly rate: bigint;
  readonly min: number;
  readonly max: number;
  readonly refill: boolean;
  readonly refillDays: number;
  readonly cancel: boolean;
  readonly dripfeed: boolean;
  readonly allowDuplicateLinks: boolean;
  readonly allowOldPosts: boolean;
  readonly description: string;
  readonly enabled: boolean;
}

const invalid = (field: string, reason: string): Failure => ({ code: 'INVALID_INPUT', field, reason });
const MAX_QUANTITY = 1_000_000_000_000;

export function validateServiceDraft(draft: ServiceDraft): Result<ValidService> {
  const name = draft.name.trim();
  if (name === '' || name.length > 200) return fail(invalid('name', '1-200 characters'));
  if (!isServiceTypeName(draft.type))
    return fail(invalid('type', `one of: ${Object.keys(SERVICE_TYPES).join(', ')}`));
  const category = draft.category.trim();
  if (category === '' || category.length > 200) return fail(invalid('category', '1-200 characters'));
  const rate = parseMoney(draft.rate);
  if (rate === null || rate < 0n) return fail(invalid('rate', 'a non-negative amount with up to 5 decimals'));
  if (!Number.isSafeInteger(draft.min) || draft.min < 1 || draft.min > MAX_QUANTITY) {
    return fail(invalid('min', 'a whole number of at least 1'));
  }
  if (!Number.isSafeInteger(draft.max) || draft.max < draft.min || draft.max > MAX_QUANTITY) {
    return fail(invalid('max', 'a whole number not below min'));
  }
  if (!Number.isSafeInteger(draft.refillDays) || draft.refillDays < 1 || draft.refillDays > 3650) {
    return fail(invalid('refill-days', 'a whole number of days between 1 and 3650'));
  }
  const fixed = SERVICE_TYPES[draft.type].quantity;
  if (fixed.from === 'fixed' && draft.min > fixed.quantity) {
    return fail(
      invalid(
        'min',
        `at most ${fixed.quantity} for ${draft.type} services (each order is ${fixed.quantity})`,
      ),
    );
  }
  if (draft.dripfeed && !SERVICE_TYPES[draft.type].dripfeedCapable) {
    return fail(invalid('dripfeed', `not possible for ${draft.type} services`));
  }
  const allowOldPosts = draft.allowOldPosts ?? false;
  if (allowOldPosts && SERVICE_TYPES[draft.type].quantity.from !== 'subscription') {
    return fail(invalid('old-posts', `only for Subscriptions services, not ${draft.type}`));
  }
  if (draft.description.length > 10_000) return fail(invalid('desc', 'at most 10000 characters'));
  return ok({ ...draft, name, category, type: draft.type, rate, allowOldPosts });
}
