import { type ApiCaller, apiKeyHash, authenticateApiKey } from '../../app/users/authenticate-api-key.js';
import { type Eager, thenEager } from '../../domain/eager.js';
import { parseId } from '../../domain/id-list.js';
import type { Panel } from '../../panel.js';
import type { Params } from '../request-params.js';
import type { OwnerReadHandler } from './action-handler.js';
import { ACTIONS, ownerRead } from './actions.js';
import {
  addForCachedCaller,
  admitCaller,
  mayUseCachedCaller,
  rememberCaller,
} from './add-for-cached-caller.js';
import { type Answer, errorAnswer, rateLimitedAnswer } from './answer.js';

/**
 * Authenticates the key first (so nothing is told to a caller without one), counts the request
 * against the key's rate limit (over it, nothing runs), then runs the action. Eager (see
 * `thenEager`): on SQLite a request whose steps need not wait (`status` of one order, `balance`, a
 * bad key) is answered at once, without a promise; any step that waits makes the answer a promise.
 */
export function handleApiRequest(
  panel: Panel,
  params: Params,
  headers: { idempotencyKey?: string | undefined },
): Eager<Answer> {
  const name = params.action?.trim() ?? '';
  // A plain `add` on SQLite may take its caller from the cache: the write checks the key (add-for-cached-caller.ts).
  if (name === 'add' && mayUseCachedCaller(panel, params, headers)) {
    return addForCachedCaller(panel, params).then(
      (answered) => answered ?? authenticateAndRun(panel, name, params, headers, true),
    );
  }
  const read = ownerRead(name, params);
  if (read) {
    const answered = readForKnownKey(panel, read, params);
    if (answered) return answered;
  }
  return authenticateAndRun(panel, name, params, headers, false, read !== null);
}

/**
 * A read for a key whose owner this process holds (PostgreSQL, while it hears key changes; see
 * ApiKeyOwnerCache): no read of the key, and for `services` none at all when the catalogue copy is
 * current too. Null when the owner is not held: the key is read as for any action.
 */
function readForKnownKey(panel: Panel, read: OwnerReadHandler, params: Params): Eager<Answer> | null {
  // Not hashed twice where nothing is held (SQLite; PostgreSQL while LISTEN is down).
  if (!panel.apiKeyOwners.listening) return null;
  const keyHash = apiKeyHash(params.key);
  const owner = keyHash === null ? undefined : panel.apiKeyOwners.get(keyHash);
  if (!owner) return null;
  return thenEager(admitCaller(panel, owner), (retryAfter) =>
    retryAfter > 0 ? rateLimitedAnswer(retryAfter) : read(panel, owner, params),
  );
}

function forgetRefusedOwner(panel: Panel, key: string | undefined): void {
  if (!panel.apiKeyOwners.listening) return;
  const keyHash = apiKeyHash(key);
  if (keyHash !== null) panel.apiKeyOwners.forget(keyHash);
}

function authenticateAndRun(
  panel: Panel,
  name: string,
  params: Params,
  headers: { idempotencyKey?: string | undefined },
  cachesCaller: boolean,
  remembersOwner = false,
): Eager<Answer> {
  // `status` of one order, the call scripts repeat most, reads the key and the order in one statement.
  const withOrder = name === 'status' && params.orders === undefined ? parseId(params.order) : null;
  // `services` reads the catalogue's version with the key where its copy is checked per request.
  const withCatalogVersion = name === 'services' && panel.serviceList.checksVersion;
  // Taken before the read: an owner read across a key change is not kept (ApiKeyOwnerCache).
  const ownerToken = remembersOwner ? panel.apiKeyOwners.readToken : null;
  return thenEager(authenticateApiKey(panel.ctx, params.key, { withOrder, withCatalogVersion }), (auth) => {
    if (!auth.ok) {
      // Refused here: not answered from the copy either, should its notification be lost.
      forgetRefusedOwner(panel, params.key);
      return errorAnswer(auth.failure);
    }
    if (cachesCaller) rememberCaller(panel, auth.value);
    if (ownerToken !== null) panel.apiKeyOwners.remember(auth.value.keyHash, auth.value, ownerToken);
    // Synchronous but for a user's first request of a window on a node sharing its counts.
    return thenEager(admitCaller(panel, auth.value), (retryAfter) =>
      retryAfter > 0 ? rateLimitedAnswer(retryAfter) : runAction(panel, name, auth.value, params, headers),
    );
  });
}

function runAction(
  panel: Panel,
  name: string,
  caller: ApiCaller,
  params: Params,
  headers: { idempotencyKey?: string | undefined },
): Eager<Answer> {
  const action = Object.hasOwn(ACTIONS, name) ? ACTIONS[name] : undefined;
  if (!action) return errorAnswer({ code: 'INCORRECT_REQUEST' });
  return action(panel, caller, params, headers);
}
