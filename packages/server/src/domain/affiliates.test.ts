import { describe, expect, it } from 'vitest';
import {
  DEFAULT_AFFILIATE_SETTINGS,
  attributionRefusal,
  commissionFor,
  conversionBps,
  isReferralCode,
  mailboxOf,
  payoutRefusal,
  referralCodeFrom,
  referralCookieValue,
  referralFromCookie,
} from './affiliates.js';

const DAY = 24 * 60 * 60 * 1000;

describe('commissionFor', () => {
  it('takes the rate of the credited amount, rounded down to the money unit', () => {
    expect(commissionFor(20_000_000n, 500)).toBe(1_000_000n); // 200.00 × 5% = 10.00
    expect(commissionFor(1_001_000n, 333)).toBe(33_333n); // 10.01 × 3.33% = 0.333333
    expect(commissionFor(1n, 500)).toBe(0n);
    expect(commissionFor(10_000_000n, 0)).toBe(0n);
    expect(commissionFor(10_000_000n, 10_000)).toBe(10_000_000n);
  });
});

describe('referral codes and cookies', () => {
  it('makes 8-character codes of unambiguous letters and digits', () => {
    const code = referralCodeFrom(new Uint8Array([0, 1, 2, 3, 250, 251, 254, 255]));
    expect(code).toHaveLength(8);
    expect(isReferralCode(code)).toBe(true);
    expect(code).not.toMatch(/[01ilo]/);
    expect(() => referralCodeFrom(new Uint8Array(3))).toThrow(RangeError);
  });

  it('refuses codes that are not 4-32 letters and digits', () => {
    for (const text of ['abc', '<script>', 'a/b/c/d', 'x'.repeat(33), '', 'abcd efgh']) {
      expect(isReferralCode(text), text).toBe(false);
    }
  });

  it('reads a cookie only within its life on the panel clock', () => {
    const visitedAt = Date.UTC(2026, 0, 1);
    const value = referralCookieValue('abcd2345', visitedAt);
    expect(referralFromCookie(value, visitedAt + 30 * DAY, 30)).toBe('abcd2345');
    expect(referralFromCookie(value, visitedAt + 30 * DAY + 1, 30)).toBeNull();
    expect(referralFromCookie(value, visitedAt - 1, 30)).toBeNull();
    expect(referralFromCookie('abcd2345', visitedAt, 30)).toBeNull();
    expect(referralFromCookie('<x>.1', visitedAt, 30)).toBeNull();
  });
});

describe('attributionRefusal', () => {
  const alice = { id: 1, email: 'alice.smith@gmail.com' };
  it('refuses the affiliate themself and their own mailbox', () => {
    expect(attributionRefusal(alice, alice, [])).toBe('self');
    expect(attributionRefusal(alice, { id: 2, email: 'AliceSmith+promo@googlemail.com' }, [])).toBe(
      'same_mailbox',
    );
    expect(mailboxOf('Bob.Jones+x@Example.com')).toBe('bob.jones@example.com');
  });

  it("refuses a cycle: the newcomer is up the affiliate's own referral chain", () => {
    expect(attributionRefusal({ id: 3, email: null }, { id: 1, email: null }, [2, 1])).toBe('cycle');
    expect(attributionRefusal({ id: 3, email: null }, { id: 4, email: 'd@example.com' }, [2, 1])).toBeNull();
  });
});

describe('payoutRefusal', () => {
  it("needs the minimum, and the admin's leave for payouts by hand", () => {
    const settings = DEFAULT_AFFILIATE_SETTINGS;
    expect(payoutRefusal(999_999n, 'balance', settings)).toEqual({
      kind: 'below_minimum',
      available: 999_999n,
      minimum: 1_000_000n,
    });
    expect(payoutRefusal(1_000_000n, 'balance', settings)).toBeNull();
    expect(payoutRefusal(1_000_000n, 'manual', settings)).toEqual({ kind: 'manual_not_allowed' });
    expect(payoutRefusal(1_000_000n, 'manual', { ...settings, manualPayouts: true })).toBeNull();
    expect(payoutRefusal(0n, 'balance', { ...settings, minimumPayout: 0n })?.kind).toBe('below_minimum');
  });

  it('conversion is paying customers per sign-up, in basis points', () => {
    expect(conversionBps(0, 0)).toBe(0);
    expect(conversionBps(3, 1)).toBe(3333);
    expect(conversionBps(8, 1)).toBe(1250);
  });
});
