import { type OrderStatus, type SubscriptionStatus, isOneOf } from './order-status.js';
import { readStoredValue } from './stored-value.js';

/**
 * How an order reaches its provider. `manual`: nothing to send (a manual service, a drip-feed
 * parent, or the owner took it over); `queued`: waiting for the dispatcher; `submitting`: claimed
 * and committed before the provider is called, so a crash never makes it look unsent; `sent`: the
 * provider's order id is stored and sync follows it; `review`: a human decides; `refused`: the
 * provider (or the owner) refused it, and it was canceled and refunded.
 */
export const DISPATCH_STATES = ['manual', 'queued', 'submitting', 'sent', 'review', 'refused'] as const;
export type DispatchState = (typeof DISPATCH_STATES)[number];

/**
 * Every move of the dispatch state, by name: the states it may leave and the one it enters. The
 * store executes each as a compare-and-set on the state it leaves (`WHERE dispatch_state IN …`,
 * built from this table), so two workers, a worker and an admin, or a worker and its own restart
 * never both act on one order.
 */
export const DISPATCH_MOVES = {
  /** The dispatcher takes a due order; committed before the provider is called. */
  claim: { from: ['queued'], to: 'submitting' },
  /** Sent again with the same request_id (a replaying provider): a lapsed lease, or a deferred resend. */
  resend: { from: ['submitting'], to: 'submitting' },
  /** The provider's order id is stored. Also from `queued`/`review`: a slow call whose lease lapsed still tells the truth. */
  recordSent: { from: ['submitting', 'queued', 'review'], to: 'sent' },
  /** Back to the queue: the request never arrived, the provider is paused, or the owner asked for a resend. */
  requeue: { from: ['submitting', 'review'], to: 'queued' },
  /** A human decides. From `refused`: the owner's cancel found the order settled meanwhile. */
  holdForReview: { from: ['submitting', 'refused'], to: 'review' },
  /** Canceled and refunded: the provider refused it, or the owner canceled it from the review list. */
  refuse: { from: ['submitting', 'review'], to: 'refused' },
  /** The owner found the order at the provider and links it. */
  linkProviderOrder: { from: ['review'], to: 'sent' },
  /** The owner fulfils it by hand from now on. */
  takeOver: { from: ['review'], to: 'manual' },
  /** A post a forwarded subscription's provider made, created here as a child: it is at the provider already. */
  linkForwardedPost: { from: ['manual'], to: 'sent' },
  /** To the next provider (`domain/failover.ts`): its provider refused it, it never arrived, or its provider is paused. */
  failover: { from: ['submitting', 'queued'], to: 'queued' },
} as const satisfies Record<string, { readonly from: readonly DispatchState[]; readonly to: DispatchState }>;

export type DispatchMove = keyof typeof DISPATCH_MOVES;
/** The states a move may leave. */
export type DispatchMoveFrom<M extends DispatchMove> = (typeof DISPATCH_MOVES)[M]['from'][number];

/** Whether any move leads from `from` to `to`. */
export function canMoveDispatch(from: DispatchState, to: DispatchState): boolean {
  return Object.values(DISPATCH_MOVES).some((move) => move.to === to && isOneOf(move.from, from));
}

/** The provider has, or may have, the order: a cancel must be forwarded, not refunded at once. */
export const HANDED_OVER_DISPATCH_STATES = [
  'submitting',
  'sent',
  'review',
] as const satisfies readonly DispatchState[];

/**
 * Statuses in which an order may be sent to its provider: an order not started yet, or an active
 * subscription. Any other status means it was settled here meanwhile, and it is not sent.
 */
export const DISPATCHABLE_STATUSES = ['pending', 'active'] as const satisfies readonly (
  OrderStatus | SubscriptionStatus
)[];

/** Not yet handed to fulfilment: nobody has started on it, so nothing can be lost by canceling now. */
export function isNotYetHandedOver(order: {
  readonly status: OrderStatus | SubscriptionStatus;
  readonly dispatchState: DispatchState;
}): boolean {
  return order.status === 'pending' && (order.dispatchState === 'manual' || order.dispatchState === 'queued');
}

export function isHandedOver(dispatchState: DispatchState): boolean {
  return isOneOf(HANDED_OVER_DISPATCH_STATES, dispatchState);
}

/** A stored dispatch state; an unknown one is a corrupt row (throws). */
export function readDispatchState(stored: string): DispatchState {
  return readStoredValue(DISPATCH_STATES, stored, 'dispatch state');
}
