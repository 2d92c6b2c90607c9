import { describe, expect, it } from 'vitest';
import {
  type AddAttempt,
  type AddOutcome,
  type DispatchStep,
  MAX_DISPATCH_ATTEMPTS,
  nextDispatchStep,
} from './dispatch-decision.js';

const NOW = Date.UTC(2026, 10, 27, 12, 0, 0);
const REQUEST_ID = 'smmkit-abc-7';

/** The outcome classes a provider call ends in, each with a reason as providers word it. */
const OUTCOMES = {
  accepted: { kind: 'accepted', providerOrderId: '90210' },
  'account problem': { kind: 'refused', reason: 'Not enough funds on balance' },
  refusal: { kind: 'refused', reason: 'Incorrect link' },
  unknown: { kind: 'unknown', reason: 'timeout after 30000 ms' },
  'never arrived': { kind: 'not-arrived', reason: 'connect ECONNREFUSED 127.0.0.1:9' },
} as const satisfies Record<string, AddOutcome>;
type OutcomeName = keyof typeof OUTCOMES;

/** Below the limit (the 1st attempt: back-off 15 s; the 11th: 15 min) and at it (the 12th). */
const ATTEMPTS = {
  first: 1,
  'last below': MAX_DISPATCH_ATTEMPTS - 1,
  'at limit': MAX_DISPATCH_ATTEMPTS,
} as const;
type AttemptName = keyof typeof ATTEMPTS;
const BACKOFF_MS: Record<AttemptName, number> = { first: 15_000, 'last below': 900_000, 'at limit': 900_000 };

type Policy = 'replays+cancel' | 'replays+review' | 'no replay+cancel' | 'no replay+review';
const POLICIES: Record<Policy, Pick<AddAttempt, 'honoursRequestId' | 'onRefusal'>> = {
  'replays+cancel': { honoursRequestId: true, onRefusal: 'cancel' },
  'replays+review': { honoursRequestId: true, onRefusal: 'review' },
  'no replay+cancel': { honoursRequestId: false, onRefusal: 'cancel' },
  'no replay+review': { honoursRequestId: false, onRefusal: 'review' },
};

/** The expected step of every case, as its kind; the reasons and times are checked below. */
type Expected = DispatchStep['kind'];
const TABLE: readonly (readonly [OutcomeName, Policy, AttemptName, Expected])[] = [
  // An order id is recorded whatever the policy or the attempt.
  ...(['replays+cancel', 'replays+review', 'no replay+cancel', 'no replay+review'] as const).flatMap(
    (policy) =>
      (['first', 'last below', 'at limit'] as const).map(
        (n) => ['accepted', policy, n, 'record-sent'] as const,
      ),
  ),
  // Our account is the problem: pause the provider and requeue, never give up on the order.
  ['account problem', 'replays+cancel', 'first', 'pause-provider'],
  ['account problem', 'replays+cancel', 'last below', 'pause-provider'],
  ['account problem', 'replays+cancel', 'at limit', 'pause-provider'],
  ['account problem', 'replays+review', 'first', 'pause-provider'],
  ['account problem', 'replays+review', 'last below', 'pause-provider'],
  ['account problem', 'replays+review', 'at limit', 'pause-provider'],
  ['account problem', 'no replay+cancel', 'first', 'pause-provider'],
  ['account problem', 'no replay+cancel', 'last below', 'pause-provider'],
  ['account problem', 'no replay+cancel', 'at limit', 'pause-provider'],
  ['account problem', 'no replay+review', 'first', 'pause-provider'],
  ['account problem', 'no replay+review', 'last below', 'pause-provider'],
  ['account problem', 'no replay+review', 'at limit', 'pause-provider'],
  // A refusal of the order: as the provider's policy says, at once.
  ['refusal', 'replays+cancel', 'first', 'refuse'],
  ['refusal', 'replays+cancel', 'last below', 'refuse'],
  ['refusal', 'replays+cancel', 'at limit', 'refuse'],
  ['refusal', 'replays+review', 'first', 'hold-for-review'],
  ['refusal', 'replays+review', 'last below', 'hold-for-review'],
  ['refusal', 'replays+review', 'at limit', 'hold-for-review'],
  ['refusal', 'no replay+cancel', 'first', 'refuse'],
  ['refusal', 'no replay+cancel', 'last below', 'refuse'],
  ['refusal', 'no replay+cancel', 'at limit', 'refuse'],
  ['refusal', 'no replay+review', 'first', 'hold-for-review'],
  ['refusal', 'no replay+review', 'last below', 'hold-for-review'],
  ['refusal', 'no replay+review', 'at limit', 'hold-for-review'],
  // Unknown: resent with the same request_id only where it replays, until the limit.
  ['unknown', 'replays+cancel', 'first', 'defer-resend'],
  ['unknown', 'replays+cancel', 'last below', 'defer-resend'],
  ['unknown', 'replays+cancel', 'at limit', 'hold-for-review'],
  ['unknown', 'replays+review', 'first', 'defer-resend'],
  ['unknown', 'replays+review', 'last below', 'defer-resend'],
  ['unknown', 'replays+review', 'at limit', 'hold-for-review'],
  ['unknown', 'no replay+cancel', 'first', 'hold-for-review'],
  ['unknown', 'no replay+cancel', 'last below', 'hold-for-review'],
  ['unknown', 'no replay+cancel', 'at limit', 'hold-for-review'],
  ['unknown', 'no replay+review', 'first', 'hold-for-review'],
  ['unknown', 'no replay+review', 'last below', 'hold-for-review'],
  ['unknown', 'no replay+review', 'at limit', 'hold-for-review'],
  // Never arrived: requeued with back-off, whatever the provider replays, until the limit.
  ['never arrived', 'replays+cancel', 'first', 'requeue'],
  ['never arrived', 'replays+cancel', 'last below', 'requeue'],
  ['never arrived', 'replays+cancel', 'at limit', 'hold-for-review'],
  ['never arrived', 'replays+review', 'first', 'requeue'],
  ['never arrived', 'replays+review', 'last below', 'requeue'],
  ['never arrived', 'replays+review', 'at limit', 'hold-for-review'],
  ['never arrived', 'no replay+cancel', 'first', 'requeue'],
  ['never arrived', 'no replay+cancel', 'last below', 'requeue'],
  ['never arrived', 'no replay+cancel', 'at limit', 'hold-for-review'],
  ['never arrived', 'no replay+review', 'first', 'requeue'],
  ['never arrived', 'no replay+review', 'last below', 'requeue'],
  ['never arrived', 'no replay+review', 'at limit', 'hold-for-review'],
];

