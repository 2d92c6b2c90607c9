import type { ApiCaller } from '../../app/users/authenticate-api-key.js';
import type { Panel } from '../../panel.js';
import type { Params } from '../request-params.js';
import type { Answer } from './answer.js';

/** One API v2 action: parses its parameters, calls one use case, shapes the answer. */
export type ActionHandler = (
  panel: Panel,
  caller: ApiCaller,
  params: Params,
  headers: { idempotencyKey?: string | undefined },
) => Promise<Answer>;
