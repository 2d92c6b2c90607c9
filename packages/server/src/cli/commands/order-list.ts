import { listOrders } from '../../app/orders/list-orders.js';
import { type Command, defineCommand, parseWholeNumber, printFailure, withCliContext } from '../command.js';

export const orderListCommand: Command = defineCommand({
  name: 'order list',
  summary: 'List orders, newest first, one JSON object per line',
  usage: '[--status S] [--user USERNAME] [--cancel-requested] [--limit 50]',
  options: {
    status: { type: 'string' },
    user: { type: 'string' },
    'cancel-requested': { type: 'boolean' },
    limit: { type: 'string' },
  },
  run({ values }, io) {
    const limit = parseWholeNumber(values.limit, 'limit');
    return withCliContext(io, async (ctx) => {
      const result = await listOrders(ctx, {
        status: values.status,
        username: values.user,
        cancelRequested: values['cancel-requested'],
        limit,
      });
      if (!result.ok) return printFailure(io, result.failure);
      for (const order of result.value) io.out(JSON.stringify(order));
      return 0;
    });
  },
});
