import { SUBSCRIPTION_STATUSES, canTransitionSubscription } from '../../domain/order-status.js';
import { expireDueSubscriptions } from '../../store/subscriptions.js';
import type { Context } from '../context.js';

/** Statuses the state machine lets a subscription expire from. */
const EXPIRABLE = SUBSCRIPTION_STATUSES.filter((status) => canTransitionSubscription(status, 'expired'));

/**
 * Worker job: subscriptions whose expiry date has begun (UTC) become Expired, each with a
 * compare-and-set on its old status, so a concurrent cancel or completion wins or loses whole.
 */
export function expireSubscriptions(ctx: Context): Promise<number> {
  return ctx.db.transaction((tx) => expireDueSubscriptions(tx, EXPIRABLE, ctx.clock.now()));
}
