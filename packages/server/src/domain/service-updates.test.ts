import { describe, expect, it } from 'vitest';
import { type ServiceTerms, serviceTermsChanges } from './service-updates.js';

const on: ServiceTerms = { rate: 100_000n, min: 10, max: 1000, enabled: true };

describe('serviceTermsChanges', () => {
  it('announces a new service on sale with its price, not one created disabled', () => {
    expect(serviceTermsChanges(null, on)).toEqual([{ kind: 'new', old: null, new: 100_000n }]);
    expect(serviceTermsChanges(null, { ...on, enabled: false })).toEqual([]);
  });

  it('tells a price rise from a cut', () => {
    expect(serviceTermsChanges(on, { ...on, rate: 120_000n })).toEqual([
      { kind: 'price_up', old: 100_000n, new: 120_000n },
    ]);
    expect(serviceTermsChanges(on, { ...on, rate: 90_000n })).toEqual([
      { kind: 'price_down', old: 100_000n, new: 90_000n },
    ]);
  });

  it('lists min and max changes separately', () => {
    expect(serviceTermsChanges(on, { ...on, min: 20, max: 500 })).toEqual([
      { kind: 'min_changed', old: 10n, new: 20n },
      { kind: 'max_changed', old: 1000n, new: 500n },
    ]);
  });

  it('says disabled only, whatever else changed with it', () => {
    expect(serviceTermsChanges(on, { ...on, rate: 1n, enabled: false })).toEqual([
      { kind: 'disabled', old: null, new: null },
    ]);
  });

  it('says enabled, then the terms that changed while it was off', () => {
    expect(serviceTermsChanges({ ...on, enabled: false }, { ...on, rate: 110_000n })).toEqual([
      { kind: 'enabled', old: null, new: 110_000n },
      { kind: 'price_up', old: 100_000n, new: 110_000n },
    ]);
  });

  it('records nothing for a service nobody can order, or nothing changed', () => {
    const off = { ...on, enabled: false };
    expect(serviceTermsChanges(off, { ...off, rate: 1n, min: 1, max: 2 })).toEqual([]);
    expect(serviceTermsChanges(on, { ...on })).toEqual([]);
  });
});
