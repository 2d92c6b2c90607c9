import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import {
  type Failure,
  type FailureCode,
  FailureSignal,
  fail,
  failureHttpStatus,
  failureMessage,
  ok,
} from './errors.js';

/** One failure of every code: the Record type makes the compiler insist that none is missing. */
const SAMPLES: { [C in FailureCode]: Extract<Failure, { code: C }> } = {
  INVALID_API_KEY: { code: 'INVALID_API_KEY' },
  INCORRECT_REQUEST: { code: 'INCORRECT_REQUEST' },
  INCORRECT_SERVICE: { code: 'INCORRECT_SERVICE' },
  INCORRECT_PARAM: { code: 'INCORRECT_PARAM', param: 'link' },
  QUANTITY_BELOW_MIN: { code: 'QUANTITY_BELOW_MIN', min: 50 },
  QUANTITY_ABOVE_MAX: { code: 'QUANTITY_ABOVE_MAX', max: 10000 },
  DRIPFEED_UNAVAILABLE: { code: 'DRIPFEED_UNAVAILABLE' },
  NOT_ENOUGH_FUNDS: { code: 'NOT_ENOUGH_FUNDS' },
  DUPLICATE_ACTIVE_LINK: { code: 'DUPLICATE_ACTIVE_LINK' },
  INCORRECT_ORDER_ID: { code: 'INCORRECT_ORDER_ID' },
  REFILL_NOT_FOUND: { code: 'REFILL_NOT_FOUND' },
  REFILL_DISABLED: { code: 'REFILL_DISABLED' },
  ORDER_NOT_COMPLETED: { code: 'ORDER_NOT_COMPLETED' },
  REFILL_DAYS_OVER: { code: 'REFILL_DAYS_OVER' },
  REFILL_TOO_SOON: { code: 'REFILL_TOO_SOON' },
  CANCEL_DISABLED: { code: 'CANCEL_DISABLED' },
  CANNOT_CANCEL: { code: 'CANNOT_CANCEL' },
  TOO_MANY_IDS: { code: 'TOO_MANY_IDS' },
  IDEMPOTENCY_MISMATCH: { code: 'IDEMPOTENCY_MISMATCH' },
  RATE_LIMITED: { code: 'RATE_LIMITED' },
  BODY_TOO_LARGE: { code: 'BODY_TOO_LARGE' },
  NOT_FOUND: { code: 'NOT_FOUND' },
  INTERNAL: { code: 'INTERNAL' },
  INVALID_INPUT: { code: 'INVALID_INPUT', field: 'rate', reason: 'a non-negative amount' },
  USERNAME_TAKEN: { code: 'USERNAME_TAKEN', username: 'alice' },
  USER_NOT_FOUND: { code: 'USER_NOT_FOUND', username: 'bob' },
  SERVICE_NOT_FOUND: { code: 'SERVICE_NOT_FOUND', id: 7 },
  ORDER_NOT_FOUND: { code: 'ORDER_NOT_FOUND', id: 23501 },
  INVALID_TRANSITION: { code: 'INVALID_TRANSITION', from: 'Completed', to: 'Pending' },
  BALANCE_WOULD_BE_NEGATIVE: { code: 'BALANCE_WOULD_BE_NEGATIVE', balance: '1.00000' },
  SUBSCRIPTION_PAUSED: { code: 'SUBSCRIPTION_PAUSED', id: 9, charge: '0.10000', balance: '0.05000' },
  SUBSCRIPTION_FINISHED: { code: 'SUBSCRIPTION_FINISHED', id: 9, status: 'Completed' },
  PROVIDER_NOT_FOUND: { code: 'PROVIDER_NOT_FOUND', id: 3 },
  PROVIDER_NAME_TAKEN: { code: 'PROVIDER_NAME_TAKEN', name: 'upstream' },
  PROVIDER_FAILED: { code: 'PROVIDER_FAILED', provider: 'upstream', reason: 'Invalid API key' },
  NO_EXCHANGE_RATE: { code: 'NO_EXCHANGE_RATE', provider: 'upstream', currency: 'EUR', panelCurrency: 'USD' },
  INVALID_LOGIN: { code: 'INVALID_LOGIN' },
  LOGIN_THROTTLED: { code: 'LOGIN_THROTTLED', retryAfterSeconds: 900 },
  API_KEY_NOT_FOUND: { code: 'API_KEY_NOT_FOUND', id: 4 },
  PAYMENT_METHOD_NOT_FOUND: { code: 'PAYMENT_METHOD_NOT_FOUND', id: 3 },
  DEPOSIT_NOT_FOUND: { code: 'DEPOSIT_NOT_FOUND', id: 12 },
  DEPOSIT_TRANSITION: { code: 'DEPOSIT_TRANSITION', id: 12, from: 'paid', to: 'failed' },
  PAYMENT_GATEWAY_FAILED: { code: 'PAYMENT_GATEWAY_FAILED', reason: 'TestPay 401: invalid api key' },
  WEBHOOK_NOT_FOUND: { code: 'WEBHOOK_NOT_FOUND', id: 5 },
  TOO_MANY_WEBHOOKS: { code: 'TOO_MANY_WEBHOOKS', max: 10 },
  API_KEY_LIMIT: { code: 'API_KEY_LIMIT', max: 10 },
  CHALLENGE_REQUIRED: { code: 'CHALLENGE_REQUIRED', reason: 'failures' },
  CHALLENGE_FAILED: { code: 'CHALLENGE_FAILED' },
  SIGNUP_CLOSED: { code: 'SIGNUP_CLOSED' },
  SIGNUP_THROTTLED: { code: 'SIGNUP_THROTTLED', retryAfterSeconds: 3600 },
  USERNAME_RESERVED: { code: 'USERNAME_RESERVED', username: 'admin' },
  TWO_FACTOR_ALREADY_ON: { code: 'TWO_FACTOR_ALREADY_ON' },
  TWO_FACTOR_NOT_SET_UP: { code: 'TWO_FACTOR_NOT_SET_UP' },
  TWO_FACTOR_OFF: { code: 'TWO_FACTOR_OFF' },
  INVALID_TWO_FACTOR_CODE: { code: 'INVALID_TWO_FACTOR_CODE' },
  TWO_FACTOR_LOGIN_EXPIRED: { code: 'TWO_FACTOR_LOGIN_EXPIRED' },
  TWO_FACTOR_SETUP_REQUIRED: { code: 'TWO_FACTOR_SETUP_REQUIRED' },
  EMAIL_TAKEN: { code: 'EMAIL_TAKEN' },
  INVALID_TOKEN: { code: 'INVALID_TOKEN' },
  WRONG_PASSWORD: { code: 'WRONG_PASSWORD' },
  TICKET_NOT_FOUND: { code: 'TICKET_NOT_FOUND', id: 5 },
  ANNOUNCEMENT_NOT_FOUND: { code: 'ANNOUNCEMENT_NOT_FOUND', id: 6 },
  PAYOUT_UNAVAILABLE: { code: 'PAYOUT_UNAVAILABLE', available: '4.00000', minimum: '10.00000' },
  MANUAL_PAYOUT_DISABLED: { code: 'MANUAL_PAYOUT_DISABLED' },
  PAYOUT_NOT_FOUND: { code: 'PAYOUT_NOT_FOUND', id: 7 },
  PAYOUT_ALREADY_PAID: { code: 'PAYOUT_ALREADY_PAID', id: 8 },
  AFFILIATE_NOT_FOUND: { code: 'AFFILIATE_NOT_FOUND', id: 9 },
  ADMIN_TOKEN_NOT_FOUND: { code: 'ADMIN_TOKEN_NOT_FOUND', name: 'ci' },
  ADMIN_TOKEN_NAME_TAKEN: { code: 'ADMIN_TOKEN_NAME_TAKEN', name: 'ci' },
  ADMIN_TOKEN_STAFF_ONLY: { code: 'ADMIN_TOKEN_STAFF_ONLY', username: 'alice' },
  POST_NOT_FOUND: { code: 'POST_NOT_FOUND', id: 10 },
  POST_SLUG_TAKEN: { code: 'POST_SLUG_TAKEN', language: 'en', slug: 'news' },
};

