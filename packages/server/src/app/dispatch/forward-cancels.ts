import {
  closeCancelRequest,
  recordCancelRefused,
  recordCancelSent,
  retryCancel,
} from '../../store/forwarding.js';
import { syncSoon } from '../../store/order-sync.js';
import type { Context } from '../context.js';
import { type ForwardKind, forwardRequests } from './forward-requests.js';
import type { ProviderGateway } from './provider-gateway.js';

const CANCELS: ForwardKind = {
  table: 'cancel',
  call: async (client, orderIds) =>
    (await client.cancel(orderIds)).map((item) => ({ order: item.order, result: item.cancel })),
  retry: retryCancel,
  refuse: recordCancelRefused,
  async accept(tx, request, _result, now) {
    if (!(await recordCancelSent(tx, request.id, now))) return false;
    if (request.orderKind === 'subscription') await closeCancelRequest(tx, request.id, now);
    else await syncSoon(tx, request.orderId, now);
    return true;
  },
};

/**
 * The worker's cancel forwarding: customers' cancel requests on orders a provider has are sent to
 * it with one multi-id `cancel` per provider and batch. Accepted: the order's next status check is
 * brought forward (it ends Canceled, refunded, when the provider says so); refused: the request is
 * rejected with the provider's reason and the order goes on. A forwarded subscription was canceled
 * here already; its request closes once the provider accepts.
 */
export function forwardCancels(ctx: Context, gateway: ProviderGateway): Promise<number> {
  return forwardRequests(ctx, gateway, CANCELS);
}
