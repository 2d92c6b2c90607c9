import { authenticateApiKey } from '../../app/users/authenticate-api-key.js';
import { parseId } from '../../domain/id-list.js';
import type { Panel } from '../../panel.js';
import type { Params } from '../request-params.js';
import { ACTIONS } from './actions.js';
import { type Answer, errorAnswer, rateLimitedAnswer } from './answer.js';

/**
 * Authenticates the key first (so nothing is told to a caller without one), counts the request
 * against the key's rate limit (over it, nothing runs), then runs the action.
 */
export async function handleApiRequest(
  panel: Panel,
  params: Params,
  headers: { idempotencyKey?: string | undefined },
): Promise<Answer> {
  const name = params.action?.trim() ?? '';
  // `status` of one order, the call scripts repeat most, reads the key and the order in one statement.
  const withOrder = name === 'status' && params.orders === undefined ? parseId(params.order) : null;
  const auth = await authenticateApiKey(panel.ctx, params.key, { withOrder });
  if (!auth.ok) return errorAnswer(auth.failure);
  const admitted = panel.rateLimiter.admit(auth.value.userId, auth.value.rateLimitPerMinute);
  const retryAfter = typeof admitted === 'number' ? admitted : await admitted;
  if (retryAfter > 0) return rateLimitedAnswer(retryAfter);
  const action = Object.hasOwn(ACTIONS, name) ? ACTIONS[name] : undefined;
  if (!action) return errorAnswer({ code: 'INCORRECT_REQUEST' });
  return action(panel, auth.value, params, headers);
}