const ALL: Failure[] = Object.values(SAMPLES);

describe('failureMessage: the exact strings of API_V2.md', () => {
  it.each([
    [SAMPLES.INVALID_API_KEY, 'Invalid API key'],
    [SAMPLES.INCORRECT_REQUEST, 'Incorrect request'],
    [SAMPLES.INCORRECT_SERVICE, 'Incorrect service ID'],
    [{ code: 'INCORRECT_PARAM', param: 'link' }, 'Incorrect link'],
    [{ code: 'INCORRECT_PARAM', param: 'comments' }, 'Incorrect comments'],
    [{ code: 'INCORRECT_PARAM', param: 'delay' }, 'Incorrect delay'],
    [{ code: 'INCORRECT_PARAM', param: 'answer_number' }, 'Incorrect answer_number'],
    [{ code: 'QUANTITY_BELOW_MIN', min: 50 }, 'Quantity less than minimal 50'],
    [{ code: 'QUANTITY_ABOVE_MAX', max: 10000 }, 'Quantity more than maximum 10000'],
    [SAMPLES.DRIPFEED_UNAVAILABLE, 'Drip-feed is not available for this service'],
    [SAMPLES.NOT_ENOUGH_FUNDS, 'Not enough funds on balance'],
    [
      SAMPLES.DUPLICATE_ACTIVE_LINK,
      'You have active order with this link. Please wait until order being completed.',
    ],
    [SAMPLES.INCORRECT_ORDER_ID, 'Incorrect order ID'],
    [SAMPLES.REFILL_NOT_FOUND, 'Refill not found'],
    [SAMPLES.REFILL_DISABLED, 'Refill is disabled for this service'],
    [SAMPLES.ORDER_NOT_COMPLETED, 'The order is not completed'],
    [SAMPLES.REFILL_DAYS_OVER, 'Refill days are over'],
    [SAMPLES.REFILL_TOO_SOON, 'The order was completed or refill was requested less than 24 hours ago'],
    [SAMPLES.CANCEL_DISABLED, 'Cancel is disabled for this service'],
    [SAMPLES.CANNOT_CANCEL, 'The order cannot be canceled'],
    [SAMPLES.TOO_MANY_IDS, 'Too many IDs, maximum is 100'],
    [SAMPLES.RATE_LIMITED, 'Too many requests'],
    [SAMPLES.IDEMPOTENCY_MISMATCH, 'request_id was used with other parameters'],
  ] as [Failure, string][])('%j → %j', (failure, message) => {
    expect(failureMessage(failure)).toBe(message);
  });

  it('puts the parameter name and the bounds into the message verbatim', () => {
    fc.assert(
      fc.property(fc.string(), fc.nat(), (param, bound) => {
        expect(failureMessage({ code: 'INCORRECT_PARAM', param })).toBe(`Incorrect ${param}`);
        expect(failureMessage({ code: 'QUANTITY_BELOW_MIN', min: bound })).toBe(
          `Quantity less than minimal ${bound}`,
        );
        expect(failureMessage({ code: 'QUANTITY_ABOVE_MAX', max: bound })).toBe(
          `Quantity more than maximum ${bound}`,
        );
      }),
    );
  });
});

