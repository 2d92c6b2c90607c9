import { type Result, fail, ok } from '../../domain/errors.js';
import { canTransitionSubscription } from '../../domain/order-status.js';
import {
  findByProviderOrder,
  holdForReview,
  linkProviderOrder,
  listReview,
  markRefused,
  requeueOrder,
  resetDispatchAttempts,
  takeOverOrder,
} from '../../store/dispatch.js';
import { findOrder, lockOrderRow } from '../../store/orders.js';
import { cancelSubscriptionRow } from '../../store/subscriptions.js';
import { recordAudit } from '../audit.js';
import type { Context } from '../context.js';
import { settleDripfeedParent } from '../dripfeed/settle-dripfeed-parent.js';
import { changeOrderStatus } from '../orders/change-order-status.js';
import { type OrderRecord, orderRecord } from '../orders/order-record.js';

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
  const rows = await listReview(ctx.db, limit);
  return rows.map((row) => ({
    id: Number(row.id),
    user: row.username,
    serviceId: Number(row.service_id),
    provider: row.provider_name,
    status: row.status,
    attempts: Number(row.dispatch_attempts),
    reason: row.dispatch_error,
    waitingSince: new Date(Number(row.updated_at)).toISOString(),
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
    if (seen.parent_id !== null) await lockOrderRow(tx, Number(seen.parent_id));
    await lockOrderRow(tx, orderId);
    const order = (await findOrder(tx, orderId))!;
    const notWaiting = fail<OrderRecord>({
      code: 'INVALID_INPUT',
      field: 'order',
      reason: `order ${orderId} is not waiting for review (it is ${order.dispatch_state})`,
    });
    if (order.dispatch_state !== 'review') return notWaiting;
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
          order.provider_id === null
            ? null
            : await findByProviderOrder(tx, Number(order.provider_id), resolution.providerOrderId);
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
        if (order.kind === 'subscription') {
          const from = order.status as 'active' | 'paused';
          if (canTransitionSubscription(from, 'canceled'))
            await cancelSubscriptionRow(tx, orderId, from, now);
          break;
        }
        const moved = await changeOrderStatus(tx, ctx, order, { to: 'canceled' });
        if (!moved.ok) {
          // Settled meanwhile (an admin set its status): keep it in review with the reason.
          await holdForReview(tx, { id: orderId, from: 'refused', reason: 'could not be canceled', now });
          return moved;
        }
        if (order.parent_id !== null) await settleDripfeedParent(tx, ctx, Number(order.parent_id));
        break;
      }
    }
    await recordAudit(tx, ctx, 'order.resolve', `order:${orderId}`, {
      resolution: resolution.kind,
      ...(resolution.kind === 'link' ? { providerOrder: resolution.providerOrderId } : {}),
      reason: order.dispatch_error,
    });
    return ok(orderRecord((await findOrder(tx, orderId))!));
  });
}
