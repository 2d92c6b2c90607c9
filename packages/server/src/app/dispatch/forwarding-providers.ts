import type { RefusalPolicy } from '../../domain/dispatch-decision.js';
import type { Queryable } from '../../store/database.js';
import { type ProviderRow, findProvider, listProviders } from '../../store/providers.js';

/** A provider as forwarding needs it: where and how to call it, and how it treats orders. */
export interface ForwardingProvider {
  readonly id: number;
  readonly name: string;
  readonly url: string;
  readonly apiKey: string;
  /** It replays a repeated `request_id` instead of ordering twice. */
  readonly honoursRequestId: boolean;
  readonly onRefusal: RefusalPolicy;
}

// merge: A2 returns a record — `findProvider`/`listProviders` then give `Provider` records, which
// carry these fields; this adapter (the only decoding of a provider row in app/dispatch) goes.
function forwardingProviderOf(row: ProviderRow): ForwardingProvider {
  return {
    id: Number(row.id),
    name: row.name,
    url: row.url,
    apiKey: row.api_key,
    honoursRequestId: row.honours_request_id === 1n,
    onRefusal: row.on_refusal,
  };
}

export async function findForwardingProvider(
  q: Queryable,
  id: number,
): Promise<ForwardingProvider | undefined> {
  const row = await findProvider(q, id);
  return row && forwardingProviderOf(row);
}

/** Every provider, in id order: the sync job visits each. */
export async function listForwardingProviders(q: Queryable): Promise<ForwardingProvider[]> {
  return (await listProviders(q)).map(forwardingProviderOf);
}