const attemptOf = (policy: Policy, attempts: AttemptName): AddAttempt => ({
  ...POLICIES[policy],
  attempts: ATTEMPTS[attempts],
  requestId: REQUEST_ID,
  providerName: 'upstream',
  now: NOW,
});

/** The whole step a case must produce: its kind with the reason and time that go with it. */
function expectedStep(
  outcome: OutcomeName,
  policy: Policy,
  attempts: AttemptName,
  kind: Expected,
): DispatchStep {
  const given = OUTCOMES[outcome];
  const reason = 'reason' in given ? given.reason : '';
  const at = NOW + BACKOFF_MS[attempts];
  switch (kind) {
    case 'record-sent':
      return { kind, providerOrderId: '90210' };
    case 'pause-provider':
      return { kind, until: at, reason };
    case 'refuse':
      return { kind, reason: `refused by the provider: ${reason}` };
    case 'defer-resend':
      return { kind, at, reason: `outcome unknown (${reason}); will resend with the same request_id` };
    case 'requeue':
      return { kind, after: at, reason };
    case 'hold-for-review':
      if (outcome === 'refusal') return { kind, reason: `refused by the provider: ${reason}` };
      if (outcome === 'unknown' && !POLICIES[policy].honoursRequestId) {
        return { kind, reason: `outcome unknown (${reason}); look for request_id ${REQUEST_ID} at upstream` };
      }
      return { kind, reason: `gave up after ${ATTEMPTS[attempts]} attempts: ${reason}` };
  }
}

describe('nextDispatchStep', () => {
  it('the table covers every outcome class × policy × attempts once', () => {
    const keys = TABLE.map(([outcome, policy, attempts]) => `${outcome}|${policy}|${attempts}`);
    expect(new Set(keys).size).toBe(keys.length);
    expect(keys).toHaveLength(Object.keys(OUTCOMES).length * Object.keys(POLICIES).length * 3);
  });

  it.each(TABLE)('%s at a provider that %s, %s attempt → %s', (outcome, policy, attempts, kind) => {
    const step = nextDispatchStep(OUTCOMES[outcome], attemptOf(policy, attempts));
    expect(step).toEqual(expectedStep(outcome, policy, attempts, kind));
  });

  it('reads every account problem providers word as a pause, never as a refusal of the order', () => {
    for (const reason of [
      'Not enough funds',
      'Insufficient balance',
      'Invalid API key',
      'Too many requests',
    ]) {
      const step = nextDispatchStep({ kind: 'refused', reason }, attemptOf('no replay+cancel', 'first'));
      expect(step.kind, reason).toBe('pause-provider');
    }
  });

  it('past the limit it still holds for review: the count never wraps into a resend', () => {
    const late = { ...attemptOf('replays+cancel', 'at limit'), attempts: MAX_DISPATCH_ATTEMPTS + 5 };
    expect(nextDispatchStep(OUTCOMES.unknown, late).kind).toBe('hold-for-review');
    expect(nextDispatchStep(OUTCOMES['never arrived'], late).kind).toBe('hold-for-review');
  });
});
