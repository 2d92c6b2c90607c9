import { describe, expect, it } from 'vitest';
import { emailRetryDelayMs, isPermanentSmtpReply, readEmailState } from './email-outbox.js';

describe('email outbox rules', () => {
  it('backs off from 30 seconds, doubling, up to an hour', () => {
    expect(emailRetryDelayMs(1)).toBe(30_000);
    expect(emailRetryDelayMs(2)).toBe(60_000);
    expect(emailRetryDelayMs(3)).toBe(120_000);
    expect(emailRetryDelayMs(8)).toBe(3_600_000);
    expect(emailRetryDelayMs(500)).toBe(3_600_000);
  });
  it('gives up only on a 5xx reply', () => {
    expect(isPermanentSmtpReply(550)).toBe(true);
    expect(isPermanentSmtpReply(421)).toBe(false);
    expect(isPermanentSmtpReply(undefined)).toBe(false);
  });
  it('reads stored states and refuses others', () => {
    expect(readEmailState('sending')).toBe('sending');
    expect(() => readEmailState('lost')).toThrow(/corrupt row/);
  });
});
