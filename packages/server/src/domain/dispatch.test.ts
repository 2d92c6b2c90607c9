import { describe, expect, it } from 'vitest';
import {
  DISPATCH_MOVES,
  DISPATCH_STATES,
  type DispatchState,
  HANDED_OVER_DISPATCH_STATES,
  canMoveDispatch,
  isHandedOver,
  isNotYetHandedOver,
  readDispatchState,
} from './dispatch.js';

/** The dispatch state machine written out in full: from → the states it may move to. */
const TABLE: Record<DispatchState, DispatchState[]> = {
  manual: ['sent'],
  // queued → queued: failover off a paused provider.
  queued: ['submitting', 'sent', 'queued'],
  submitting: ['submitting', 'sent', 'queued', 'review', 'refused'],
  sent: [],
  review: ['sent', 'queued', 'refused', 'manual'],
  refused: ['review'],
};

const pairs = DISPATCH_STATES.flatMap((from) => DISPATCH_STATES.map((to) => [from, to] as const));

describe('dispatch states', () => {
  it.each(pairs.filter(([from, to]) => TABLE[from].includes(to)))('allows %s → %s', (from, to) => {
    expect(canMoveDispatch(from, to)).toBe(true);
  });

  it.each(pairs.filter(([from, to]) => !TABLE[from].includes(to)))('forbids %s → %s', (from, to) => {
    expect(canMoveDispatch(from, to)).toBe(false);
  });

  it('sent is final: sync follows the order from there', () => {
    for (const to of DISPATCH_STATES) expect(canMoveDispatch('sent', to)).toBe(false);
  });

  it('only the claim leaves queued for submitting, and nothing goes back to queued once sent', () => {
    expect(
      Object.entries(DISPATCH_MOVES)
        .filter(([, move]) => move.to === 'submitting')
        .map(([name]) => name),
    ).toEqual(['claim', 'resend']);
    expect(canMoveDispatch('sent', 'queued')).toBe(false);
  });

  it('hands over at submitting: from then on the provider has, or may have, the order', () => {
    expect(HANDED_OVER_DISPATCH_STATES).toEqual(['submitting', 'sent', 'review']);
    expect(DISPATCH_STATES.filter(isHandedOver)).toEqual(['submitting', 'sent', 'review']);
  });

  it('an order is not yet handed over only while pending and never claimed', () => {
    for (const dispatchState of DISPATCH_STATES) {
      expect(isNotYetHandedOver({ status: 'pending', dispatchState }), dispatchState).toBe(
        dispatchState === 'manual' || dispatchState === 'queued',
      );
      expect(isNotYetHandedOver({ status: 'in_progress', dispatchState }), dispatchState).toBe(false);
      expect(isNotYetHandedOver({ status: 'active', dispatchState }), dispatchState).toBe(false);
    }
  });

  it('reads stored states and refuses an unknown one as a corrupt row', () => {
    for (const state of DISPATCH_STATES) expect(readDispatchState(state)).toBe(state);
    expect(() => readDispatchState('sending')).toThrow(/corrupt row: unknown dispatch state "sending"/);
  });
});
