import { describe, expect, it } from 'vitest';
import { formatSyncEvery, isFollowPrices, isOnRemoved, parseSyncEvery } from './catalog-sync.js';

describe('parseSyncEvery', () => {
  it.each([
    ['30s', 30_000],
    ['10s', 10_000],
    ['15m', 900_000],
    ['1h', 3_600_000],
    ['2d', 172_800_000],
    [' 1H ', 3_600_000],
    ['off', null],
  ])('%s → %s ms', (text, ms) => {
    expect(parseSyncEvery(text)).toEqual({ ok: true, ms });
  });

  it.each([
    ['9s', 'at least 10s'],
    ['0m', 'at least 10s'],
    ['31d', 'at most 30d'],
    ['1.5h', 'a whole number'],
    ['-1m', 'a whole number'],
    ['15', 'a whole number'],
    ['', 'a whole number'],
    ['1w', 'a whole number'],
  ])('%s is refused (%s)', (text, reason) => {
    const parsed = parseSyncEvery(text);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.reason).toContain(reason);
  });

  it('formats back', () => {
    expect([30_000, 900_000, 3_600_000, 86_400_000, 90_000, null].map(formatSyncEvery)).toEqual([
      '30s',
      '15m',
      '1h',
      '1d',
      '90s',
      'off',
    ]);
  });

  it('knows the policies', () => {
    expect(['keep-markup', 'notify', 'off', 'x'].map(isFollowPrices)).toEqual([true, true, true, false]);
    expect(['disable', 'notify', 'off'].map(isOnRemoved)).toEqual([true, true, false]);
  });
});
