import type { RefusalPolicy } from './fulfilment.js';
import { isAccountProblem, retryDelayMs } from './provider-status.js';

/**
 * Unknown outcomes retried with the same request_id (at a provider that replays) before a human is
 * asked; and attempts that clearly never reached the provider (connection refused, 4xx) before the
 * order goes to review instead of waiting in the queue forever.
 */
export const MAX_DISPATCH_ATTEMPTS = 12;

/** How a provider's `add` call ended, as the dispatcher tells it apart. */
export type AddOutcome =
  /** It answered an order id. */
  | { readonly kind: 'accepted'; readonly providerOrderId: string }
  /** It answered an API error (its own words): an account problem (`isAccountProblem`) or a refusal of this order. */
  | { readonly kind: 'refused'; readonly reason: string }
  /** The request may or may not have been acted on: a timeout, a reset after sending, a 5xx, an unreadable answer. */
  | { readonly kind: 'unknown'; readonly reason: string }
  /** The request clearly never arrived: connection refused, a 4xx without an API error. */
  | { readonly kind: 'not-arrived'; readonly reason: string };

/** What the dispatcher knows about the order and its provider when the call ends. */
export interface AddAttempt {
  /** Attempts so far, this one included. */
  readonly attempts: number;
  /** Whether the provider replays a repeated request_id instead of ordering twice. */
  readonly honoursRequestId: boolean;
  readonly onRefusal: RefusalPolicy;
  /** Our stable key for the order at the provider, and the provider's name: for the review reason. */
  readonly requestId: string;
  readonly providerName: string;
  readonly now: number;
}

/** What happens next. Every step but `record-sent` also records the provider's error. */
export type DispatchStep =
  | { readonly kind: 'record-sent'; readonly providerOrderId: string }
  /** Our account with the provider is the problem: the order waits, and so does every order to it. */
  | { readonly kind: 'pause-provider'; readonly until: number; readonly reason: string }
  | { readonly kind: 'hold-for-review'; readonly reason: string }
  /** Cancel and refund in full. */
  | { readonly kind: 'refuse'; readonly reason: string }
  /** Stays `submitting` (the provider may have it); sent again at `at` with the same request_id. */
  | { readonly kind: 'defer-resend'; readonly at: number; readonly reason: string }
  | { readonly kind: 'requeue'; readonly after: number; readonly reason: string };

/**
 * What a provider's answer to `add` means for the order:
 * - an order id: recorded, and sync follows it;
 * - an account problem (out of balance, our key or our rate refused — `isAccountProblem`): the order
 *   waits (queued) and the provider is paused;
 * - a refusal of the order itself: cancel and refund it, or hold it (per provider);
 * - an unknown outcome: resend later with the same request_id if the provider replays such
 *   requests (the order stays `submitting` meanwhile: it may be at the provider), else review;
 * - a request that clearly never arrived: retry later.
 * Retries stop after MAX_DISPATCH_ATTEMPTS: the order goes to review with the last reason. An order
 * is never sent again after an unknown outcome unless its provider replays a repeated request_id.
 */
export function nextDispatchStep(outcome: AddOutcome, attempt: AddAttempt): DispatchStep {
  const retryAt = attempt.now + retryDelayMs(attempt.attempts);
  switch (outcome.kind) {
    case 'accepted':
      return { kind: 'record-sent', providerOrderId: outcome.providerOrderId };
    case 'refused': {
      const reason = outcome.reason;
      if (isAccountProblem(reason)) return { kind: 'pause-provider', until: retryAt, reason };
      const refused = `refused by the provider: ${reason}`;
      return attempt.onRefusal === 'review'
        ? { kind: 'hold-for-review', reason: refused }
        : { kind: 'refuse', reason: refused };
    }
    case 'unknown':
    case 'not-arrived': {
      const reason = outcome.reason;
      const unknown = outcome.kind === 'unknown';
      if (unknown && !attempt.honoursRequestId) {
        return {
          kind: 'hold-for-review',
          reason: `outcome unknown (${reason}); look for request_id ${attempt.requestId} at ${attempt.providerName}`,
        };
      }
      if (attempt.attempts >= MAX_DISPATCH_ATTEMPTS) {
        return { kind: 'hold-for-review', reason: `gave up after ${attempt.attempts} attempts: ${reason}` };
      }
      if (unknown) {
        return {
          kind: 'defer-resend',
          at: retryAt,
          reason: `outcome unknown (${reason}); will resend with the same request_id`,
        };
      }
      return { kind: 'requeue', after: retryAt, reason };
    }
  }
}

/** Why an order is held when it cannot be written as the provider's `add` at all: nothing was sent. */
export function unsendableReason(problem: string): string {
  return `cannot be forwarded: ${problem}`;
}

/** A lease that ran out at a provider that does not replay request_id: whether it got the order is unknown. */
export const LAPSED_LEASE_REASON =
  'outcome unknown (the worker sending it stopped); check the provider before resending';

/** The provider answered an order id that another of our orders holds: a human looks at both. */
export function providerOrderTakenReason(
  providerOrderId: string,
  takenBy: number,
  providerName: string,
): string {
  return `the provider answered order ${providerOrderId}, which is order ${takenBy} here; check both at ${providerName}`;
}
