/**
 * What only the customer themselves may change: their password, their two-factor sign-in, their
 * API keys and their affiliate payouts. A staff member signed in as the customer sees these pages but changes nothing on them.
 */
const SELF_ONLY =
  /^\/web-api\/(api-keys|2fa|password|account\/password|account\/2fa|affiliate\/payout)(\/|\?|$)/;

export const SELF_ONLY_MESSAGE =
  'Signed in as a customer: their password, two-factor sign-in, API keys and affiliate payouts are theirs to change';

export function isSelfOnly(url: string): boolean {
  return SELF_ONLY.test(url);
}
