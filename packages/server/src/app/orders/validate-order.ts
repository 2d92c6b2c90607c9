import { type Result, fail, ok } from '../../domain/errors.js';
import { parseId } from '../../domain/id-list.js';
import type { Money } from '../../domain/money.js';
import { type OrderRequest, type RawParams, parseOrderRequest } from '../../domain/order-request.js';
import { effectiveRate, orderCharge } from '../../domain/pricing.js';
import type { ServiceTypeName } from '../../domain/service-types.js';
import { type OrderableServiceRow, findOrderableService } from '../../store/catalog.js';
import type { Context } from '../context.js';

/** What `add` reads about a service, with the caller's custom rate when one is set. */
export interface OrderableService {
  readonly id: number;
  readonly type: ServiceTypeName;
  readonly rate: Money;
  readonly customRate: Money | null;
  readonly minQuantity: number;
  readonly maxQuantity: number;
  readonly dripfeed: boolean;
  readonly allowDuplicateLinks: boolean;
  readonly oldPosts: boolean;
  /** Set when the service is provider-backed: where its orders are forwarded. */
  readonly providerId: number | null;
  readonly providerServiceId: string | null;
}

// merge: A2 returns a record — `findOrderableService` then gives this record itself, and this
// adapter (with the interface above) goes.
function orderableServiceOf(row: OrderableServiceRow): OrderableService {
  return {
    id: Number(row.id),
    type: row.type,
    rate: row.rate,
    customRate: row.custom_rate,
    minQuantity: Number(row.min_quantity),
    maxQuantity: Number(row.max_quantity),
    dripfeed: row.dripfeed === 1n,
    allowDuplicateLinks: row.allow_duplicate_links === 1n,
    oldPosts: row.old_posts === 1n,
    providerId: row.provider_id === null ? null : Number(row.provider_id),
    providerServiceId: row.provider_service_id,
  };
}

export interface ValidOrder {
  readonly service: OrderableService;
  readonly request: OrderRequest;
  /** This user's rate per 1000 (custom or the service's). */
  readonly rate: Money;
  readonly charge: Money;
}

/**
 * What `add` checks before anything is written, in the order that decides which error a client
 * sees: the service (enabled, visible to this user), the type's parameters, old posts; then the
 * price. `placeOrder` and the web panel's quote both start here, so they can never disagree.
 */
export async function validateOrder(
  ctx: Context,
  userId: number,
  params: RawParams,
): Promise<Result<ValidOrder>> {
  const serviceId = parseId(params.service);
  const row = serviceId === null ? undefined : await findOrderableService(ctx.db, serviceId, userId);
  if (!row) return fail({ code: 'INCORRECT_SERVICE' });
  const service = orderableServiceOf(row);
  const parsed = parseOrderRequest(
    { type: service.type, min: service.minQuantity, max: service.maxQuantity, dripfeed: service.dripfeed },
    params,
    new Date(ctx.clock.now()),
  );
  if (!parsed.ok) return parsed;
  const request = parsed.value;
  if ((request.subscription?.oldPosts ?? 0) > 0 && !service.oldPosts)
    return fail({ code: 'INCORRECT_PARAM', param: 'old_posts' });
  const rate = effectiveRate(service.rate, service.customRate);
  return ok({ service, request, rate, charge: orderCharge(rate, request) });
}
