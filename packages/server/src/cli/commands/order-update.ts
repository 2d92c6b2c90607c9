import { updateOrderStatus } from '../../app/orders/update-order-status.js';
import {
  type Command,
  defineCommand,
  parsePositionalId,
  parseWholeNumber,
  printResult,
  requireString,
  withCliContext,
} from '../command.js';

export const orderUpdateCommand: Command = defineCommand({
  name: 'order update',
  summary: 'Move a manual order along; Partial and Canceled refund the customer once',
  usage: 'ID --status "In progress"|Processing|Completed|Partial|Canceled [--start-count N] [--remains N]',
  positionals: 1,
  options: { status: { type: 'string' }, 'start-count': { type: 'string' }, remains: { type: 'string' } },
  run({ values, positionals }, io) {
    const orderId = parsePositionalId(positionals[0], 'order');
    const status = requireString(values.status, 'status');
    const startCount = parseWholeNumber(values['start-count'], 'start-count');
    const remains = parseWholeNumber(values.remains, 'remains');
    return withCliContext(io, async (ctx) =>
      printResult(io, await updateOrderStatus(ctx, { orderId, status, startCount, remains })),
    );
  },
});
