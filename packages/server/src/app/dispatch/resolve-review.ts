import { type Result, fail, ok } from '../../domain/errors.js';
import {
  holdForReview,
  markRefused,
  requeueOrder,
  resetDispatchAttempts,
} from '../../store/dispatch-claims.js';
import { findOrder, lockOrderRow } from '../../store/orders.js';
import { findByProviderOrder } from '../../store/provider-orders.js';
import { linkProviderOrder, listReview, takeOverOrder } from '../../store/review-list.js';
import { recordAudit } from '../audit.js';
import type { Context } from '../context.js';
import { type OrderRecord, orderRecord } from '../orders/order-record.js';
import { cancelRefusedOrder } from './refuse-order.js';

/** What the owner decides about an order in the review list. */
export type Resolution =
  /** Send it again (a second order at the provider if the first one did arrive). */
  | { readonly kind: 'resend' }
  /** Cancel and refund it here; nothing is sent. */
  | { readonly kind: 'cancel' }
  /** It did arrive: this is its id at the provider; sync follows it from now on. */
  | { readonly kind: 'link'; readonly providerOrderId: string }
  /** The owner fulfils it by hand from now on, like an order of a manual service. */
  | { readonly kind: 'manual' };

export interface ReviewItem {
  readonly id: number;
  readonly user: string;
  readonly serviceId: number;
  readonly provider: string | null;
  readonly status: string;
  readonly attempts: number;
  readonly reason: string | null;
  readonly waitingSince: string;
}

/** The review list: orders whose fate at their provider needs a human, oldest first. */
export async function listReviewOrders(ctx: Context, limit = 100): Promise<ReviewItem[]> {
  const orders = await listReview(ctx.db, limit);
  return orders.map((order) => ({
    id: order.id,
    user: order.username,
    serviceId: order.serviceId,
    provider: order.providerName,
    status: order.status,
    attempts: order.attempts,
    reason: order.reason,
    waitingSince: new Date(order.updatedAt).toISOString(),
  }));
}

/**
 * A provider's order id as its answers key it, or null: digits without leading zeros, at most 15
 * (what API v2 clients read as an id). Stored any other way, sync would never find its status.
 */
function canonicalProviderOrderId(text: string): string | null {
  if (!/^\d{1,64}$/.test(text)) return null;
  const digits = text.replace(/^0+/, '');
  return digits.length >= 1 && digits.length <= 15 ? digits : null;
}

/**
 * Resolves an order in the review list, in one audited transaction; refused unless the order is
 * still waiting for review (so two admins, or an admin and a late provider answer, never both act).
 */
export async function resolveReview(
  ctx: Context,
  orderId: number,
  resolution: Resolution,
): Promise<Result<OrderRecord>> {
  if (resolution.kind === 'link') {
    const providerOrderId = canonicalProviderOrderId(resolution.providerOrderId);
    if (providerOrderId === null) {
      return fail({
        code: 'INVALID_INPUT',
        field: 'provider-order',
        reason: "the provider's numeric order id (at most 15 digits)",
      });
    }
    resolution = { kind: 'link', providerOrderId };
  }
  return ctx.db.transaction(async (tx): Promise<Result<OrderRecord>> => {
    const seen = await findOrder(tx, orderId);
    if (!seen) return fail({ code: 'ORDER_NOT_FOUND', id: orderId });
    if (seen.parentId !== null) await lockOrderRow(tx, seen.parentId);
    await lockOrderRow(tx, orderId);
    const order = await findOrder(tx, orderId);
    if (!order) throw new Error(`order ${orderId} vanished under its lock`);
    const notWaiting = fail<OrderRecord>({
      code: 'INVALID_INPUT',
      field: 'order',
      reason: `order ${orderId} is not waiting for review (it is ${order.dispatchState})`,
    });
    if (order.dispatchState !== 'review') return notWaiting;
    const now = ctx.clock.now();
    switch (resolution.kind) {
      case 'resend':
        if (
          !(await requeueOrder(tx, {
            id: orderId,
            from: 'review',
            after: now,
            error: 'resent by the owner',
            now,
          }))
        )
          return notWaiting;
        await resetDispatchAttempts(tx, orderId);
        break;
      case 'link': {
        const taken =
          order.providerId === null
            ? null
            : await findByProviderOrder(tx, order.providerId, resolution.providerOrderId);
        if (taken !== null) {
          return fail({
            code: 'INVALID_INPUT',
            field: 'provider-order',
            reason: `provider order ${resolution.providerOrderId} is already linked to order ${taken}`,
          });
        }
        if (
          !(await linkProviderOrder(tx, { id: orderId, providerOrderId: resolution.providerOrderId, now }))
        ) {
          return notWaiting;
        }
        break;
      }
      case 'manual':
        if (!(await takeOverOrder(tx, orderId, now))) return notWaiting;
        break;
      case 'cancel': {
        if (!(await markRefused(tx, { id: orderId, from: 'review', reason: 'canceled by the owner', now })))
          return notWaiting;
        const canceled = await cancelRefusedOrder(tx, ctx, order);
        if (!canceled.ok) {
          // Settled meanwhile (an admin set its status): keep it in review with the reason.
          await holdForReview(tx, { id: orderId, from: 'refused', reason: 'could not be canceled', now });
          return canceled;
        }
        break;
      }
    }
    await recordAudit(tx, ctx, 'order.resolve', `order:${orderId}`, {
      resolution: resolution.kind,
      ...(resolution.kind === 'link' ? { providerOrder: resolution.providerOrderId } : {}),
      reason: order.dispatchError,
    });
    const resolved = await findOrder(tx, orderId);
    if (!resolved) throw new Error(`order ${orderId} vanished under its lock`);
    return ok(orderRecord(resolved));
  });
}
