/**
 * The closed list of expected failures, and the one table from each to its HTTP status and
 * its exact API v2 error string. Anything not in this list is a fault and becomes a generic 500.
 */
export type Failure =
  | { code: 'INVALID_API_KEY' }
  | { code: 'INCORRECT_REQUEST' }
  | { code: 'INCORRECT_SERVICE' }
  | { code: 'INCORRECT_PARAM'; param: string }
  | { code: 'QUANTITY_BELOW_MIN'; min: number }
  | { code: 'QUANTITY_ABOVE_MAX'; max: number }
  | { code: 'DRIPFEED_UNAVAILABLE' }
  | { code: 'NOT_ENOUGH_FUNDS' }
  | { code: 'DUPLICATE_ACTIVE_LINK' }
  | { code: 'INCORRECT_ORDER_ID' }
  | { code: 'REFILL_NOT_FOUND' }
  | { code: 'REFILL_DISABLED' }
  | { code: 'ORDER_NOT_COMPLETED' }
  | { code: 'REFILL_DAYS_OVER' }
  | { code: 'REFILL_TOO_SOON' }
  | { code: 'CANCEL_DISABLED' }
  | { code: 'CANNOT_CANCEL' }
  | { code: 'TOO_MANY_IDS' }
  | { code: 'IDEMPOTENCY_MISMATCH' }
  | { code: 'RATE_LIMITED' }
  | { code: 'BODY_TOO_LARGE' }
  | { code: 'NOT_FOUND' }
  | { code: 'INTERNAL' }
  // Owner-facing failures (CLI, admin): never produced by the API v2 endpoint.
  | { code: 'INVALID_INPUT'; field: string; reason: string }
  | { code: 'USERNAME_TAKEN'; username: string }
  | { code: 'USER_NOT_FOUND'; username: string }
  | { code: 'SERVICE_NOT_FOUND'; id: number }
  | { code: 'ORDER_NOT_FOUND'; id: number }
  | { code: 'INVALID_TRANSITION'; from: string; to: string }
  | { code: 'BALANCE_WOULD_BE_NEGATIVE'; balance: string }
  | { code: 'SUBSCRIPTION_PAUSED'; id: number; charge: string; balance: string }
  | { code: 'SUBSCRIPTION_FINISHED'; id: number; status: string }
  | { code: 'PROVIDER_NOT_FOUND'; id: number }
  | { code: 'PROVIDER_NAME_TAKEN'; name: string }
  /** The provider refused (its own error string) or could not be reached; nothing was changed. */
  | { code: 'PROVIDER_FAILED'; provider: string; reason: string }
  /** The provider bills in a currency the exchange-rate table has no rate for: nothing was changed. */
  | { code: 'NO_EXCHANGE_RATE'; provider: string; currency: string; panelCurrency: string }
  // Web panel failures (JSON endpoints of the client area and admin).
  | { code: 'INVALID_LOGIN' }
  | { code: 'LOGIN_THROTTLED'; retryAfterSeconds: number }
  | { code: 'API_KEY_NOT_FOUND'; id: number }
  // Payments.
  | { code: 'PAYMENT_METHOD_NOT_FOUND'; id: number }
  | { code: 'DEPOSIT_NOT_FOUND'; id: number }
  | { code: 'DEPOSIT_TRANSITION'; id: number; from: string; to: string }
  /** The gateway refused to start the payment or could not be reached; the deposit failed. */
  | { code: 'PAYMENT_GATEWAY_FAILED'; reason: string }
  | { code: 'API_KEY_LIMIT'; max: number }
  /** A proof-of-work challenge must be solved first: always to sign up, to log in past the failure allowance. */
  | { code: 'CHALLENGE_REQUIRED'; reason: 'signup' | 'failures' }
  /** The challenge's answer is wrong, expired or already used. */
  | { code: 'CHALLENGE_FAILED' }
  | { code: 'SIGNUP_CLOSED' }
  | { code: 'SIGNUP_THROTTLED'; retryAfterSeconds: number }
  | { code: 'USERNAME_RESERVED'; username: string }
  | { code: 'TWO_FACTOR_ALREADY_ON' }
  | { code: 'TWO_FACTOR_NOT_SET_UP' }
  | { code: 'TWO_FACTOR_OFF' }
  /** A wrong, reused or expired second-factor code (TOTP or recovery code). */
  | { code: 'INVALID_TWO_FACTOR_CODE' }
  /** The login waiting for its second step is unknown, expired or out of attempts: log in again. */
  | { code: 'TWO_FACTOR_LOGIN_EXPIRED' }
  /** The panel requires 2FA for staff, and this staff member has not set it up. */
  | { code: 'TWO_FACTOR_SETUP_REQUIRED' }
  | { code: 'WEBHOOK_NOT_FOUND'; id: number }
  | { code: 'TOO_MANY_WEBHOOKS'; max: number }
  // Customer care: accounts, recovery, tickets.
  | { code: 'EMAIL_TAKEN' }
  | { code: 'INVALID_TOKEN' }
  | { code: 'WRONG_PASSWORD' }
  | { code: 'TICKET_NOT_FOUND'; id: number }
  | { code: 'ANNOUNCEMENT_NOT_FOUND'; id: number }
  // Affiliates.
  /** Less commission available than the minimum payout (or none left: another request took it). */
  | { code: 'PAYOUT_UNAVAILABLE'; available: string; minimum: string }
  | { code: 'MANUAL_PAYOUT_DISABLED' }
  | { code: 'PAYOUT_NOT_FOUND'; id: number }
  | { code: 'PAYOUT_ALREADY_PAID'; id: number }
  | { code: 'AFFILIATE_NOT_FOUND'; id: number }
  // Admin API tokens.
  | { code: 'ADMIN_TOKEN_NOT_FOUND'; name: string }
  | { code: 'ADMIN_TOKEN_NAME_TAKEN'; name: string }
  | { code: 'ADMIN_TOKEN_STAFF_ONLY'; username: string }
  // Public pages.
  | { code: 'POST_NOT_FOUND'; id: number }
  | { code: 'POST_SLUG_TAKEN'; language: string; slug: string };

