import type { FastifyReply } from 'fastify';
import { type Failure, type FailureCode, type Result, failureMessage } from '../../domain/errors.js';

/** The web panel's JSON endpoints (and the admin API) answer failures with a real HTTP status and `{ error, code }`, plus
 * `params` (the failure's details) when it has any. */
export const STATUS: Partial<Record<FailureCode, number>> = {
  INVALID_LOGIN: 401,
  LOGIN_THROTTLED: 429,
  SIGNUP_THROTTLED: 429,
  CHALLENGE_REQUIRED: 403,
  CHALLENGE_FAILED: 403,
  SIGNUP_CLOSED: 403,
  INVALID_TWO_FACTOR_CODE: 401,
  TWO_FACTOR_LOGIN_EXPIRED: 401,
  TWO_FACTOR_SETUP_REQUIRED: 403,
  RATE_LIMITED: 429,
  NOT_FOUND: 404,
  ORDER_NOT_FOUND: 404,
  USER_NOT_FOUND: 404,
  SERVICE_NOT_FOUND: 404,
  PROVIDER_NOT_FOUND: 404,
  API_KEY_NOT_FOUND: 404,
  WEBHOOK_NOT_FOUND: 404,
  INCORRECT_ORDER_ID: 404,
  REFILL_NOT_FOUND: 404,
  TICKET_NOT_FOUND: 404,
  ANNOUNCEMENT_NOT_FOUND: 404,
  PROVIDER_FAILED: 502,
  NO_EXCHANGE_RATE: 409,
  PAYMENT_METHOD_NOT_FOUND: 404,
  DEPOSIT_NOT_FOUND: 404,
  DEPOSIT_TRANSITION: 409,
  PAYMENT_GATEWAY_FAILED: 502,
  PAYOUT_UNAVAILABLE: 409,
  MANUAL_PAYOUT_DISABLED: 403,
  PAYOUT_NOT_FOUND: 404,
  PAYOUT_ALREADY_PAID: 409,
  AFFILIATE_NOT_FOUND: 404,
  ADMIN_TOKEN_NOT_FOUND: 404,
  ADMIN_TOKEN_NAME_TAKEN: 409,
  ADMIN_TOKEN_STAFF_ONLY: 403,
  POST_NOT_FOUND: 404,
  POST_SLUG_TAKEN: 409,
  INTERNAL: 500,
};

/**
 * A failure's details for the web panel to translate it by its code: its fields except `code`, the
 * numbers and strings only (a minimum, a field name, an id). Failures carry no secrets: a reason is a
 * sentence for the user, a name is theirs to see.
 */
export function failureParams(failure: Failure): Record<string, string | number> {
  const params: Record<string, string | number> = {};
  for (const [name, value] of Object.entries(failure))
    if (name !== 'code' && (typeof value === 'string' || typeof value === 'number')) params[name] = value;
  return params;
}

export function sendFailure(reply: FastifyReply, failure: Failure): FastifyReply {
  if (failure.code === 'LOGIN_THROTTLED' || failure.code === 'SIGNUP_THROTTLED')
    reply.header('retry-after', String(failure.retryAfterSeconds));
  const params = failureParams(failure);
  const body = { error: failureMessage(failure), code: failure.code };
  return reply
    .code(STATUS[failure.code] ?? 400)
    .send(Object.keys(params).length === 0 ? body : { ...body, params });
}

export function sendError(reply: FastifyReply, status: number, error: string, code: string): FastifyReply {
  return reply.code(status).send({ error, code });
}

/**
 * A use case's result as a handler returns it: the value, which Fastify serialises with the
 * endpoint's answer schema (the handler's type makes them agree), or the failure, sent at once.
 */
export function answer<T>(reply: FastifyReply, result: Result<T>): T | FastifyReply {
  return result.ok ? result.value : sendFailure(reply, result.failure);
}
