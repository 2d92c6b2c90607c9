import { describe, expect, it } from 'vitest';
import {
  ATTEMPT_OUTCOMES,
  type AttemptOutcome,
  type FailoverCandidate,
  type FailoverStep,
  type WithoutBackup,
  failoverStep,
  isServiceUnavailable,
} from './failover.js';

const CHARGE = 122_500n;
const candidate = (providerId: number, cost: bigint | null = 90_000n, tried = false): FailoverCandidate => ({
  providerId,
  providerServiceId: `s${providerId}`,
  cost,
  tried,
});
/** A primary and two backups, all cheaper than the charge. */
const CHAIN = [candidate(1), candidate(2), candidate(3)];
const POSITIONS = { primary: 0, 'first backup': 1, 'last backup': 2 } as const;
type PositionName = keyof typeof POSITIONS;

const WITHOUT_BACKUP: Record<Exclude<AttemptOutcome, 'accepted' | 'unknown'>, WithoutBackup> = {
  'error-answer': 'refusal-policy',
  'service-unavailable': 'refusal-policy',
  'out-of-funds': 'wait',
  'provider-paused': 'wait',
  'not-arrived': 'retry',
};

/** The whole table: every outcome class at every position in a chain of three. */
function expected(outcome: AttemptOutcome, position: PositionName): FailoverStep {
  if (outcome === 'accepted' || outcome === 'unknown') return { kind: 'keep' };
  const index = POSITIONS[position];
  if (index < CHAIN.length - 1) return { kind: 'move', to: CHAIN[index + 1]!, skipped: [] };
  return { kind: 'no-backup', then: WITHOUT_BACKUP[outcome], skipped: [] };
}

describe('failoverStep: every outcome class × position in the provider list', () => {
  for (const outcome of ATTEMPT_OUTCOMES) {
    for (const position of Object.keys(POSITIONS) as PositionName[]) {
      const want = expected(outcome, position);
      it(`${outcome} at the ${position} → ${want.kind === 'move' ? `move to provider ${want.to.providerId}` : want.kind === 'no-backup' ? `no backup: ${want.then}` : 'keep'}`, () => {
        expect(
          failoverStep(outcome, {
            chain: CHAIN,
            position: POSITIONS[position],
            charge: CHARGE,
            sellAtLoss: false,
          }),
        ).toEqual(want);
      });
    }
  }
});

describe('failoverStep: which backups may take the order', () => {
  const situation = (chain: FailoverCandidate[], sellAtLoss = false) => ({
    chain,
    position: 0,
    charge: CHARGE,
    sellAtLoss,
  });

  it('skips a backup costing more than the charge, and takes the next one', () => {
    const step = failoverStep(
      'error-answer',
      situation([candidate(1), candidate(2, 122_501n), candidate(3)]),
    );
    expect(step).toEqual({
      kind: 'move',
      to: candidate(3),
      skipped: [{ providerId: 2, providerServiceId: 's2', reason: 'cost-exceeds-charge' }],
    });
  });

  it('a backup costing exactly the charge is no loss', () => {
    expect(failoverStep('out-of-funds', situation([candidate(1), candidate(2, CHARGE)]))).toMatchObject({
      kind: 'move',
      to: { providerId: 2 },
    });
  });

  it('an unknown cost counts as a loss', () => {
    expect(failoverStep('not-arrived', situation([candidate(1), candidate(2, null)]))).toEqual({
      kind: 'no-backup',
      then: 'retry',
      skipped: [{ providerId: 2, providerServiceId: 's2', reason: 'cost-unknown' }],
    });
  });

  it('a service that sells at a loss takes the dearer backup, and one of unknown cost', () => {
    expect(
      failoverStep('error-answer', situation([candidate(1), candidate(2, 999_999n)], true)),
    ).toMatchObject({
      kind: 'move',
      to: { providerId: 2 },
    });
    expect(failoverStep('error-answer', situation([candidate(1), candidate(2, null)], true))).toMatchObject({
      kind: 'move',
      to: { providerId: 2 },
    });
  });

  it('never goes back to a provider the order already left', () => {
    expect(
      failoverStep(
        'service-unavailable',
        situation([candidate(1), candidate(2, 1n, true), candidate(3)], true),
      ),
    ).toEqual({
      kind: 'move',
      to: candidate(3),
      skipped: [{ providerId: 2, providerServiceId: 's2', reason: 'already-tried' }],
    });
  });

  it('every backup skipped: the outcome without a backup, with the reasons', () => {
    expect(
      failoverStep(
        'error-answer',
        situation([candidate(1), candidate(2, 1n, true), candidate(3, CHARGE + 1n)]),
      ),
    ).toEqual({
      kind: 'no-backup',
      then: 'refusal-policy',
      skipped: [
        { providerId: 2, providerServiceId: 's2', reason: 'already-tried' },
        { providerId: 3, providerServiceId: 's3', reason: 'cost-exceeds-charge' },
      ],
    });
  });

  it('an order whose provider left the chain does not move', () => {
    expect(failoverStep('error-answer', { ...situation(CHAIN), position: -1 })).toEqual({
      kind: 'no-backup',
      then: 'refusal-policy',
      skipped: [],
    });
  });

  it('a service without backups: the outcome without a backup', () => {
    expect(failoverStep('out-of-funds', situation([candidate(1)]))).toEqual({
      kind: 'no-backup',
      then: 'wait',
      skipped: [],
    });
  });
});

describe('isServiceUnavailable', () => {
  it.each([
    ['Incorrect service ID', true],
    ['Service disabled', true],
    ['This service is not active', true],
    ['Invalid service', true],
    ['Incorrect link', false],
    ['Quantity less than minimal 10', false],
    ['Not enough funds on balance', false],
  ])('%s → %s', (text, want) => {
    expect(isServiceUnavailable(text)).toBe(want);
  });
});
