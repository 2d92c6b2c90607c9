import type { ApiCaller } from '../../app/users/authenticate-api-key.js';
import type { Eager } from '../../domain/eager.js';
import type { Panel } from '../../panel.js';
import type { Params } from '../request-params.js';
import type { Answer } from './answer.js';

/**
 * One API v2 action: parses its parameters, calls one use case, shapes the answer. An answer known
 * without a further read (`balance`, `status` of an order read with the key) is returned as it is:
 * the hot path then pays for no promise.
 */
export type ActionHandler = (
  panel: Panel,
  caller: ApiCaller,
  params: Params,
  headers: { idempotencyKey?: string | undefined },
) => Eager<Answer>;

/**
 * An action that reads only the caller's own rows or the catalogue, by user id: on PostgreSQL it may
 * be answered for a key owner the process holds (ApiKeyOwnerCache) without reading the key.
 */
export type OwnerReadHandler = (
  panel: Panel,
  caller: { readonly userId: number },
  params: Params,
) => Eager<Answer>;