describe('failureMessage: the transport and owner-facing failures', () => {
  it.each([
    [SAMPLES.BODY_TOO_LARGE, 'Request body is too large'],
    [SAMPLES.NOT_FOUND, 'Not found'],
    [SAMPLES.INTERNAL, 'Internal server error'],
    [SAMPLES.INVALID_INPUT, 'Invalid rate: a non-negative amount'],
    [SAMPLES.USERNAME_TAKEN, 'Username alice is taken'],
    [SAMPLES.USER_NOT_FOUND, 'No user named bob'],
    [SAMPLES.SERVICE_NOT_FOUND, 'No service with id 7'],
    [SAMPLES.ORDER_NOT_FOUND, 'No order with id 23501'],
    [SAMPLES.INVALID_TRANSITION, 'An order cannot go from Completed to Pending'],
    [SAMPLES.BALANCE_WOULD_BE_NEGATIVE, 'The balance (1.00000) cannot go below zero'],
  ] as [Failure, string][])('%j → %j', (failure, message) => {
    expect(failureMessage(failure)).toBe(message);
  });

  it('gives every code a non-empty message that leaks no code name', () => {
    for (const failure of ALL) {
      const message = failureMessage(failure);
      expect(message.length).toBeGreaterThan(0);
      expect(message).not.toContain(failure.code);
    }
  });

  it('the internal error says nothing about the fault', () => {
    expect(failureMessage({ code: 'INTERNAL' })).toBe('Internal server error');
  });
});

describe('failureHttpStatus', () => {
  it.each([
    ['BODY_TOO_LARGE', 413],
    ['RATE_LIMITED', 429],
    ['INTERNAL', 500],
    ['NOT_FOUND', 404],
  ] as [FailureCode, number][])('%s is HTTP %s', (code, status) => {
    expect(failureHttpStatus(SAMPLES[code])).toBe(status);
  });

  it('answers every other failure with HTTP 200', () => {
    const exceptions = new Set<FailureCode>(['BODY_TOO_LARGE', 'RATE_LIMITED', 'INTERNAL', 'NOT_FOUND']);
    const others = ALL.filter((failure) => !exceptions.has(failure.code));
    expect(others).toHaveLength(ALL.length - 4);
    for (const failure of others)
      expect([failure.code, failureHttpStatus(failure)]).toEqual([failure.code, 200]);
  });
});

describe('Result helpers', () => {
  it('ok wraps a value', () => {
    expect(ok(42)).toEqual({ ok: true, value: 42 });
  });

  it('fail wraps a failure', () => {
    expect(fail({ code: 'TOO_MANY_IDS' })).toEqual({ ok: false, failure: { code: 'TOO_MANY_IDS' } });
  });
});

describe('FailureSignal', () => {
  it('carries its failure and names its code', () => {
    const failure: Failure = { code: 'NOT_ENOUGH_FUNDS' };
    const signal = new FailureSignal(failure);
    expect(signal).toBeInstanceOf(Error);
    expect(signal.name).toBe('FailureSignal');
    expect(signal.message).toBe('NOT_ENOUGH_FUNDS');
    expect(signal.failure).toBe(failure);
  });
});
