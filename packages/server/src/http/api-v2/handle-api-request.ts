import { authenticateApiKey } from '../../app/users/authenticate-api-key.js';
import type { Panel } from '../../panel.js';
import type { Params } from '../request-params.js';
import { ACTIONS } from './actions.js';
import { type Answer, errorAnswer } from './answer.js';

/** Authenticates the key first (so nothing is told to a caller without one), then runs the action. */
export async function handleApiRequest(
  panel: Panel,
  params: Params,
  headers: { idempotencyKey?: string | undefined },
): Promise<Answer> {
  const auth = await authenticateApiKey(panel.ctx, params.key);
  if (!auth.ok) return errorAnswer(auth.failure);
  const name = params.action?.trim() ?? '';
  const action = Object.hasOwn(ACTIONS, name) ? ACTIONS[name] : undefined;
  if (!action) return errorAnswer({ code: 'INCORRECT_REQUEST' });
  return action(panel, auth.value, params, headers);
}
