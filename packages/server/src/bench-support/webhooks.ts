/**
 * `@smmkit/server/bench-support/webhooks`: internal, for `npm run bench -- webhooks`. The bench
 * seeds a customer, an endpoint on its own receiver and orders through the use cases, then changes
 * order statuses through the one status-change step (which writes the outbox) while a real
 * `smmkit worker` process delivers.
 */
export { openMigrated } from '../cli/command.js';
export { Panel } from '../panel.js';
export { systemClock } from '../app/context.js';
export { createUser } from '../app/users/create-user.js';
export { addFunds } from '../app/funds/add-funds.js';
export { createService } from '../app/catalog/create-service.js';
export { placeOrder } from '../app/orders/place-order.js';
export { updateOrderStatus } from '../app/orders/update-order-status.js';
export { createWebhook } from '../app/webhooks/create-webhook.js';
export { systemResolver } from '../app/webhooks/public-url.js';
