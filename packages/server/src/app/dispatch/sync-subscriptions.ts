import { type AnyOrderStatus, isSubscriptionStatus } from '@smmkit/client';
import { type SubscriptionStatus, canTransitionSubscription } from '../../domain/order-status.js';
import { readProviderSubscriptionStatus } from '../../domain/provider-status.js';
import type { Queryable } from '../../store/database.js';
import { stopSync } from '../../store/dispatch.js';
import type { OrderRow } from '../../store/orders.js';
import { updateSubscriptionPosting } from '../../store/subscriptions.js';
import type { Context } from '../context.js';
import type { ProviderAddress, ProviderGateway } from './provider-gateway.js';

const FINAL: readonly SubscriptionStatus[] = ['completed', 'expired', 'canceled'];

/**
 * A forwarded subscription follows its provider's status (Active, Paused, Completed, Expired,
 * Canceled, read defensively). The caller holds the subscription's row. Resolves to true when its
 * status changed.
 */
export async function applySubscriptionStatus(
  tx: Queryable,
  ctx: Context,
  gateway: ProviderGateway,
  provider: ProviderAddress,
  order: OrderRow,
  answer: AnyOrderStatus,
): Promise<boolean> {
  const id = Number(order.id);
  if (!isSubscriptionStatus(answer)) {
    gateway.log.warn(
      { order: id, provider: provider.name },
      'provider answered an order status for a subscription',
    );
    return false;
  }
  const from = order.status as SubscriptionStatus;
  if (FINAL.includes(from)) {
    await stopSync(tx, id);
    return false;
  }
  const to = readProviderSubscriptionStatus(answer.status);
  if (to === null) {
    gateway.log.warn(
      { order: id, provider: provider.name, status: answer.status },
      'unknown provider status; subscription kept',
    );
    return false;
  }
  if (to === from || !canTransitionSubscription(from, to)) return false;
  const now = ctx.clock.now();
  // A forwarded subscription has no posts waiting here: its provider makes them (see placeOrder).
  const unpaidPosts = 0;
  const changed = await updateSubscriptionPosting(tx, {
    id,
    from: { status: from, unpaidPosts },
    to: { status: to, unpaidPosts },
    completedAt: to === 'completed' ? now : null,
    now,
  });
  if (changed && FINAL.includes(to)) await stopSync(tx, id);
  return changed;
}
