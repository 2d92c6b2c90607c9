import * as contract from '@smmkit/contract';
import { recordPost } from '../../../app/subscriptions/record-post.js';
import type { Panel } from '../../../panel.js';
import type { WebApp } from '../web-app.js';
import { adminRoute, contextOf } from '../web-access.js';
import { answer } from '../web-reply.js';

/** Manual subscriptions: the owner records each new post (its listing is the orders list by kind). */
export function registerSubscriptionRoutes(web: WebApp, panel: Panel): void {
  web.route({
    ...contract.recordPost,
    config: adminRoute('orders.write'),
    handler: async (request, reply) => {
      const input = { subscriptionId: request.params.id, quantity: request.body.quantity };
      return answer(reply, await recordPost(contextOf(panel, request), input));
    },
  });
}
