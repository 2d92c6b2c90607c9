import { showOrder } from '../../app/orders/show-order.js';
import { type Command, defineCommand, parsePositionalId, printResult, withCliContext } from '../command.js';

export const orderShowCommand: Command = defineCommand({
  name: 'order show',
  summary: 'Show one order with its ledger entries, refills, runs or posts, cancel request and history',
  usage: 'ID',
  positionals: 1,
  options: {},
  run({ positionals }, io) {
    const orderId = parsePositionalId(positionals[0], 'order');
    return withCliContext(io, async (ctx) => printResult(io, await showOrder(ctx, orderId)));
  },
});
