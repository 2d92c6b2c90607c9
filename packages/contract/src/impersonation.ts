import { endpoint } from './endpoint.js';
import { IdParams } from './request-params.js';
import { StartedSession } from './session.js';

/**
 * Sign in as a customer (owner and manager: permission `users.impersonate`): the session becomes the
 * customer's, carrying the staff member (`user.impersonatedBy` in the session answer); every
 * state-changing request is audited as done by the staff member on the customer's behalf, and the
 * customer's password, 2FA and API keys cannot be changed from it. The cookie is replaced; the CSRF
 * token is in the answer.
 */
export const impersonateUser = endpoint('POST', '/admin/users/:id/impersonate', {
  params: IdParams,
  answer: StartedSession,
});

/** Back to admin: ends the customer session and starts the staff member's own again. */
export const endImpersonation = endpoint('POST', '/impersonation/end', { answer: StartedSession });
