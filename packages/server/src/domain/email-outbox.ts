import { readStoredValue } from './stored-value.js';

/**
 * An outbox message: `pending` until a worker claims it (`sending`, under a lease), then `sent`, or
 * back to `pending` with a later attempt time when the SMTP server could not take it, or `failed`
 * when the server refused it for good (a 5xx answer). A lease that runs out (the worker died)
 * makes the message claimable again: sent twice only if the server's answer was lost.
 */
export const EMAIL_STATES = ['pending', 'sending', 'sent', 'failed'] as const;
export type EmailState = (typeof EMAIL_STATES)[number];

export function readEmailState(stored: string): EmailState {
  return readStoredValue(EMAIL_STATES, stored, 'email state');
}

const FIRST_RETRY_MS = 30_000;
const LONGEST_WAIT_MS = 60 * 60 * 1000;

/** The wait before the next attempt after `attempts` failed ones: 30 s, doubling, at most an hour. */
export function emailRetryDelayMs(attempts: number): number {
  const doublings = Math.max(0, Math.min(attempts - 1, 20));
  return Math.min(FIRST_RETRY_MS * 2 ** doublings, LONGEST_WAIT_MS);
}

/** An SMTP reply code that will not change on retry (5xx: bad address, refused content). */
export function isPermanentSmtpReply(code: number | undefined): boolean {
  return code !== undefined && code >= 500 && code < 600;
}