export type FailureCode = Failure['code'];

/** Expected failures are values, not exceptions. */
export type Result<T> = { ok: true; value: T } | { ok: false; failure: Failure };

export const ok = <T>(value: T): Result<T> => ({ ok: true, value });
export const fail = <T = never>(failure: Failure): Result<T> => ({ ok: false, failure });

const MESSAGES: { [C in FailureCode]: (f: Extract<Failure, { code: C }>) => string } = {
  INVALID_API_KEY: () => 'Invalid API key',
  INCORRECT_REQUEST: () => 'Incorrect request',
  INCORRECT_SERVICE: () => 'Incorrect service ID',
  INCORRECT_PARAM: (f) => `Incorrect ${f.param}`,
  QUANTITY_BELOW_MIN: (f) => `Quantity less than minimal ${f.min}`,
  QUANTITY_ABOVE_MAX: (f) => `Quantity more than maximum ${f.max}`,
  DRIPFEED_UNAVAILABLE: () => 'Drip-feed is not available for this service',
  NOT_ENOUGH_FUNDS: () => 'Not enough funds on balance',
  DUPLICATE_ACTIVE_LINK: () =>
    'You have active order with this link. Please wait until order being completed.',
  INCORRECT_ORDER_ID: () => 'Incorrect order ID',
  REFILL_NOT_FOUND: () => 'Refill not found',
  REFILL_DISABLED: () => 'Refill is disabled for this service',
  ORDER_NOT_COMPLETED: () => 'The order is not completed',
  REFILL_DAYS_OVER: () => 'Refill days are over',
  REFILL_TOO_SOON: () => 'The order was completed or refill was requested less than 24 hours ago',
  CANCEL_DISABLED: () => 'Cancel is disabled for this service',
  CANNOT_CANCEL: () => 'The order cannot be canceled',
  TOO_MANY_IDS: () => 'Too many IDs, maximum is 100',
  IDEMPOTENCY_MISMATCH: () => 'request_id was used with other parameters',
  RATE_LIMITED: () => 'Too many requests',
  BODY_TOO_LARGE: () => 'Request body is too large',
  NOT_FOUND: () => 'Not found',
  INTERNAL: () => 'Internal server error',
  INVALID_INPUT: (f) => `Invalid ${f.field}: ${f.reason}`,
  USERNAME_TAKEN: (f) => `Username ${f.username} is taken`,
  USER_NOT_FOUND: (f) => `No user named ${f.username}`,
  SERVICE_NOT_FOUND: (f) => `No service with id ${f.id}`,
  ORDER_NOT_FOUND: (f) => `No order with id ${f.id}`,
  INVALID_TRANSITION: (f) => `An order cannot go from ${f.from} to ${f.to}`,
  BALANCE_WOULD_BE_NEGATIVE: (f) => `The balance (${f.balance}) cannot go below zero`,
  SUBSCRIPTION_PAUSED: (f) =>
    `Not enough funds for this post (${f.charge}, balance ${f.balance}): subscription ${f.id} is paused until funds arrive`,
  SUBSCRIPTION_FINISHED: (f) => `Subscription ${f.id} is ${f.status}: it takes no more posts`,
  PROVIDER_NOT_FOUND: (f) => `No provider with id ${f.id}`,
  PROVIDER_NAME_TAKEN: (f) => `A provider named ${f.name} exists already`,
  PROVIDER_FAILED: (f) => `Provider ${f.provider} failed, nothing was changed: ${f.reason}`,
  NO_EXCHANGE_RATE: (f) =>
    `Provider ${f.provider} bills in ${f.currency} and there is no ${f.currency} to ${f.panelCurrency} exchange rate, nothing was changed: set one with "smmkit currency set ${f.currency} --rate …" or on the Currencies page`,
  INVALID_LOGIN: () => 'Wrong username or password',
  LOGIN_THROTTLED: (f) => `Too many failed logins: try again in ${f.retryAfterSeconds} seconds`,
  CHALLENGE_REQUIRED: (f) =>
    f.reason === 'signup'
      ? 'Solve the challenge to sign up'
      : 'Too many failed logins: solve the challenge to try again',
  CHALLENGE_FAILED: () => 'The challenge answer is wrong, expired or already used: solve a new one',
  SIGNUP_CLOSED: () => 'Sign-up is closed: ask the panel owner for an account',
  SIGNUP_THROTTLED: (f) => `Too many sign-ups from your address: try again in ${f.retryAfterSeconds} seconds`,
  USERNAME_RESERVED: (f) => `Username ${f.username} is reserved`,
  TWO_FACTOR_ALREADY_ON: () => 'Two-factor sign-in is already on: turn it off first to change it',
  TWO_FACTOR_NOT_SET_UP: () => 'Set up two-factor sign-in first',
  TWO_FACTOR_OFF: () => 'Two-factor sign-in is off',
  INVALID_TWO_FACTOR_CODE: () => 'Wrong or already used code',
  TWO_FACTOR_LOGIN_EXPIRED: () => 'Your login has expired: log in again',
  TWO_FACTOR_SETUP_REQUIRED: () => 'The panel requires two-factor sign-in for staff: set it up first',
  API_KEY_NOT_FOUND: (f) => `No active API key with id ${f.id}`,
  PAYMENT_METHOD_NOT_FOUND: (f) => `No payment method with id ${f.id}`,
  DEPOSIT_NOT_FOUND: (f) => `No deposit with id ${f.id}`,
  DEPOSIT_TRANSITION: (f) => `Deposit ${f.id} is ${f.from}: it cannot become ${f.to}`,
  PAYMENT_GATEWAY_FAILED: (f) => `The payment could not be started: ${f.reason}`,
  API_KEY_LIMIT: (f) => `You may have at most ${f.max} active API keys: revoke one first`,
  WEBHOOK_NOT_FOUND: (f) => `No webhook endpoint with id ${f.id}`,
  TOO_MANY_WEBHOOKS: (f) => `At most ${f.max} webhook endpoints per account`,
  EMAIL_TAKEN: () => 'This email address cannot be used: choose another one',
  INVALID_TOKEN: () => 'This link is invalid, expired or already used: ask for a new one',
  WRONG_PASSWORD: () => 'The current password is wrong',
  TICKET_NOT_FOUND: (f) => `No ticket with id ${f.id}`,
  ANNOUNCEMENT_NOT_FOUND: (f) => `No announcement with id ${f.id}`,
  PAYOUT_UNAVAILABLE: (f) =>
    `Not enough commission to pay out: ${f.available} available, the minimum payout is ${f.minimum}`,
  MANUAL_PAYOUT_DISABLED: () => 'Payouts by hand are not offered: request a payout to your balance',
  PAYOUT_NOT_FOUND: (f) => `No payout request with id ${f.id}`,
  PAYOUT_ALREADY_PAID: (f) => `Payout ${f.id} is paid already`,
  AFFILIATE_NOT_FOUND: (f) => `No customer with id ${f.id}`,
  ADMIN_TOKEN_NOT_FOUND: (f) => `No admin API token named ${f.name}`,
  ADMIN_TOKEN_NAME_TAKEN: (f) =>
    `An admin API token named ${f.name} exists already: revoke it or choose another name`,
  ADMIN_TOKEN_STAFF_ONLY: (f) =>
    `${f.username} is a customer: admin API tokens are for staff (owner, manager, support) only`,
  POST_NOT_FOUND: (f) => `No post with id ${f.id}`,
  POST_SLUG_TAKEN: (f) => `A ${f.language} post with the address ${f.slug} exists already: choose another`,
};

/** API-level errors are HTTP 200 (clients look for the `error` key); these are the exceptions. */
const HTTP_STATUS: Partial<Record<FailureCode, number>> = {
  RATE_LIMITED: 429,
  BODY_TOO_LARGE: 413,
  NOT_FOUND: 404,
  INTERNAL: 500,
};

export function failureMessage(failure: Failure): string {
  const render = MESSAGES[failure.code] as (f: Failure) => string;
  return render(failure);
}

export function failureHttpStatus(failure: Failure): number {
  return HTTP_STATUS[failure.code] ?? 200;
}

/** Thrown inside a transaction to roll it back with an expected failure; caught by the use case. */
export class FailureSignal extends Error {
  constructor(readonly failure: Failure) {
    super(failure.code);
    this.name = 'FailureSignal';
  }
}
