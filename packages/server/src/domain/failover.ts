import type { Money } from './money.js';
import { readStoredValue } from './stored-value.js';

/**
 * How one attempt to hand an order to a provider ended, as failover tells them apart:
 * - `accepted`: the provider answered an order id;
 * - definite refusals, nothing exists there: `error-answer` (an API error about the order),
 *   `out-of-funds` (our account there: balance, key, rate), `service-unavailable` (the service is
 *   unknown or disabled there), `provider-paused` (we hold orders for it after an account problem);
 * - `not-arrived`: the request clearly never reached it (connection refused before sending);
 * - `unknown`: it may have acted on it (a timeout or reset after sending, a 5xx, an unreadable answer).
 */
export const ATTEMPT_OUTCOMES = [
  'accepted',
  'error-answer',
  'out-of-funds',
  'service-unavailable',
  'provider-paused',
  'not-arrived',
  'unknown',
] as const;
export type AttemptOutcome = (typeof ATTEMPT_OUTCOMES)[number];

/** One provider able to fulfil a service: the primary first, then the backups in their order. */
export interface FailoverCandidate {
  readonly providerId: number;
  readonly providerServiceId: string;
  /** What this order would cost there, in the panel's currency; null when its rate is not known. */
  readonly cost: Money | null;
  /** Already tried for this order (it moved away from it once): never tried again. */
  readonly tried: boolean;
}

export interface FailoverSituation {
  /** The service's providers in order (primary first). */
  readonly chain: readonly FailoverCandidate[];
  /** Where the order is now in `chain` (-1: its provider is no longer in the chain: no move). */
  readonly position: number;
  /** What the customer paid for the order: a backup costing more is a loss. */
  readonly charge: Money;
  /** The service allows a backup that costs more than the order's charge. */
  readonly sellAtLoss: boolean;
}

export type SkipReason = 'already-tried' | 'cost-unknown' | 'cost-exceeds-charge';
export interface SkippedCandidate {
  readonly providerId: number;
  readonly providerServiceId: string;
  readonly reason: SkipReason;
}

/** What becomes of the order when no backup takes it: what the dispatcher did before failover. */
export type WithoutBackup =
  /** The provider's refusal policy: cancel and refund, or review. */
  | 'refusal-policy'
  /** It waits for this provider (paused on an account problem). */
  | 'wait'
  /** Sent again to this provider later (it never arrived). */
  | 'retry';

export type FailoverStep =
  /** Accepted, or the outcome is unknown: the order stays where it is (it may exist there). */
  | { readonly kind: 'keep' }
  /** To this backup, queued to be sent there; `skipped` says which were passed over and why. */
  | {
      readonly kind: 'move';
      readonly to: FailoverCandidate;
      readonly skipped: readonly SkippedCandidate[];
    }
  | {
      readonly kind: 'no-backup';
      readonly then: WithoutBackup;
      readonly skipped: readonly SkippedCandidate[];
    };

const WITHOUT_BACKUP: Record<Exclude<AttemptOutcome, 'accepted' | 'unknown'>, WithoutBackup> = {
  'error-answer': 'refusal-policy',
  'service-unavailable': 'refusal-policy',
  'out-of-funds': 'wait',
  'provider-paused': 'wait',
  'not-arrived': 'retry',
};

/**
 * Where an order goes after an attempt. Only when nothing can exist at the provider (a definite
 * refusal, or a request that never arrived) does it move, to the next backup in the chain that was
 * not tried yet and does not cost more than the customer paid (unless the service sells at a
 * loss; an unknown cost counts as more). An unknown outcome never moves: the order might exist
 * there, and at-most-once beats speed.
 */
export function failoverStep(outcome: AttemptOutcome, situation: FailoverSituation): FailoverStep {
  if (outcome === 'accepted' || outcome === 'unknown') return { kind: 'keep' };
  const then = WITHOUT_BACKUP[outcome];
  const skipped: SkippedCandidate[] = [];
  if (situation.position < 0) return { kind: 'no-backup', then, skipped };
  for (const candidate of situation.chain.slice(situation.position + 1)) {
    const reason = skipReason(candidate, situation);
    if (reason === null) return { kind: 'move', to: candidate, skipped };
    skipped.push({
      providerId: candidate.providerId,
      providerServiceId: candidate.providerServiceId,
      reason,
    });
  }
  return { kind: 'no-backup', then, skipped };
}

function skipReason(candidate: FailoverCandidate, situation: FailoverSituation): SkipReason | null {
  if (candidate.tried) return 'already-tried';
  if (situation.sellAtLoss) return null;
  if (candidate.cost === null) return 'cost-unknown';
  return candidate.cost > situation.charge ? 'cost-exceeds-charge' : null;
}

/** A provider's error answer saying the service is unknown or off there (as panels word it). */
export function isServiceUnavailable(providerError: string): boolean {
  return /service.*(disabled|not (found|active|available|exist)|unavailable|inactive|off)|(incorrect|invalid|unknown|wrong) service/i.test(
    providerError,
  );
}

/** Why a move happened, for the order's history. */
export function describeMove(outcome: AttemptOutcome, reason: string): string {
  return `moved to the next provider after ${outcome}: ${reason}`;
}

/** A stored attempt outcome; an unknown one is a corrupt row (throws). */
export function readAttemptOutcome(stored: string): AttemptOutcome {
  return readStoredValue(ATTEMPT_OUTCOMES, stored, 'attempt outcome');
}
