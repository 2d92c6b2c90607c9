import { authenticateApiKey } from '../../app/users/authenticate-api-key.js';
import { parseId } from '../../domain/id-list.js';
import type { Panel } from '../../panel.js';
import type { Params } from '../request-params.js';
import { ACTIONS } from './actions.js';
import {
  addForCachedCaller,
  admitCaller,
  mayUseCachedCaller,
  rememberCaller,
} from './add-for-cached-caller.js';
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
  // A plain `add` on SQLite may take its caller from the cache: the write checks the key (add-for-cached-caller.ts).
  const cachesCaller = name === 'add' && mayUseCachedCaller(panel, params, headers);
  if (cachesCaller) {
    const answered = await addForCachedCaller(panel, params);
    if (answered) return answered;
  }
  // `status` of one order, the call scripts repeat most, reads the key and the order in one statement.
  const withOrder = name === 'status' && params.orders === undefined ? parseId(params.order) : null;
  // `services` reads the catalogue's version with the key where its copy is checked per request.
  const withCatalogVersion = name === 'services' && panel.serviceList.checksVersion;
  const auth = await authenticateApiKey(panel.ctx, params.key, { withOrder, withCatalogVersion });
  if (!auth.ok) return errorAnswer(auth.failure);
  if (cachesCaller) rememberCaller(panel, auth.value);
  // Awaited only when it is a promise: most requests pay no microtask for the limiter.
  const admitted = admitCaller(panel, auth.value);
  const retryAfter = typeof admitted === 'number' ? admitted : await admitted;
  if (retryAfter > 0) return rateLimitedAnswer(retryAfter);
  const action = Object.hasOwn(ACTIONS, name) ? ACTIONS[name] : undefined;
  if (!action) return errorAnswer({ code: 'INCORRECT_REQUEST' });
  return action(panel, auth.value, params, headers);
}
